import ArgumentParser
import Catalog
import Foundation
import Models
import RunArtifacts
import Training

/// `albumgenre ensemble`: a run that averages the probabilities of several trained runs.
struct Ensemble: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Combine trained runs into one model that averages their probabilities.",
        usage: "albumgenre ensemble <name> <run> <run> [<run> ...] [<options>]",
        discussion: """
            Writes runs/<name>/ with ensemble.json and a copy of each member's model, so the folder \
            works on its own with evaluate, predict and serve. The ensemble's genre probabilities are \
            the mean of its members' (each averaging its own test-time views).

            Members must predict the same genres in the same order. The command then scores the \
            validation split for every member and for the ensemble and prints them side by side: keep \
            the ensemble only if it beats its best member there, then score the test split once with \
            `albumgenre evaluate <name> --split test`.

            With --mirror every member also sees each cover mirrored left to right, and the two \
            views' probabilities are averaged (twice the forward passes).

            Example: albumgenre ensemble lite0-trio lite0-s1 lite0-s2 lite0stats-frozen
            """)

    @OptionGroup var catalogOption: CatalogOption
    @OptionGroup var runsOption: RunsOption
    @OptionGroup var output: OutputOptions

    @Argument(help: "Name of the ensemble's run folder under --runs.")
    var name: String

    @Argument(help: "The member runs: names under --runs or run folders (at least two).")
    var members: [String] = []

    @Flag(name: .customLong("no-validation"), help: "Only write the ensemble; do not score the validation split.")
    var skipValidation = false

    @Flag(help: "Average each member's views with their mirror images (test-time augmentation).")
    var mirror = false

    /// What the command prints with --json.
    struct Result: Encodable {
        struct Row: Encodable {
            var run: String
            var accuracy: Double
            var macroF1: Double
            /// Expected calibration error of the run's probabilities (`albumgenre calibrate` can lower it).
            var calibrationError: Double?
        }
        var ensemble: String
        var members: [String]
        /// Validation figures of each member, then of the ensemble (empty with --no-validation).
        var validation: [Row]
    }

    func validate() throws {
        guard members.count >= 2 else { throw ValidationError("an ensemble needs at least two member runs") }
        guard !name.contains("/") else { throw ValidationError("<name> is a folder name under --runs, without '/'") }
    }

    func run() throws {
        let sources = try members.map { try runsOption.existingRunFolder($0) }
        let folder = runsOption.root.appendingPathComponent(name, isDirectory: true)
        if sources.contains(where: { $0.standardizedFileURL == folder.standardizedFileURL }) {
            throw Console.fail("the ensemble '\(name)' cannot be one of its own members", status: ExitStatus.usage)
        }
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent(RunDirectory.FileName.configuration).path) {
            throw Console.fail("\(folder.path) is a training run: choose another name for the ensemble", status: ExitStatus.usage)
        }
        // Checked before anything is written: validation cannot score a final fit.
        let finalFit = sources.first { source in
            let run = RunDirectory(url: source)
            return (try? run.readJSON(ModelDescription.self, from: run.modelDescriptionURL))?.trainedOnValidation == true
        }
        if !skipValidation, let first = finalFit {
            throw Console.fail(
                "\(first.lastPathComponent) is a final fit, trained on the validation split, so validation cannot score this ensemble: "
                    + "pass --no-validation and score it once with `albumgenre evaluate \(name) --split test`",
                status: ExitStatus.usage)
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let ensemble: EnsembleDescription
        do {
            ensemble = try ModelArchive.writeEnsemble(at: folder, sources: sources, mirrorsViews: mirror)
        } catch let error as EnsembleError {
            throw Console.fail(error.description, status: ExitStatus.failure)
        }
        Console.info(
            "\(folder.path): ensemble of \(ensemble.sources.joined(separator: ", ")) on \(ensemble.classNames.joined(separator: ", "))"
                + (mirror ? ", each view also mirrored" : ""), quiet: output.quiet)
        var result = Result(ensemble: folder.path, members: ensemble.sources, validation: [])
        if !skipValidation {
            result.validation = try scoreValidation(sources: sources, ensemble: folder)
        }
        if output.json {
            try Console.printJSON(result)
        } else if !result.validation.isEmpty {
            var lines = ["validation split", "run                              accuracy  macro-F1       ECE"]
            for row in result.validation {
                lines.append(
                    String(
                        format: "%@ %8.3f  %8.3f  %8.3f", row.run.padding(toLength: 32, withPad: " ", startingAt: 0), row.accuracy, row.macroF1,
                        row.calibrationError ?? .nan))
            }
            Console.print(lines.joined(separator: "\n"))
        }
    }

    /// Each member's validation figures and the ensemble's, recorded in each folder like `evaluate` does.
    /// Members are scored afresh, not read from a recorded evaluation that may predate their last training.
    private func scoreValidation(sources: [URL], ensemble: URL) throws -> [Result.Row] {
        let images = try splitImages(.val, catalogPath: catalogOption.catalog)
        return try (sources + [ensemble]).map { folder in
            let record = try scoreAndRecord(folder, on: images, split: .val, quiet: output.quiet || output.json)
            return Result.Row(
                run: folder.lastPathComponent, accuracy: record.metrics.accuracy, macroF1: record.metrics.macroF1,
                calibrationError: record.metrics.expectedCalibrationError)
        }
    }
}
