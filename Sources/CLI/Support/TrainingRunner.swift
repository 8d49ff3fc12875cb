import Foundation
import ReportAssembly
import RunArtifacts
import Training

/// Wires a `TrainingSession` to the terminal: progress bars, one line per epoch, and the report.
struct TrainingRunner {
    var quiet: Bool
    var weightsFile: String?

    func train(configuration: TrainingConfiguration, dataset: GenreDataset, run: RunDirectory, resume: Bool) throws -> TrainingSummary {
        var bar: ProgressMeter?
        var barKey = ""
        let quiet = quiet
        var summary = try TrainingSession(configuration: configuration, dataset: dataset, run: run, weightsFile: weightsFile).train(resume: resume) {
            event in
            switch event {
            case .message(let text):
                Console.info(text, quiet: quiet)
            case .progress(let phase, let epoch, let done, let total, let loss):
                let key = "\(phase)-\(epoch)"
                if key != barKey {
                    barKey = key
                    bar = ProgressMeter(epoch > 0 ? "\(phase) epoch \(epoch)" : phase, total: total, quiet: quiet)
                }
                bar?.update(done, suffix: loss.map { String(format: "loss %.3f", $0) } ?? "")
            case .epochFinished(let record):
                // A final fit keeps every epoch and has no validation figures, so no "(best)" either.
                let validation =
                    record.validationAccuracy == nil
                    ? "no validation"
                    : "val acc \(TrainingSummary.figure(record.validationAccuracy)) macro-F1 \(TrainingSummary.figure(record.validationMacroF1))"
                        + (record.isBest ? " (best)" : "")
                Console.info(
                    String(
                        format: "epoch %d (%@): train loss %.3f acc %.3f | %@ | %.0f img/s, %.0f s",
                        record.epoch, record.phase.rawValue, record.trainLoss, record.trainAccuracy, validation, record.imagesPerSecond ?? 0,
                        record.seconds ?? 0),
                    quiet: quiet)
            case .skippedImages(let files):
                Console.warning("skipped \(files.count) unreadable images, e.g. \(files.prefix(3).joined(separator: "; "))")
            }
        }
        summary.report = try? RunReporting.writeTrainingReport(run: run)
        return summary
    }
}

extension TrainingRunner {
    /// Trains into `runs/<runName>` and prints the summary (one JSON document with `--json`): what
    /// `train` and `refit` do once they have their configuration.
    static func trainAndPrint(
        configuration: TrainingConfiguration, dataset: GenreDataset, runName: String, runs: RunsOption, output: OutputOptions,
        weights: String?, resume: Bool, next: String? = nil
    ) throws {
        let run = try RunDirectory.create(named: runName, under: runs.root)
        let result = try TrainingRunner(quiet: output.quiet || output.json, weightsFile: weights)
            .train(configuration: configuration, dataset: dataset, run: run, resume: resume)
        if output.json {
            try Console.printJSON(result)
        } else {
            Console.print(result.humanSummary(next: next))
        }
    }
}
