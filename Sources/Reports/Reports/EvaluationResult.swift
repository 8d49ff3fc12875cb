/// Precision, recall and F1 of one class, with its support (number of true examples).
public struct ClassMetrics: Codable, Sendable, Equatable {
    public var name: String
    public var precision: Double
    public var recall: Double
    public var f1: Double
    public var support: Int

    public init(name: String, precision: Double, recall: Double, f1: Double, support: Int) {
        self.name = name
        self.precision = precision
        self.recall = recall
        self.f1 = f1
        self.support = support
    }
}

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

/// A model's final evaluation on one split (validation or test).
public struct EvaluationResult: Codable, Sendable, Equatable {
    /// "validation", "test", …
    public var split: String
    public var classNames: [String]
    /// `confusionMatrix[true][predicted]`, square with `classNames.count` rows.
    public var confusionMatrix: [[Int]]
    public var accuracy: Double
    public var balancedAccuracy: Double
    public var macroF1: Double
    /// Fraction of examples whose true class is among the two highest scores, if measured.
    public var top2Accuracy: Double?
    public var perClass: [ClassMetrics]
    /// The reliability diagram, when the probabilities were kept.
    public var calibration: Calibration?

    /// Stores metrics computed elsewhere (e.g. by the trainer) as they are.
    public init(
        split: String, classNames: [String], confusionMatrix: [[Int]], accuracy: Double, balancedAccuracy: Double,
        macroF1: Double, top2Accuracy: Double?, perClass: [ClassMetrics], calibration: Calibration? = nil
    ) {
        self.calibration = calibration
        self.split = split
        self.classNames = classNames
        self.confusionMatrix = confusionMatrix
        self.accuracy = accuracy
        self.balancedAccuracy = balancedAccuracy
        self.macroF1 = macroF1
        self.top2Accuracy = top2Accuracy
        self.perClass = perClass
    }

    /// Computes every metric from a confusion matrix `C` (rows true, columns predicted), with the
    /// conventions of scikit-learn 1.x:
    /// - accuracy = Σᵢ Cᵢᵢ / Σᵢⱼ Cᵢⱼ;
    /// - precisionᵢ = Cᵢᵢ / Σⱼ Cⱼᵢ, recallᵢ = Cᵢᵢ / Σⱼ Cᵢⱼ (0 when the denominator is 0),
    ///   F1ᵢ = 2·p·r / (p + r) (0 when p + r = 0);
    /// - balanced accuracy = mean recall over classes with support > 0;
    /// - macro-F1 = mean F1 over classes that occur as a true or a predicted label.
    /// Top-2 accuracy cannot be derived from `C` and is passed in.
    public init(split: String, classNames: [String], confusionMatrix: [[Int]], top2Accuracy: Double? = nil) throws {
        try Self.validate(classNames: classNames, confusionMatrix: confusionMatrix)
        let n = classNames.count
        let rowSums = confusionMatrix.map { $0.reduce(0, +) }
        let columnSums = (0..<n).map { column in confusionMatrix.reduce(0) { $0 + $1[column] } }
        let total = rowSums.reduce(0, +)
        let correct = (0..<n).reduce(0) { $0 + confusionMatrix[$1][$1] }
        var perClass: [ClassMetrics] = []
        for i in 0..<n {
            let hits = Double(confusionMatrix[i][i])
            let precision = columnSums[i] > 0 ? hits / Double(columnSums[i]) : 0
            let recall = rowSums[i] > 0 ? hits / Double(rowSums[i]) : 0
            let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
            perClass.append(ClassMetrics(name: classNames[i], precision: precision, recall: recall, f1: f1, support: rowSums[i]))
        }
        let supported = (0..<n).filter { rowSums[$0] > 0 }
        let occurring = (0..<n).filter { rowSums[$0] > 0 || columnSums[$0] > 0 }
        self.init(
            split: split, classNames: classNames, confusionMatrix: confusionMatrix,
            accuracy: total > 0 ? Double(correct) / Double(total) : 0,
            balancedAccuracy: supported.isEmpty ? 0 : supported.reduce(0) { $0 + perClass[$1].recall } / Double(supported.count),
            macroF1: occurring.isEmpty ? 0 : occurring.reduce(0) { $0 + perClass[$1].f1 } / Double(occurring.count),
            top2Accuracy: top2Accuracy, perClass: perClass)
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
              confusionMatrix.allSatisfy({ $0.count == classNames.count }) else {
            throw ReportError.invalidInput(
                "confusion matrix must be \(classNames.count)×\(classNames.count) for classes \(classNames.joined(separator: ", "))")
        }
        guard confusionMatrix.allSatisfy({ $0.allSatisfy { $0 >= 0 } }) else {
            throw ReportError.invalidInput("confusion matrix has negative counts")
        }
    }
}
