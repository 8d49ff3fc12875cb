import Catalog
import Models
import RunArtifacts

/// Everything needed to repeat a training run, saved as `config.json` in the run folder.
///
/// The default schedule is the original study's: 20 epochs with the pretrained base frozen (only
/// the head learns, on cached features), then 10 epochs with the top of the base unfrozen at a
/// lower learning rate. Scratch models have a single phase.
public struct TrainingConfiguration: Codable, Sendable, Equatable {
    public var model: ModelKind
    /// Genre labels in class-index order. Two for a binary model, six for the study.
    public var genres: [String]
    public var seed: UInt64
    public var batchSize: Int
    /// Input side length; nil means the model's own (224 for EfficientNet-Lite0).
    public var resolution: Int?

    /// Epochs with the backbone frozen (pretrained models) or all epochs (scratch models).
    public var frozenEpochs: Int
    public var frozenOptimizer: OptimizerSettings
    /// Epochs with the top of the backbone unfrozen; 0 skips fine-tuning.
    public var fineTuneEpochs: Int
    public var fineTuneOptimizer: OptimizerSettings
    /// Fraction of the backbone's stages, counted from the output side, that fine-tuning unfreezes
    /// (the study unfroze layers 100–154 of Keras' MobileNetV2: about 0.35).
    public var unfrozenFraction: Double

    /// Augmented views of each training image whose frozen features are cached (1 = no augmentation).
    public var cachedViews: Int
    public var augmentation: Bool
    /// Weight the loss by inverse class frequency (holiday is 6 % of the study's data).
    public var classWeighting: Bool
    public var labelSmoothing: Float
    /// Stop a phase when validation macro-F1 has not improved for this many epochs (nil: never).
    public var earlyStoppingPatience: Int?
    public var threads: Int
    /// Share of the shorter side kept by the evaluation center crop (the papers' 224/256 = 0.875
    /// when nil; 1.0 keeps the whole cover, whose borders often carry the typography).
    public var cropFraction: Double?
    /// Fine-tune with the backbone's batch norms on their running statistics (Keras' `training=False`
    /// base, as the study did): the head keeps seeing the feature distribution it was trained on.
    /// When false, fine-tuning normalises with batch statistics and updates them (PyTorch's `train()`).
    /// Nil means true.
    public var freezesBatchNormStatistics: Bool?
    /// Evaluate and predict with `TestTimeView.standardSet` (nil: false, the centre crop alone).
    /// Per-epoch validation during training still reads the centre crop's cached features.
    public var testTimeAugmentation: Bool?
    /// α of mixup's Beta(α, α) in the phases that train the network on images (scratch and
    /// fine-tuning; not the frozen head on cached features). Nil or 0: off.
    public var mixupAlpha: Float?
    /// Set for a final fit (`albumgenre refit RUN`): the run trains on train ∪ validation with a
    /// validated run's configuration and stops each phase after the epoch that run chose; nil for an
    /// ordinary run, which selects its epoch on validation.
    public var finalFit: FinalFit?

    /// Images the phases train on: the train split, plus the validation split in a final fit.
    public var trainingSplits: [Split] { finalFit == nil ? [.train] : [.train, .val] }

    /// Epochs the first phase runs: all of them, or in a final fit those the validated run selected.
    public var frozenEpochsToRun: Int { finalFit.map { min($0.frozenEpochs, frozenEpochs) } ?? frozenEpochs }
    /// Epochs fine-tuning runs, likewise.
    public var fineTuneEpochsToRun: Int { finalFit.map { min($0.fineTuneEpochs, fineTuneEpochs) } ?? fineTuneEpochs }

    /// The input the model is fed: its own specification, with `cropFraction` applied.
    public func inputSpecification(for model: any ImageClassifier) -> InputSpecification {
        var input = model.inputSpecification
        if let cropFraction { input.resizeShorterSide = Int((Double(input.size) / cropFraction).rounded()) }
        return input
    }

