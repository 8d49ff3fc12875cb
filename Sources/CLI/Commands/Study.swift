import ArgumentParser
import Catalog
import Foundation
import Models
import ReportAssembly
import Reports
import RunArtifacts
import Training

/// `albumgenre study`: the original study's table, rebuilt on a catalog.
struct Study: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rerun the original study's experiments and compare with its numbers.",
        usage: "albumgenre study [--catalog <path>] [--pairs <a:b,c:d>] [<options>]",
        discussion: """
            For all genres of the catalog: the study's scratch CNN, EfficientNet-Lite0 with a frozen \
            base (the study's 20 epochs), and the same then fine-tuned (10 more epochs). For each of \
            the study's genre pairs present in the catalog (rap/rock, country/jazz, rap/holiday, \
            rock/latin, or --pairs): the scratch CNN and the fine-tuned transfer model. Every model \
            is chosen on validation and scored once on the test split. Runs that exist are resumed, \
            so an interrupted study continues where it stopped.

            Example:
              albumgenre study --catalog covers.sqlite --pairs hiphop:rock,country:pop
            """)

    @OptionGroup var catalogOption: CatalogOption
    @OptionGroup var runsOption: RunsOption
    @OptionGroup var output: OutputOptions

    @Option(help: "Genre pairs as a:b,c:d (default: the study's pairs present in the catalog).")
    var pairs: String?

    @Option(help: "Epochs of the scratch CNN (the study: 10).") var scratchEpochs = 10
    @Option(help: "Frozen-base epochs (the study: 20).") var frozenEpochs = 20
    @Option(name: .customLong("finetune-epochs"), help: "Fine-tuning epochs (the study: 10).") var fineTuneEpochs = 10
    @Option(help: "Seed of every run.") var seed: UInt64 = 42
    @Flag(help: "Skip the genre pairs (only the all-genre models).") var noPairs = false

    func run() throws {
        let catalog = try openCatalog(catalogOption.catalog, mustExist: true)
        try requireSplits(catalog, path: catalogOption.catalog)
        let images = try catalog.labelledImages()
        let genres = Array(Set(images.map(\.genre))).sorted()
        let wanted = noPairs ? [] : pairs.map { $0.split(separator: ",").map { $0.split(separator: ":").map(String.init) } }
        if let wanted, let unknown = wanted.joined().first(where: { !genres.contains($0) }) {
            throw Console.fail(
                "unknown genre '\(unknown)' in --pairs: \(catalogOption.catalog) has \(genres.joined(separator: ", "))",
                status: ExitStatus.usage)
        }
        let tasks = StudyPlan.tasks(genres: genres, pairs: wanted)
        let plan = StudyPlan(scratchEpochs: scratchEpochs, frozenEpochs: frozenEpochs, fineTuneEpochs: fineTuneEpochs, seed: seed)
        var results: [ComparisonReport.RunResult] = []
        for task in tasks {
            let dataset = GenreDataset(images: images, genres: task)
            for experiment in plan.experiments(task: task, allGenres: task.count == genres.count && task.count > 2) {
                let run = try RunDirectory.create(named: experiment.runName, under: runsOption.root)
                Console.info("study: \(run.url.lastPathComponent)", quiet: output.quiet)
                let resume = FileManager.default.fileExists(atPath: run.configurationURL.path)
                let summary = try TrainingRunner(quiet: output.quiet || output.json, weightsFile: nil)
                    .train(configuration: experiment.configuration, dataset: dataset, run: run, resume: resume)
                let record = try Evaluator.testRecordOnce(run: run, images: dataset.images(in: .test))
                try RunReporting.writeTrainingReport(run: run)
                let description = experiment.description
                let counts = dataset.classCounts(in: .test)
                results.append(
                    ComparisonReport.RunResult(
                        task: StudyTask(genres: task), model: description, runName: run.url.lastPathComponent,
                        trainCount: dataset.images(in: .train).count, validationCount: dataset.images(in: .val).count,
                        testCount: record.metrics.count,
                        majorityBaseline: Double(counts.max() ?? 0) / Double(max(counts.reduce(0, +), 1)),
                        validationAccuracy: summary.validationAccuracy, validationMacroF1: summary.validationMacroF1,
                        testAccuracy: record.metrics.accuracy, testMacroF1: record.metrics.macroF1))
            }
        }
        let folder = runsOption.root.appendingPathComponent("study-report", isDirectory: true)
        let report = ComparisonReport(
            results: results,
            notes: [
                "Catalog: \(catalogOption.catalog). Every model was selected on validation and scored once on the held-out test split."
            ])
        let written = try ReportWriter().write(report.document(), to: folder)
        if output.json {
            try Console.printJSON(report)
        } else {
            for r in results {
                Console.print(
                    String(
                        format: "%@  %@: test accuracy %.3f, macro-F1 %.3f", StudyTask(genres: r.task.genres).description, r.model,
                        r.testAccuracy ?? 0, r.testMacroF1 ?? 0))
            }
            Console.print("study report: \(written.indexFile.path)")
        }
    }
}
