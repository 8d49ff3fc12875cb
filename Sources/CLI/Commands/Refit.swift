import ArgumentParser
import Foundation
import Models
import RunArtifacts
import Training

/// `albumgenre refit`: the final fit of a validated run (or of every member of a validated
/// ensemble) on train + validation.
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
            `evaluate --split val` refuses it, and it records no validation figures. Score it once \
            with `albumgenre evaluate NAME --split test`.

            --seed repeats RUN with another seed (initialisation, shuffling, augmentation and \
            mixup) but RUN's epochs: final fits of one configuration with several seeds, \
            ensembled, average away the seed's share of the variance without choosing anything.

            RUN can be an ensemble: each member's validated run (runs/<member>, kept by \
            `albumgenre ensemble`'s sources) is refitted to runs/<member>-final, then those final \
            fits are ensembled as runs/<RUN>-final (or --name); with --seed S, to \
            runs/<member>-final-sS and runs/<RUN>-final-sS. Every member is planned before any \
            trains; --resume continues the members' final fits after a kill.

            Examples:
              albumgenre refit lite0-6genres    # writes runs/lite0-6genres-final/
              albumgenre refit ens-six          # each member, then runs/ens-six-final/
              albumgenre refit lite0-6genres --seed 45   # runs/lite0-6genres-final-s45/
            """)

    @OptionGroup var catalogOption: CatalogOption
    @OptionGroup var runsOption: RunsOption
    @OptionGroup var output: OutputOptions

    @Argument(help: "The validated run or ensemble to repeat (a name under --runs, or a folder).")
    var runName: String

    @Option(help: "Name of the new run (or ensemble) folder under --runs (default: <run-name>-final, or -final-s<seed>).")
    var name: String?

    @Option(help: "Another seed for the final fit (of a run, or of each member); the epochs stay the validated ones (default: each run's seed).")
    var seed: UInt64?

    @OptionGroup var repeating: RepeatOptions

    /// What refitting an ensemble prints with --json.
    struct EnsembleResult: Encodable {
        var ensemble: String
        var members: [TrainingSummary]
    }

    func validate() throws {
        if let name, name.contains("/") { throw ValidationError("--name is a folder name under --runs, without '/'") }
    }

    func run() throws {
        let source = try runsOption.existingRunFolder(runName)
        if ModelArchive.isEnsemble(source) { return try refitEnsemble(source) }
        var configuration = try plan(repeating: source)
        if let seed { configuration.seed = seed }
        let defaultName = "\(source.lastPathComponent)-final" + (seed.map { "-s\($0)" } ?? "")
        defer { inheritCalibration(from: source, to: runsOption.root.appendingPathComponent(name ?? defaultName, isDirectory: true)) }
        try TrainingRunner.trainAndPrint(
            configuration: configuration, dataset: try dataset(for: configuration, source: source),
            runName: name ?? defaultName, runs: runsOption, output: output, weights: repeating.weights, resume: repeating.resume,
            // One seed of several is not a model to score on its own: the seeds' ensemble is.
            next: seed.map { _ in
                "albumgenre ensemble NAME \(source.lastPathComponent)-final \(name ?? defaultName) … --no-validation, "
                    + "then score that ensemble once with `albumgenre evaluate NAME --split test`"
            })
    }

    /// The final-fit configuration of the validated run in `source`.
    private func plan(repeating source: URL) throws -> TrainingConfiguration {
        var configuration: TrainingConfiguration
        do {
            configuration = try FinalFitPlan.configuration(repeating: RunDirectory(url: source))
        } catch let error as FinalFitError {
            throw Console.fail(error.description, status: ExitStatus.usage)
        }
        return repeating.applied(to: configuration)
    }

    /// The catalog's covers of the genres `configuration` was trained on.
    private func dataset(for configuration: TrainingConfiguration, source: URL) throws -> GenreDataset {
        let path = catalogOption.catalog
        let catalog = try openCatalog(path, mustExist: true)
        try requireSplits(catalog, path: path)
        let all = try catalog.labelledImages()
        if let missing = configuration.genres.first(where: { genre in !all.contains { $0.genre == genre } }) {
            throw Console.fail(
                "\(source.lastPathComponent) was trained on '\(missing)', which \(path) has no covers of: refit it on the catalog it was trained on",
                status: ExitStatus.usage)
        }
        return GenreDataset(images: all, genres: configuration.genres)
    }

    /// Refits each member's validated run to `runs/<member>-final`, then ensembles those.
    private func refitEnsemble(_ folder: URL) throws {
        guard let ensemble = try ModelArchive.ensembleDescription(in: folder) else {
            throw Console.fail("\(folder.path) has no ensemble.json", status: ExitStatus.failure)
        }
        // With --seed every name carries it: ens-final-s45 of a-final-s45, b-final-s45, …
        let suffix = "-final" + (seed.map { "-s\($0)" } ?? "")
        let target = runsOption.root.appendingPathComponent(name ?? "\(folder.lastPathComponent)\(suffix)", isDirectory: true)
        if FileManager.default.fileExists(atPath: target.appendingPathComponent(RunDirectory.FileName.configuration).path) {
            throw Console.fail("\(target.path) is a training run: choose another --name for the ensemble", status: ExitStatus.usage)
        }
        let sources = try ensemble.sources.map { member in
            let run = runsOption.root.appendingPathComponent(member, isDirectory: true)
            guard FileManager.default.fileExists(atPath: run.appendingPathComponent(RunDirectory.FileName.configuration).path) else {
                throw Console.fail(
                    "\(folder.lastPathComponent)'s member \(member) is refitted from its validated run, and \(run.path) has no config.json: "
                        + "pass the --runs folder that holds it",
                    status: ExitStatus.usage)
            }
            return run
        }
        // A run listed twice (weighing double in the mean) is refitted once and listed twice again.
        var distinct: [URL] = []
        for source in sources where !distinct.contains(source) { distinct.append(source) }
        // Every member is planned before any trains: a run that cannot be refitted stops nothing half-way.
        let plans = try distinct.map { source in
            var configuration = try plan(repeating: source)
            if let seed { configuration.seed = seed }
            return configuration
        }
        let finals = distinct.map { runsOption.root.appendingPathComponent("\($0.lastPathComponent)\(suffix)", isDirectory: true) }
        if !repeating.resume,
            let existing = finals.first(where: {
                FileManager.default.fileExists(atPath: $0.appendingPathComponent(RunDirectory.FileName.configuration).path)
            })
        {
            throw Console.fail(
                "\(existing.path) already holds a final fit: pass --resume to keep the members' final fits (and continue an unfinished one)",
                status: ExitStatus.usage)
        }
        let dataset = try dataset(for: plans[0], source: distinct[0])
        var summaries: [TrainingSummary] = []
        for (index, (source, configuration)) in zip(distinct, plans).enumerated() {
            Console.info("member \(index + 1) of \(distinct.count): \(source.lastPathComponent)", quiet: output.quiet || output.json)
            let run = try RunDirectory.create(named: finals[index].lastPathComponent, under: runsOption.root)
            summaries.append(
                try TrainingRunner(quiet: output.quiet || output.json, weightsFile: repeating.weights)
                    .train(configuration: configuration, dataset: dataset, run: run, resume: repeating.resume))
            inheritCalibration(from: source, to: finals[index])
        }
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        do {
            _ = try ModelArchive.writeEnsemble(
                at: target, sources: sources.map { URL(fileURLWithPath: summaries[distinct.firstIndex(of: $0)!].run) },
                mirrorsViews: ensemble.mirrorsViews == true)
        } catch let error as EnsembleError {
            throw Console.fail(error.description, status: ExitStatus.failure)
        }
        inheritCalibration(from: folder, to: target)
        if output.json {
            try Console.printJSON(EnsembleResult(ensemble: target.path, members: summaries))
        } else {
            // Only the ensemble is to be scored on test: the members' own "next" lines are left out.
            Console.print(
                (summaries.map(\.headline) + [
                    "ensemble of the \(summaries.count) final fits: \(target.path)",
                    "next: albumgenre evaluate \(target.lastPathComponent) --split test   (scores the held-out test split once)",
                ]).joined(separator: "\n"))
        }
    }

    /// A final fit repeats its validated run's decisions, the temperature fitted on validation
    /// (`albumgenre calibrate`) among them: it is copied when the run has one. Only after a
    /// finished fit (a failed one has no model to scale).
    private func inheritCalibration(from source: URL, to target: URL) {
        guard
            FileManager.default.fileExists(atPath: target.appendingPathComponent(RunDirectory.FileName.model).path)
                || ModelArchive.isEnsemble(target),
            var record = try? CalibrationRecord.read(in: source)
        else { return }
        record.fittedOn = source.lastPathComponent
        do {
            try record.write(in: target)
            Console.info(
                String(
                    format: "%@ keeps the temperature %.3f that calibrate fitted on %@'s validation covers", target.lastPathComponent,
                    record.temperature, source.lastPathComponent), quiet: output.quiet || output.json)
        } catch {
            Console.warning(
                "could not copy \(source.lastPathComponent)'s calibration to \(target.lastPathComponent): \(error); run `albumgenre calibrate \(target.lastPathComponent) --from \(source.lastPathComponent)`"
            )
        }
    }
}
