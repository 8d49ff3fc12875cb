/// One line of `metrics.jsonl`: what happened in one epoch of one phase.
public struct EpochRecord: Codable, Sendable, Equatable {
    /// `"scratch"`, `"frozen"` or `"finetune"`.
    public var phase: String
    /// 1-based epoch number counted across phases (the study's epochs 1–20 frozen, 21–30 fine-tuned).
    public var epoch: Int
    public var trainLoss: Double
    public var trainAccuracy: Double
    /// The validation figures; nil in a final fit, whose validation covers are training data.
    public var validationLoss: Double?
    public var validationAccuracy: Double?
    public var validationMacroF1: Double?
    public var validationBalancedAccuracy: Double?
    public var learningRate: Double
    public var imagesPerSecond: Double
    public var seconds: Double
    /// Whether this epoch's model became the selected one (best validation macro-F1 so far).
    public var isBest: Bool

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
}

/// Raised when training cannot go on.
public enum TrainingError: Error, CustomStringConvertible, Sendable {
    case nonFiniteLoss(phase: String, epoch: Int, step: Int)
    case emptySplit(String)
    case unreadableImages(count: Int, examples: [String])
    case resumeMismatch(String)
    /// The run folder was started on other covers, or other splits of them (its `split.json`).
    case datasetChanged(String)
    case missingWeights(String)
    case interrupted(epoch: Int)

    public var description: String {
        switch self {
        case .nonFiniteLoss(let phase, let epoch, let step):
            "the loss became NaN or infinite in the \(phase) phase, epoch \(epoch), step \(step); lower the learning rate (--learning-rate) or enable gradient clipping; the last good checkpoint is kept"
        case .emptySplit(let split):
            "the \(split) split has no images for the selected genres; run `albumgenre split` or choose other genres"
        case .unreadableImages(let count, let examples):
            "\(count) images could not be read, e.g. \(examples.joined(separator: ", "))"
        case .resumeMismatch(let detail):
            "cannot resume: \(detail); start a new run with another --name"
        case .datasetChanged(let detail):
            "cannot resume: \(detail); start a new run with another --name"
        case .missingWeights(let detail):
            detail
        case .interrupted(let epoch):
            "stopped after epoch \(epoch); continue with --resume"
        }
    }
}
