/// The training phase an epoch belongs to. Known phases have constants; any other string in a
/// metrics file is kept as is (a newer trainer may add phases), so reading never fails on it.
public struct TrainingPhase: RawRepresentable, Codable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Transfer learning with the pretrained base frozen (only the head trains).
    public static let frozen = TrainingPhase(rawValue: "frozen")
    /// Transfer learning with the top of the base unfrozen.
    public static let finetune = TrainingPhase(rawValue: "finetune")
    /// A network trained from random initialisation.
    public static let scratch = TrainingPhase(rawValue: "scratch")

    /// A label for charts: "frozen base", "fine-tuning", "from scratch", or the raw value.
    public var displayName: String {
        switch rawValue {
        case "frozen": "frozen base"
        case "finetune": "fine-tuning"
        case "scratch": "from scratch"
        default: rawValue
        }
    }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// One line of a run's `metrics.jsonl`: the metrics of one finished epoch.
///
/// JSON keys are snake_case:
/// `{"epoch": 21, "phase": "finetune", "train_loss": 0.91, "train_accuracy": 0.66, "val_loss": 1.12,
///   "val_accuracy": 0.55, "val_macro_f1": 0.52, "images_per_second": 41.3, "seconds": 158.6}`.
/// `epoch`, `phase`, `train_loss` and `train_accuracy` are required; the validation numbers,
/// throughput, duration and `learning_rate` are optional (a run may validate every few epochs).
/// Accuracies and F1 are fractions in [0, 1]. Non-finite numbers may be written as `NaN`,
/// `Infinity`, `-Infinity` (bare, as Python writes them, or as strings, as Swift's `JSONEncoder`
/// with `.convertToString` writes them): a diverged epoch must not make the log unreadable.
public struct EpochMetrics: Codable, Sendable, Equatable {
    public var epoch: Int
    public var phase: TrainingPhase
    public var trainLoss: Double
    public var trainAccuracy: Double
    public var validationLoss: Double?
    public var validationAccuracy: Double?
    public var validationMacroF1: Double?
    public var imagesPerSecond: Double?
    public var seconds: Double?
    public var learningRate: Double?

    public init(
        epoch: Int, phase: TrainingPhase, trainLoss: Double, trainAccuracy: Double,
        validationLoss: Double? = nil, validationAccuracy: Double? = nil, validationMacroF1: Double? = nil,
        imagesPerSecond: Double? = nil, seconds: Double? = nil, learningRate: Double? = nil
    ) {
        self.epoch = epoch
        self.phase = phase
        self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.validationMacroF1 = validationMacroF1
        self.imagesPerSecond = imagesPerSecond
        self.seconds = seconds
        self.learningRate = learningRate
    }

    enum CodingKeys: String, CodingKey {
        case epoch, phase, seconds
        case trainLoss = "train_loss"
        case trainAccuracy = "train_accuracy"
        case validationLoss = "val_loss"
        case validationAccuracy = "val_accuracy"
        case validationMacroF1 = "val_macro_f1"
        case imagesPerSecond = "images_per_second"
        case learningRate = "learning_rate"
    }
}
