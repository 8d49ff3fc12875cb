import ArgumentParser
import Catalog
import Foundation
import Models
import RunArtifacts
import Training

/// `albumgenre calibrate`: temperature scaling fitted on the validation split.
struct Calibrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit a temperature on validation so probabilities match accuracy.",
        usage: "albumgenre calibrate <run> [--from <run> | --remove] [<options>]",
        discussion: """
            A fine-tuned network is over-confident: its top-1 probability is higher, on average, than \
            its accuracy. `calibrate` scores RUN (a run or an ensemble) on the validation split and \
            fits one temperature T that minimises the validation log-loss of p^(1/T), renormalised \
            (for one view, softmax(logits / T)). The most probable genre never changes, so accuracy \
            and macro-F1 stay as they are; the probabilities `predict`, `serve` and `evaluate` show \
            become honest. The result goes to runs/<name>/calibration.json.

            The figures printed beside it are the validation expected calibration error (ECE, 10 \
            bins) and log-loss, before and with the temperature. The second is cross-fitted: each \
            half of the covers is scaled by the temperature fitted on the other half, so the gain \
            is not measured on the covers that chose it. The test split is never read.

            A final fit (`albumgenre refit`) trained on validation, so it cannot be calibrated there: \
            refit copies its validated run's temperature, and --from gives it one later (a run \
            calibrated after its refit). --remove drops the calibration.

            Examples:
              albumgenre calibrate ft20 --catalog covers.sqlite
              albumgenre calibrate ft20-final --from ft20
            """)

    @OptionGroup var catalogOption: CatalogOption
    @OptionGroup var runsOption: RunsOption
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The run or ensemble to calibrate (a name under --runs, or a folder).", valueName: "run"))
    var runName: String

    @Option(help: ArgumentHelp("Use the temperature already fitted for this validated run (for a final fit).", valueName: "run"))
    var from: String?

    @Flag(help: "Remove the run's calibration: its probabilities are used as the model gives them.")
    var remove = false

    func validate() throws {
        if remove, from != nil { throw ValidationError("--remove and --from exclude each other") }
    }

    func run() throws {
        let folder = try runsOption.existingRunFolder(runName)
        let file = folder.appendingPathComponent(CalibrationRecord.fileName)
        if remove {
            struct Removed: Encodable {
                var run: String
                var removed: Bool
            }
            let existed = FileManager.default.fileExists(atPath: file.path)
            try? FileManager.default.removeItem(at: file)
            if output.json { return try Console.printJSON(Removed(run: folder.path, removed: existed)) }
            return Console.print("\(folder.lastPathComponent) is not calibrated" + (existed ? " any more (removed \(file.path))" : ""))
        }
        let record: CalibrationRecord
        if let from {
            let source = try runsOption.existingRunFolder(from)
            guard var fitted = try CalibrationRecord.read(in: source) else {
                throw Console.fail(
                    "\(source.lastPathComponent) has no calibration.json: run `albumgenre calibrate \(from)` first", status: ExitStatus.usage)
            }
            fitted.fittedOn = source.lastPathComponent
            record = fitted
        } else {
            record = try fit(folder)
            if record.covers < 100 {
                Console.warning(
                    "a temperature fitted on \(record.covers) validation covers is noisy: compare the cross-fitted figures before keeping it")
            }
            if record.temperature < 0.06 || record.temperature > 19 {
                Console.warning(
                    String(
                        format:
                            "the fitted temperature %.3f is at the edge of the search (0.05 to 20): the validation probabilities carry little information",
                        record.temperature))
            }
        }
        try record.write(in: folder)
        if output.json {
            try Console.printJSON(record)
        } else {
            let copied = record.fittedOn == folder.lastPathComponent ? "" : " (fitted on \(record.fittedOn)'s validation covers)"
            Console.print(
                [
                    String(format: "temperature %.3f%@ for %@", record.temperature, copied, folder.lastPathComponent),
                    String(
                        format:
                            "validation, %d covers: calibration error (ECE) %.3f -> %.3f, log-loss %.3f -> %.3f (cross-fitted); predictions unchanged",
                        record.covers, record.before.expectedCalibrationError, record.crossFitted.expectedCalibrationError,
                        record.before.negativeLogLikelihood, record.crossFitted.negativeLogLikelihood),
                    "written to \(file.path): evaluate, predict and serve now scale the probabilities by it",
                ].joined(separator: "\n"))
        }
    }

    /// Scores `folder` on validation without any earlier calibration and fits the temperature.
    private func fit(_ folder: URL) throws -> CalibrationRecord {
        let evaluator = try Evaluator(runFolder: folder, calibrated: false)
        if evaluator.predictor.memberDescriptions.contains(where: { $0.trainedOnValidation == true }) {
            throw Console.fail(
                "\(folder.lastPathComponent) trained on the validation split (a final fit): calibrate its validated run, "
                    + "then `albumgenre calibrate \(folder.lastPathComponent) --from <that run>`",
                status: ExitStatus.usage)
        }
        let classNames = evaluator.description.classNames
        let images = try splitImages(.val, catalogPath: catalogOption.catalog).filter { classNames.contains($0.genre) }
        let bar = ProgressMeter("calibrate \(folder.lastPathComponent) on validation", total: images.count, quiet: output.quiet || output.json)
        let scored = zip(images, evaluator.probabilities(images) { done, _ in bar.update(done) }).compactMap { image, row in
            row.map { (row: $0, label: classNames.firstIndex(of: image.genre)!) }
        }
        guard scored.count >= 2 else { throw TrainingError.emptySplit("val") }
        let rows = scored.map(\.row), labels = scored.map(\.label)

        return CalibrationRecord.fitted(rows: rows, labels: labels, classNames: classNames, fittedOn: folder.lastPathComponent)
    }
}
