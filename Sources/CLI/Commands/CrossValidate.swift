import ArgumentParser
import Catalog
import Foundation
import Models
import ReportAssembly
import Reports
import RunArtifacts
import Training

/// `albumgenre crossvalidate`: a run's configuration judged by k-fold cross-validation on
/// train + validation; the test split is never read.
struct CrossValidate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crossvalidate",
        abstract: "Score runs' configurations by k-fold cross-validation.",
        usage: "albumgenre crossvalidate <run> [<run> ...] [--folds <k>] [<options>]",
        discussion: """
            One validation split of a few hundred covers is a noisy judge: two configurations a \
            point apart on it are often tied. crossvalidate repeats RUN's config.json K times on the \
            covers of train + validation, dealt into K folds that are stratified by genre and grouped \
            like the splits (an artist, a release or a near-identical cover stays in one fold). Fold \
            k trains on the other folds and selects its epoch on fold k, as RUN did on the validation \
            split. The test split is never read.

            Each fold is a run, runs/<run>-cv/fold-<k>/; runs/<run>-cv/crossvalidation.json holds \
            every fold's figures and their mean and standard deviation, and report/index.html plots \
            the folds (report-vs-<run2>+<run3>…/ in the first run's folder when runs are compared, \
            so that each comparison keeps its page). --resume continues after a \
            kill, and reuses finished folds. Frozen-base epochs reuse the feature cache, so a frozen \
            configuration costs K head trainings; one that fine-tunes costs K trainings.

            With several runs, all are scored on the same folds and each is compared with the first \
            fold by fold: the differences cancel what makes a fold easy or hard, so they settle \
            choices the folds' own spread cannot.

            Examples:
              albumgenre crossvalidate lite0 --folds 5        # writes runs/lite0-cv/
              albumgenre crossvalidate lite0 lite0stats       # lite0stats against lite0
            """)

    @OptionGroup var catalogOption: CatalogOption
    @OptionGroup var runsOption: RunsOption
    @OptionGroup var output: OutputOptions

    @Argument(help: "The runs whose configurations to cross-validate (names under --runs, or folders); the first is the baseline.")
    var runNames: [String] = []

    @Option(help: "Number of folds (at least 2).")
    var folds = 5

    @Option(help: "Name of the folder under --runs for the folds and the summary (one run only; default: <run-name>-cv).")
    var name: String?

    @Option(help: "Seed of the fold assignment (default: the first run's seed).")
    var foldSeed: UInt64?

    @OptionGroup var repeating: RepeatOptions

    /// What the command prints with --json.
    struct Result: Encodable {
        var crossValidations: [CrossValidation.Summary]
        /// Each later run against the first, fold by fold (empty for one run).
        var comparisons: [CrossValidation.Comparison]
        /// The HTML page with the folds plotted (in the first run's folder).
        var report: String
    }

    func validate() throws {
        guard !runNames.isEmpty else { throw ValidationError("name at least one run") }
        guard Set(runNames).count == runNames.count else { throw ValidationError("each run is cross-validated once: name it once") }
        guard folds >= 2 else { throw ValidationError("--folds must be at least 2") }
        if let name, name.contains("/") { throw ValidationError("--name is a folder name under --runs, without '/'") }
        if name != nil, runNames.count > 1 { throw ValidationError("--name names the folder of one run; with several, each writes runs/<run>-cv") }
    }

    func run() throws {
        let sources = try runNames.map { try runsOption.existingRunFolder($0) }
        let configurations = try sources.map { repeating.applied(to: try sourceConfiguration($0)) }
        if let other = zip(sources, configurations).first(where: { Set($0.1.genres) != Set(configurations[0].genres) }) {
            throw Console.fail(
                "\(other.0.lastPathComponent) predicts other genres than \(sources[0].lastPathComponent): runs compared on the same folds must share their genres",
                status: ExitStatus.usage)
        }
        let folders = sources.map { runsOption.root.appendingPathComponent(name ?? "\($0.lastPathComponent)-cv", isDirectory: true) }
        for folder in folders where !repeating.resume {
            let existing = (1...folds).map { folder.appendingPathComponent(CrossValidation.foldName($0), isDirectory: true) }
                .first { FileManager.default.fileExists(atPath: RunDirectory(url: $0).configurationURL.path) }
            if let existing {
                throw Console.fail(
                    "\(existing.path) already holds a fold: pass --resume to continue (or reuse) it, or choose another --name",
                    status: ExitStatus.usage)
            }
        }

        let catalog = try openCatalog(catalogOption.catalog, mustExist: true)
        try requireSplits(catalog, path: catalogOption.catalog)
        let wanted = Set(configurations[0].genres)
        let pool = try catalog.labelledImages().filter { wanted.contains($0.genre) && ($0.split == .train || $0.split == .val) }
        guard !pool.isEmpty else { throw TrainingError.emptySplit("train + val") }
        let seed = foldSeed ?? configurations[0].seed
        let quiet = output.quiet || output.json
        let bar = ProgressMeter("grouping covers into \(folds) folds", total: pool.count, unit: "covers", quiet: quiet)
        let plans = zip(sources, zip(configurations, folders)).map {
            CrossValidation.Plan(source: $0.lastPathComponent, configuration: $1.0, folder: $1.1)
        }
        let (summaries, comparisons): ([CrossValidation.Summary], [CrossValidation.Comparison])
        do {
            (summaries, comparisons) = try CrossValidation.run(
                plans: plans, pool: pool, count: folds, seed: seed, grouping: { bar.update($0) },
                starting: { source, fold, covers in
                    Console.info("\(source), fold \(fold) of \(folds): validating on \(covers) covers", quiet: quiet)
                },
                train: { configuration, dataset, run in
                    _ = try TrainingRunner(quiet: quiet, weightsFile: repeating.weights).train(
                        configuration: configuration, dataset: dataset, run: run, resume: repeating.resume)
                })
        } catch CrossValidation.RunError.foldOfOtherFolds(let fold, let folder) {
            throw Console.fail(
                "\(fold.path) holds a fold of other folds (another --fold-seed or --folds, or another catalog): remove \(folder.path) or choose another --name",
                status: ExitStatus.usage)
        } catch CrossValidation.RunError.noSelectedEpoch(let fold) {
            throw Console.fail("\(fold.path) finished without a selected epoch", status: ExitStatus.failure)
        }
        let report = try CrossValidationReports.write(
            summaries: summaries, comparisons: comparisons, covers: pool.count,
            to: folders[0].appendingPathComponent(
                CrossValidationReports.folderName(comparedWith: summaries.dropFirst().map(\.source)), isDirectory: true))
        if output.json { return try Console.printJSON(Result(crossValidations: summaries, comparisons: comparisons, report: report.path)) }
        Console.print(
            (zip(summaries, folders).map { Self.render($0, covers: pool.count, folder: $1) } + comparisons.map(Self.render) + [
                "report: \(report.path)"
            ])
            .joined(separator: "\n\n"))
    }

    /// RUN's configuration; an ensemble or a final fit has none to repeat.
    private func sourceConfiguration(_ source: URL) throws -> TrainingConfiguration {
        let run = RunDirectory(url: source)
        guard !ModelArchive.isEnsemble(source), FileManager.default.fileExists(atPath: run.configurationURL.path) else {
            throw Console.fail(
                "\(source.path) has no config.json to repeat (an ensemble? cross-validate its members one by one)",
                status: ExitStatus.usage)
        }
        let configuration = try run.readJSON(TrainingConfiguration.self, from: run.configurationURL)
        if let finalFit = configuration.finalFit {
            throw Console.fail(
                "\(source.lastPathComponent) is a final fit, trained on validation too: cross-validate \(finalFit.sourceRun) instead",
                status: ExitStatus.usage)
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
        lines.append(
            "mean ± sd: accuracy \(spread(result.accuracy)), macro-F1 \(spread(result.macroF1)), balanced \(spread(result.balancedAccuracy))")
        lines.append("written: \(folder.appendingPathComponent(CrossValidation.Summary.fileName).path)")
        return lines.joined(separator: "\n")
    }

    static func render(_ comparison: CrossValidation.Comparison) -> String {
        let signed = { (value: Double) in String(format: "%+.3f", value) }
        let sd = { (value: Double) in String(format: "%.3f", value) }
        let f1 = comparison.macroF1Difference, accuracy = comparison.accuracyDifference
        return """
            \(comparison.candidate) against \(comparison.baseline), fold by fold: macro-F1 \(signed(f1.mean)) ± \(sd(f1.standardDeviation)), \
            accuracy \(signed(accuracy.mean)) ± \(sd(accuracy.standardDeviation)); better on \(comparison.foldsBetter) folds, worse on \(comparison.foldsWorse)
            """
    }
}
