import ArgumentParser
import Catalog
import Foundation
import Imaging
import Training

/// `albumgenre split`: assign every single-genre album to train, validation or test.
struct SplitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "split",
        abstract: "Split the catalog into train/val/test, stratified and grouped.",
        usage: "albumgenre split [--catalog <path>] [--seed <seed>] [--force] [<options>]",
        discussion: """
            Albums by the same artist, of the same release, or with near-identical covers (perceptual \
            hash within --near-duplicate-distance bits: deluxe editions and re-releases reuse art) always \
            land in the same split, so a model cannot score by remembering a cover. Genres keep close to \
            the requested fractions. Splits given by an imported train/val/test folder layout are kept \
            unless --force. The split is stored in the catalog; train, evaluate and study read it there.

            Example: albumgenre split --catalog covers.sqlite --seed 42
            """)

    @OptionGroup var catalogOption: CatalogOption
    @OptionGroup var output: OutputOptions

    @Option(help: "Fraction of albums for training.") var train = 0.70
    @Option(help: "Fraction for validation (model selection).") var val = 0.15
    @Option(help: "Fraction for the held-out test set.") var test = 0.15
    @Option(help: "Seed of the assignment.") var seed: UInt64 = 42
    @Option(help: ArgumentHelp("Perceptual-hash distance (bits of 64) under which two covers count as the same art.", valueName: "bits"))
    var nearDuplicateDistance = 6
    @Flag(help: "Replace existing splits, including those given by an imported folder layout.") var force = false

    func validate() throws {
        guard abs(train + val + test - 1) < 1e-6, train > 0, val > 0, test >= 0 else {
            throw ValidationError("--train, --val and --test must be non-negative and add up to 1")
        }
    }

    func run() throws {
        let catalog = try openCatalog(catalogOption.catalog, mustExist: true)
        let images = try catalog.labelledImages()
        guard !images.isEmpty else {
            throw Console.fail(
                "\(catalogOption.catalog) has no labelled covers: run `albumgenre import DIR --catalog \(catalogOption.catalog)` or `albumgenre collect --catalog \(catalogOption.catalog)` first",
                status: ExitStatus.usage)
        }
        if !force, images.allSatisfy({ $0.split != nil }) {
            Console.info("every album already has a split (use --force to redo it)", quiet: output.quiet)
            return try summarise(images.map { ($0.genre, $0.split!) })
        }
        let bar = ProgressMeter("perceptual hashes", total: images.count, quiet: output.quiet || output.json)
        let splitter = GroupedSplitter(train: train, validation: val, test: test, seed: seed, nearDuplicateDistance: nearDuplicateDistance)
        let assignment = splitter.assign(images, keepGiven: !force) { bar.update($0) }
        try catalog.recordSplits(assignment)
        try summarise(images.map { ($0.genre, assignment[$0.albumID]!) })
    }

    private func summarise(_ rows: [(genre: String, split: Split)]) throws {
        var counts: [String: [String: Int]] = [:]
        for row in rows { counts[row.genre, default: [:]][row.split.rawValue, default: 0] += 1 }
        if output.json { return try Console.printJSON(counts) }
        Console.print("genre          train    val   test")
        for genre in counts.keys.sorted() {
            let c = counts[genre]!
            let columns: [Int] = [c["train"] ?? 0, c["val"] ?? 0, c["test"] ?? 0]
            Console.print(genre.padding(toLength: 12, withPad: " ", startingAt: 0) + columns.map { "\($0)".leftPadded(7) }.joined())
        }
    }
}
