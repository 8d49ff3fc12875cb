/// The training phase an epoch belongs to. Known phases have constants; any other string in a
/// metrics file is kept as is (a newer trainer may add phases), so reading never fails on it.
public struct TrainingPhase: RawRepresentable, Codable, Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }

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

/// One line of a run's `metrics.jsonl`: what happened in one finished epoch of one phase. The
/// trainer writes it (`RunDirectory.appendMetrics`) and the report, `ls`, `refit` and
/// `crossvalidate` read it (`MetricsLog`).
///
/// JSON keys are snake_case:
/// `{"epoch": 21, "phase": "finetune", "train_loss": 0.91, "train_accuracy": 0.66, "val_loss": 1.12,
///   "val_accuracy": 0.55, "val_macro_f1": 0.52, "images_per_second": 41.3, "seconds": 158.6,
///   "learning_rate": 0.0001, "is_best": true}`.
/// `epoch`, `phase`, `train_loss` and `train_accuracy` are required; the rest is optional (a final
/// fit has no validation figures; logs from other tools may lack throughput or `is_best`).
/// Accuracies and F1 are fractions in [0, 1]. Non-finite numbers may be written as `NaN`,
/// `Infinity`, `-Infinity` (bare, as Python writes them, or as strings, as `MetricsLog.line`
/// writes them): a diverged epoch must not make the log unreadable.
public struct EpochRecord: Codable, Sendable, Equatable {
    /// `frozen`, `finetune` or `scratch`.
    public var phase: TrainingPhase
    /// 1-based epoch number counted across phases (the study's epochs 1–20 frozen, 21–30 fine-tuned).
    public var epoch: Int
    public var trainLoss: Double
    public var trainAccuracy: Double
    /// The validation figures; nil in a final fit, whose validation covers are training data.
    public var validationLoss: Double?
    public var validationAccuracy: Double?
    public var validationMacroF1: Double?
    public var validationBalancedAccuracy: Double?
    public var learningRate: Double?
    public var imagesPerSecond: Double?
    public var seconds: Double?
    /// Whether this epoch's model became the selected one (best validation macro-F1 so far).
    public var isBest: Bool

    public init(
        phase: TrainingPhase, epoch: Int, trainLoss: Double, trainAccuracy: Double,
        validationLoss: Double? = nil, validationAccuracy: Double? = nil, validationMacroF1: Double? = nil,
        validationBalancedAccuracy: Double? = nil, learningRate: Double? = nil, imagesPerSecond: Double? = nil,
        seconds: Double? = nil, isBest: Bool = false
    ) {
        self.phase = phase
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.validationMacroF1 = validationMacroF1
        self.validationBalancedAccuracy = validationBalancedAccuracy
        self.learningRate = learningRate
        self.imagesPerSecond = imagesPerSecond
        self.seconds = seconds
        self.isBest = isBest
    }

    enum CodingKeys: String, CodingKey {
        case phase, epoch, seconds
        case trainLoss = "train_loss"
        case trainAccuracy = "train_accuracy"
        case validationLoss = "val_loss"
        case validationAccuracy = "val_accuracy"
        case validationMacroF1 = "val_macro_f1"
        case validationBalancedAccuracy = "val_balanced_accuracy"
        case learningRate = "learning_rate"
        case imagesPerSecond = "images_per_second"
        case isBest = "is_best"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        phase = try c.decode(TrainingPhase.self, forKey: .phase)
        epoch = try c.decode(Int.self, forKey: .epoch)
        trainLoss = try c.decode(Double.self, forKey: .trainLoss)
        trainAccuracy = try c.decode(Double.self, forKey: .trainAccuracy)
        validationLoss = try c.decodeIfPresent(Double.self, forKey: .validationLoss)
        validationAccuracy = try c.decodeIfPresent(Double.self, forKey: .validationAccuracy)
        validationMacroF1 = try c.decodeIfPresent(Double.self, forKey: .validationMacroF1)
        validationBalancedAccuracy = try c.decodeIfPresent(Double.self, forKey: .validationBalancedAccuracy)
        learningRate = try c.decodeIfPresent(Double.self, forKey: .learningRate)
        imagesPerSecond = try c.decodeIfPresent(Double.self, forKey: .imagesPerSecond)
        seconds = try c.decodeIfPresent(Double.self, forKey: .seconds)
        isBest = try c.decodeIfPresent(Bool.self, forKey: .isBest) ?? false
    }
}