    public init(
        model: ModelKind, genres: [String], seed: UInt64 = 42, batchSize: Int = 32, resolution: Int? = nil,
        frozenEpochs: Int = 20, frozenOptimizer: OptimizerSettings = .adam(learningRate: 1e-3),
        fineTuneEpochs: Int = 10, fineTuneOptimizer: OptimizerSettings = .adamW(learningRate: 1e-4, weightDecay: 1e-4),
        unfrozenFraction: Double = 0.35, cachedViews: Int = 4, augmentation: Bool = true, classWeighting: Bool = true,
        labelSmoothing: Float = 0.1, earlyStoppingPatience: Int? = 5, threads: Int = 2
    ) {
        self.model = model
        self.genres = genres
        self.seed = seed
        self.batchSize = batchSize
        self.resolution = resolution
        self.frozenEpochs = frozenEpochs
        self.frozenOptimizer = frozenOptimizer
        self.fineTuneEpochs = fineTuneEpochs
        self.fineTuneOptimizer = fineTuneOptimizer
        self.unfrozenFraction = unfrozenFraction
        self.cachedViews = cachedViews
        self.augmentation = augmentation
        self.classWeighting = classWeighting
        self.labelSmoothing = labelSmoothing
        self.earlyStoppingPatience = earlyStoppingPatience
        self.threads = threads
    }
}

/// An optimizer and its hyperparameters, as stored in `config.json`.
public struct OptimizerSettings: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable { case sgd, adam, adamW = "adamw", rmsprop }
    public var kind: Kind
    public var learningRate: Float
    public var momentum: Float
    public var weightDecay: Float
    /// Linear warm-up steps, then cosine decay to `learningRate · finalFraction` over the phase.
    public var warmupSteps: Int
    public var finalFraction: Float
    /// Clip the global gradient norm to this value (nil: no clipping).
    public var gradientClipNorm: Float?

    public init(
        kind: Kind, learningRate: Float, momentum: Float = 0.9, weightDecay: Float = 0, warmupSteps: Int = 0,
        finalFraction: Float = 1, gradientClipNorm: Float? = nil
    ) {
        self.kind = kind
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.warmupSteps = warmupSteps
        self.finalFraction = finalFraction
        self.gradientClipNorm = gradientClipNorm
    }

    public static func adam(learningRate: Float) -> OptimizerSettings {
        OptimizerSettings(kind: .adam, learningRate: learningRate)
    }

    public static func adamW(learningRate: Float, weightDecay: Float) -> OptimizerSettings {
        OptimizerSettings(
            kind: .adamW, learningRate: learningRate, weightDecay: weightDecay, warmupSteps: 50, finalFraction: 0.05, gradientClipNorm: 5)
    }

    /// The study's fine-tuning optimizer: RMSprop at 1e-5.
    public static let studyFineTune = OptimizerSettings(kind: .rmsprop, learningRate: 1e-5, momentum: 0)
}

/// A final fit repeats a validated run on more data. Its phases keep the validated run's schedules
/// (the learning rate follows the same curve over `frozenEpochs`/`fineTuneEpochs`) but stop after
/// the epochs validation chose there, and the last epoch is kept: validation is training data now,
/// so it can no longer choose anything.
public struct FinalFit: Codable, Sendable, Equatable {
    /// Name of the validated run.
    public var sourceRun: String
    /// Epochs of the first phase (frozen head, or scratch) that the validated run selected.
    public var frozenEpochs: Int
    /// Epochs of fine-tuning that the validated run selected (0: its best model was the frozen one).
    public var fineTuneEpochs: Int
    /// The validated run's validation macro-F1: the evidence for this configuration.
    public var validationMacroF1: Double

    public init(sourceRun: String, frozenEpochs: Int, fineTuneEpochs: Int, validationMacroF1: Double) {
        self.sourceRun = sourceRun
        self.frozenEpochs = frozenEpochs
        self.fineTuneEpochs = fineTuneEpochs
        self.validationMacroF1 = validationMacroF1
    }
}
