import Catalog
import Checkpoints
import Foundation
import Models
import NeuralNetwork
import Optimizers
import RunArtifacts
import TensorCore

/// Runs one training configuration end to end in a run folder, resumably:
///
/// 1. pretrained models: extract (or read cached) frozen features, train the head for
///    `frozenEpochs` (phase "frozen"); scratch models: train everything (phase "scratch");
/// 2. pretrained models: restore the best frozen epoch, unfreeze the top `unfrozenFraction` of the
///    backbone and fine-tune for `fineTuneEpochs` (phase "finetune");
/// 3. keep the epoch with the best validation macro-F1 as `weights.safetensors` + `model.json`
///    (a final fit, `TrainingConfiguration.finalFit`, trains on validation too and keeps its last epoch).
///
/// After every epoch the full state (weights, optimizer, counters) is checkpointed atomically, so a
/// killed run resumed with `resume: true` ends with the same numbers as an uninterrupted one. The test
/// split is never read here.
public final class TrainingPipeline {
    public let configuration: TrainingConfiguration
    public let dataset: GenreDataset
    public let run: RunDirectory
    let transform: any ImageTransforming
    let featureCacheRoot: URL
    let pretrained: () throws -> PyTorchCheckpoint
    let report: (TrainingEvent) -> Void
    var checkpoints: CheckpointStore { CheckpointStore(folder: run.checkpointURL) }
    /// Called after every checkpoint with the global epoch; returning true stops the run there, as a
    /// kill would (used by tests of `resume`).
    public var shouldStopAfterEpoch: (Int) -> Bool = { _ in false }

    public init(
        configuration: TrainingConfiguration, dataset: GenreDataset, run: RunDirectory, transform: any ImageTransforming,
        featureCacheRoot: URL, pretrained: @escaping () throws -> PyTorchCheckpoint, report: @escaping (TrainingEvent) -> Void
    ) {
        self.configuration = configuration
        self.dataset = dataset
        self.run = run
        self.transform = transform
        self.featureCacheRoot = featureCacheRoot
        self.pretrained = pretrained
        self.report = report
    }

    /// Trains (or resumes) and returns the per-epoch records of the whole run.
    public func run(resume: Bool) throws -> [EpochRecord] {
        let config = configuration
        for split in [Split.train, .val] where dataset.images(in: split).isEmpty {
            throw TrainingError.emptySplit(split.rawValue)
        }
        var state = try prepareRunFolder(resume: resume)
        TensorEngine.setThreadCount(config.threads)
        let model = config.model.make(classCount: dataset.classNames.count, seed: config.seed, resolution: config.resolution)
        if config.model.isPretrained {
            report(.message("loading ImageNet weights"))
            try model.loadPretrained(try pretrained(), keepHead: false)
            model.replaceHead(classCount: dataset.classNames.count, seed: config.seed)
        }
        if let restored = state {
            try ModelArchive.load(model, from: checkpoints.weightsURL(epoch: restored.globalEpoch))
            report(.message("resuming after epoch \(restored.globalEpoch) (\(restored.phase))"))
        }
        let weights = config.classWeighting ? dataset.balancedClassWeights() : nil
        let train = config.trainingSplits.flatMap(dataset.images(in:)), validation = dataset.images(in: .val)
        if let finalFit = config.finalFit {
            report(
                .message(
                    "final fit of \(finalFit.sourceRun) on train + validation (\(train.count) covers): \(config.frozenEpochsToRun) epochs of its first phase, "
                        + "then \(config.fineTuneEpochsToRun) of fine-tuning; no validation pass (those covers are training data here)"))
        }
        let trainLabels = train.map(dataset.label(of:)), validationLabels = validation.map(dataset.label(of:))

        if config.model.isPretrained {
            if state == nil || state?.phase == .frozen {
                state = try runFrozenPhase(
                    model, state: state, weights: weights, train: (train, trainLabels), validation: (validation, validationLabels))
                // Fine-tuning starts from the selected (best) frozen epoch, not the last one.
                if config.fineTuneEpochsToRun > 0 { try ModelArchive.load(model, from: run.weightsURL) }
                state = state.map {
                    var s = $0
                    s.phase = .finetune
                    s.epochsInPhase = 0
                    s.patienceLeft = config.earlyStoppingPatience
                    return s
                }
            }
            if config.fineTuneEpochsToRun > 0 {
                _ = try runNetworkPhase(
                    .finetune, model, state: state, weights: weights, train: (train, trainLabels), validation: (validation, validationLabels))
            }
        } else {
            _ = try runNetworkPhase(
                .scratch, model, state: state, weights: weights, train: (train, trainLabels), validation: (validation, validationLabels))
        }
        return run.readMetrics()
    }

    /// Writes (or checks, when resuming) `config.json`; returns the checkpointed state if resuming.
    private func prepareRunFolder(resume: Bool) throws -> RunState? {
        if FileManager.default.fileExists(atPath: run.configurationURL.path) {
            guard resume else {
                throw TrainingError.resumeMismatch("\(run.url.path) already holds a run (pass --resume to continue it)")
            }
            let saved = try run.readJSON(TrainingConfiguration.self, from: run.configurationURL)
            guard saved == configuration else { throw TrainingError.resumeMismatch("the configuration differs from the saved config.json") }
            // Other covers or other splits (a re-split catalog, another cross-validation fold) would
            // validate on covers the run has trained on.
            if let recorded = try? run.readJSON([SplitEntry].self, from: run.splitURL),
                recorded.map(\.id) != dataset.images.map(\.id) || recorded.map(\.split) != dataset.images.map(\.split)
            {
                throw TrainingError.datasetChanged("\(run.url.path) was started on other covers or other splits (its split.json)")
            }
            guard let state = checkpoints.latestState() else {
                try run.truncateMetrics { _ in false }
                return nil
            }
            try run.truncateMetrics { line in
                (MetricsLog.epoch(fromLine: line)?.epoch ?? .max) <= state.globalEpoch
            }
            return state
        }
        try run.writeJSON(configuration, to: run.configurationURL)
        try run.writeJSON(
            dataset.images.map { SplitEntry(id: $0.id, file: $0.url.lastPathComponent, genre: $0.genre, split: $0.split) }, to: run.splitURL)
        return nil
    }
}

/// Progress reported while training.
public enum TrainingEvent: Sendable {
    case message(String)
    /// `done` of `total` units of `phase` (images, or image-views for feature extraction).
    case progress(phase: String, epoch: Int, done: Int, total: Int, loss: Double?)
    case epochFinished(EpochRecord)
    case skippedImages([String])
}

/// The resumable counters, saved as `checkpoint/state.json` beside the weights.
struct RunState: Codable, Sendable {
    var phase: TrainingPhase
    var epochsInPhase: Int
    var globalEpoch: Int
    var step: Int
    var bestMacroF1: Double
    var bestEpoch: Int
    var patienceLeft: Int?
    /// Whether `optimizer.safetensors` beside the state belongs to this phase.
    var hasOptimizerState: Bool
}

/// One row of `split.json`.
struct SplitEntry: Codable {
    var id: Int64
    var file: String
    var genre: String
    var split: Split?
}
