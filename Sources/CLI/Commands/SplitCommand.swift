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
        let catalog = try openCatalog(catalogOption.catalog, mustExist: true, json: output.json)
        let images = try catalog.labelledImages()
        guard !images.isEmpty else { throw Console.fail(
            "\(catalogOption.catalog) has no labelled covers: run `albumgenre import DIR --catalog \(catalogOption.catalog)` or `albumgenre collect --catalog \(catalogOption.catalog)` first",
            status: ExitStatus.usage, json: output.json) }
        if !force, images.allSatisfy({ $0.split != nil }) {
            Console.info("every album already has a split (use --force to redo it)", quiet: output.quiet)
            return try summarise(images.map { ($0.genre, $0.split!) })
        }
        let bar = ProgressMeter("perceptual hashes", total: images.count, quiet: output.quiet || output.json)
        let splitter = GroupedSplitter(train: train, validation: val, test: test, seed: seed, nearDuplicateDistance: nearDuplicateDistance)
        let assignment = Self.assign(images, splitter: splitter, keepGiven: !force) { bar.update($0) }
        try catalog.recordSplits(assignment)
        try summarise(images.map { ($0.genre, assignment[$0.albumID]!) })
    }

    /// Hashes every cover and deals out the groups; splits already given are kept when `keepGiven`.
    static func assign(_ images: [LabelledImage], splitter: GroupedSplitter, keepGiven: Bool, progress: (Int) -> Void = { _ in }) -> [Int64: Split] {
        var assignment = splitter.assign(groupingItems(images, progress: progress))
        if keepGiven { for image in images { if let given = image.split { assignment[image.albumID] = given } } }
        return assignment
    }

    /// What grouping knows of each cover: its album, genre, exact keys and perceptual hash (an
    /// unreadable cover gets no hash and groups by its keys alone).
    static func groupingItems(_ images: [LabelledImage], progress: (Int) -> Void = { _ in }) -> [GroupedSplitter.Item] {
        let decoder = ImageDecoder()
        return images.enumerated().map { n, image in
            let hash = try? PerceptualHash.dct(contentsOf: image.url, decoder: decoder).value
            progress(n + 1)
            return .init(id: image.albumID, label: image.genre, groupKeys: groupKeys(image), perceptualHash: hash)
        }
    }

    /// Exact grouping keys: the normalised artist (not for compilations) and the release.
    static func groupKeys(_ image: LabelledImage) -> [String] {
        func normalise(_ s: String) -> String {
            s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).filter { $0.isLetter || $0.isNumber }
        }
        var keys: [String] = []
        let artist = normalise(image.artist)
        if !artist.isEmpty, !["variousartists", "various", "va", "soundtrack", "unknownartist"].contains(artist) { keys.append("artist:" + artist) }
        let title = normalise(image.title)
        if !title.isEmpty { keys.append("release:" + artist + "/" + title) }
        // Discogs image files are named `R-<release id>-<upload id>…`: images of one release share it.
        let stem = URL(fileURLWithPath: image.filePath).lastPathComponent
        if stem.hasPrefix("R-"), let id = stem.dropFirst(2).split(separator: "-").first, id.allSatisfy(\.isNumber) {
            keys.append("release:discogs:\(id)")
        }
        return keys
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
