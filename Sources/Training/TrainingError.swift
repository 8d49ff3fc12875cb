import RunArtifacts

/// Raised when training cannot go on.
public enum TrainingError: Error, CustomStringConvertible, Sendable {
    case nonFiniteLoss(phase: TrainingPhase, epoch: Int, step: Int)
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
