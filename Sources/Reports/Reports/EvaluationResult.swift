import RunArtifacts

/// Precision, recall and F1 of one class, with its support (number of true examples).
public typealias ClassMetrics = ClassificationMetrics.PerClass

/// How far a model's top-1 probabilities are from its accuracy: the reliability diagram's bins.
public struct Calibration: Codable, Sendable, Equatable {
    /// The covers whose top-1 probability fell in one bin.
    public struct Bin: Codable, Sendable, Equatable {
        public var count: Int
        /// Mean top-1 probability of the bin's covers.
        public var meanConfidence: Double
        /// Share of them predicted right.
        public var accuracy: Double

        public init(count: Int, meanConfidence: Double, accuracy: Double) {
            self.count = count
            self.meanConfidence = meanConfidence
            self.accuracy = accuracy
        }
    }

    /// ECE = Σᵦ (nᵦ / N) · |accuracyᵦ − meanConfidenceᵦ|.
    public var expectedCalibrationError: Double
    public var bins: [Bin]

    public init(expectedCalibrationError: Double, bins: [Bin]) {
        self.expectedCalibrationError = expectedCalibrationError
        self.bins = bins
    }
}

/// A model's evaluation on one split (validation or test) as the report shows it: the run's
/// `ClassificationMetrics` (RunArtifacts computes every figure; this type only reads them).
public struct EvaluationResult: Codable, Sendable, Equatable {
    /// "validation", "test", …
    public var split: String
    public var metrics: ClassificationMetrics
    /// Fraction of examples whose true class is among the two highest scores, if measured.
    public var top2Accuracy: Double?

    /// The figures of a scored split, as recorded (`EvaluationRecord.metrics`).
    public init(split: String, metrics: ClassificationMetrics, top2Accuracy: Double? = nil) {
        self.split = split
        self.metrics = metrics
        self.top2Accuracy = top2Accuracy
    }

    /// The figures of a confusion matrix `C` (rows true, columns predicted), computed by
    /// `ClassificationMetrics(confusionMatrix:)` with scikit-learn's conventions, after checking
    /// its shape. Top-2 accuracy cannot be derived from `C` and is passed in.
    public init(split: String, classNames: [String], confusionMatrix: [[Int]], top2Accuracy: Double? = nil) throws {
        try Self.validate(classNames: classNames, confusionMatrix: confusionMatrix)
        self.init(split: split, metrics: ClassificationMetrics(confusionMatrix: confusionMatrix, classNames: classNames), top2Accuracy: top2Accuracy)
    }

    public var classNames: [String] { metrics.classNames }
    /// `confusionMatrix[true][predicted]`, square with `classNames.count` rows.
    public var confusionMatrix: [[Int]] { metrics.confusionMatrix }
    public var accuracy: Double { metrics.accuracy }
    public var balancedAccuracy: Double { metrics.balancedAccuracy }
    public var macroF1: Double { metrics.macroF1 }
    public var perClass: [ClassMetrics] { metrics.perClass }

    /// The reliability diagram, when the probabilities were kept.
    public var calibration: Calibration? {
        metrics.expectedCalibrationError.map { ece in
            Calibration(
                expectedCalibrationError: ece,
                bins: (metrics.reliability ?? []).map { .init(count: $0.count, meanConfidence: $0.meanConfidence, accuracy: $0.accuracy) })
        }
    }

    /// Number of evaluated examples (sum of the confusion matrix).
    public var exampleCount: Int { confusionMatrix.reduce(0) { $0 + $1.reduce(0, +) } }

    /// Share of the most frequent true class: the accuracy of always predicting it.
    public var majorityBaseline: Double {
        let supports = confusionMatrix.map { $0.reduce(0, +) }
        let total = supports.reduce(0, +)
        return total > 0 ? Double(supports.max() ?? 0) / Double(total) : 0
    }

    /// Checks shapes: a non-empty class list, a square matrix of that size, no negative counts, and
    /// one `perClass` entry per class.
    public func validate() throws {
        try Self.validate(classNames: classNames, confusionMatrix: confusionMatrix)
        guard perClass.count == classNames.count else {
            throw ReportError.invalidInput("\(split): \(perClass.count) per-class rows for \(classNames.count) classes")
        }
    }

    static func validate(classNames: [String], confusionMatrix: [[Int]]) throws {
        guard !classNames.isEmpty else { throw ReportError.invalidInput("no class names") }
        guard confusionMatrix.count == classNames.count,
            confusionMatrix.allSatisfy({ $0.count == classNames.count })
        else {
            throw ReportError.invalidInput(
                "confusion matrix must be \(classNames.count)×\(classNames.count) for classes \(classNames.joined(separator: ", "))")
        }
        guard confusionMatrix.allSatisfy({ $0.allSatisfy { $0 >= 0 } }) else {
            throw ReportError.invalidInput("confusion matrix has negative counts")
        }
    }
}
