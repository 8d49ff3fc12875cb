import Foundation

/// A scored split, saved as `evaluation-<split>.json` in the run folder (`RunDirectory.evaluationURL`).
public struct EvaluationRecord: Codable, Sendable {
    /// One wrong prediction, kept for the report's "most confident mistakes" grid.
    public struct Mistake: Codable, Sendable {
        public var file: String
        public var trueGenre: String
        public var predictedGenre: String
        public var confidence: Double

        public init(file: String, trueGenre: String, predictedGenre: String, confidence: Double) {
            self.file = file
            self.trueGenre = trueGenre
            self.predictedGenre = predictedGenre
            self.confidence = confidence
        }
    }

    public var split: String
    public var metrics: ClassificationMetrics
    /// Files that could not be read and were not scored.
    public var skipped: [String]
    public var mistakes: [Mistake]
    public var scoredAt: Date
    /// The selected epoch of the model that was scored; nil for an ensemble (each member's is in its
    /// `members/*/model.json`).
    public var modelEpoch: Int?
    /// The views whose probabilities were averaged (nil in records written before test-time views,
    /// and for an ensemble, whose members each average their own).
    public var views: [TestTimeView]?
    /// The source runs of an ensemble's members (nil for one model).
    public var ensembleMembers: [String]?
    /// For covers from outside the catalog (`evaluate --images`): where they came from and which
    /// were left out; nil for a split of the catalog.
    public var externalSet: ExternalSet?
    /// The temperature the probabilities were scaled by (`albumgenre calibrate`); nil when none.
    public var temperature: Double?

    public init(
        split: String, metrics: ClassificationMetrics, skipped: [String], mistakes: [Mistake], scoredAt: Date, modelEpoch: Int?,
        views: [TestTimeView]?, ensembleMembers: [String]?, externalSet: ExternalSet? = nil, temperature: Double?
    ) {
        self.split = split
        self.metrics = metrics
        self.skipped = skipped
        self.mistakes = mistakes
        self.scoredAt = scoredAt
        self.modelEpoch = modelEpoch
        self.views = views
        self.ensembleMembers = ensembleMembers
        self.externalSet = externalSet
        self.temperature = temperature
    }
}

/// What an evaluation of labelled covers from outside the catalog (`evaluate --images`) scored and
/// left out, recorded with its `EvaluationRecord`.
public struct ExternalSet: Codable, Sendable, Equatable {
    /// The ImageFolder tree that was scored (an absolute path).
    public var folder: String
    /// Identifies the labelled covers: see `fingerprint(of:)`.
    public var fingerprint: String
    /// Folder genres scored as one of the model's genres (`--relabel FOLDER=GENRE`).
    public var relabelled: [String: String]
    /// Whether covers the model had seen were looked for (false with `--skip-seen-check`).
    public var seenChecked: Bool
    /// Perceptual-hash distance (bits of 64) under which a cover counted as seen.
    public var nearDuplicateDistance: Int
    /// Covers left out because the model trained or was chosen on them, or on a near copy.
    public var seen: [SeenCover]
    /// Covers left out because their genre is not one of the model's.
    public var unknownGenre: [String]

    public init(
        folder: String, fingerprint: String, relabelled: [String: String], seenChecked: Bool, nearDuplicateDistance: Int, seen: [SeenCover],
        unknownGenre: [String]
    ) {
        self.folder = folder
        self.fingerprint = fingerprint
        self.relabelled = relabelled
        self.seenChecked = seenChecked
        self.nearDuplicateDistance = nearDuplicateDistance
        self.seen = seen
        self.unknownGenre = unknownGenre
    }

    /// Covers found but not scored (unreadable ones aside, which the record lists as `skipped`).
    public var leftOut: Int { seen.count + unknownGenre.count }
}

/// A cover of an outside set that the model has seen: the same bytes (`identical`, distance 0)
/// or art whose perceptual hashes differ in `distance` bits of 64.
public struct SeenCover: Codable, Sendable, Equatable {
    public var file: String
    public var seenFile: String
    public var identical: Bool
    public var distance: Int

    public init(file: String, seenFile: String, identical: Bool, distance: Int) {
        self.file = file
        self.seenFile = seenFile
        self.identical = identical
        self.distance = distance
    }
}

/// One way of showing a cover to a trained model when it predicts. Averaging the probabilities of
/// several views (test-time augmentation) smooths out what any one of them misses: a centre crop
/// cuts the typography at the borders, the whole cover shrinks the details.
public enum TestTimeView: Codable, Hashable, Sendable {
    /// The model's own evaluation input: shorter side to `resizeShorterSide`, centre crop of `size`.
    case centerCrop
    /// The whole cover (a centre crop for non-square images) at `side` pixels.
    case whole(side: Int)
    /// Another view mirrored left to right. Training flips covers at random, so a mirrored cover
    /// is one the model has learnt to read: averaging both halves the noise of a left-right bias.
    indirect case mirrored(TestTimeView)

    /// Whether the view's crop is mirrored left to right before it is normalised.
    public var isMirrored: Bool {
        if case .mirrored(let view) = self { !view.isMirrored } else { false }
    }
}
