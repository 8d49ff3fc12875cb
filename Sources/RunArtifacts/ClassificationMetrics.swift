/// The metrics a genre classifier is judged by, computed from predicted probabilities.
///
/// With `C[i][j]` the number of covers of true class `i` predicted as `j` (the confusion matrix):
/// - accuracy = Σᵢ C[i][i] / N
/// - recallᵢ = C[i][i] / Σⱼ C[i][j], precisionᵢ = C[i][i] / Σⱼ C[j][i], F1ᵢ = 2PR / (P + R)
///   (0 when undefined, as scikit-learn's `zero_division=0`)
/// - balanced accuracy = mean recall over classes that occur; macro-F1 = mean F1 over the classes
///   that occur as a true or a predicted label (scikit-learn's default label set)
/// - top-2 accuracy: the true class is among the two most probable.
/// - calibration: with the covers binned by their top-1 probability pᵢ into 10 equal-width bins Bᵦ,
///   expected calibration error ECE = Σᵦ (|Bᵦ| / N) · |acc(Bᵦ) − conf(Bᵦ)|, where acc is the share
///   right and conf the mean pᵢ of the bin (Guo et al., 2017): 0 when "70 %" is right 70 % of the time.
public struct ClassificationMetrics: Codable, Sendable, Equatable {
    public struct PerClass: Codable, Sendable, Equatable {
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

    /// The covers whose top-1 probability lies in `lower..<upper` (the last bin includes 1).
    public struct ReliabilityBin: Codable, Sendable, Equatable {
        public var lower: Double
        public var upper: Double
        public var count: Int
        /// Mean top-1 probability of the bin's covers.
        public var meanConfidence: Double
        /// Share of the bin's covers whose top-1 genre is right.
        public var accuracy: Double

        public init(lower: Double, upper: Double, count: Int, meanConfidence: Double, accuracy: Double) {
            self.lower = lower
            self.upper = upper
            self.count = count
            self.meanConfidence = meanConfidence
            self.accuracy = accuracy
        }
    }

    public var classNames: [String]
    public var count: Int
    public var accuracy: Double
    public var balancedAccuracy: Double
    public var macroF1: Double
    public var top2Accuracy: Double
    public var logLoss: Double
    public var perClass: [PerClass]
    /// Rows are true classes, columns predicted classes.
    public var confusionMatrix: [[Int]]
    /// ECE over `reliability`; nil from a confusion matrix alone, and in records written before it.
    public var expectedCalibrationError: Double?
    /// The non-empty bins of the reliability diagram, lowest probability first.
    public var reliability: [ReliabilityBin]?

    /// - Parameters:
    ///   - probabilities: one row of `classNames.count` probabilities per example.
    ///   - labels: the true class index of each example.
    public init(probabilities: [[Float]], labels: [Int], classNames: [String]) {
        precondition(probabilities.count == labels.count, "metrics: \(probabilities.count) predictions, \(labels.count) labels")
        let k = classNames.count
        var confusion = Array(repeating: Array(repeating: 0, count: k), count: k)
        var top2Hits = 0
        var logLossSum = 0.0
        let binCount = 10
        var binned = Array(repeating: (count: 0, confidence: 0.0, right: 0), count: binCount)
        for (row, label) in zip(probabilities, labels) {
            precondition(row.count == k && (0..<k).contains(label), "metrics: row of \(row.count) for \(k) classes, label \(label)")
            let ranked = row.indices.sorted { row[$0] > row[$1] || (row[$0] == row[$1] && $0 < $1) }
            confusion[label][ranked[0]] += 1
            if ranked.prefix(2).contains(label) { top2Hits += 1 }
            logLossSum -= log(max(Double(row[label]), 1e-12))
            let confidence = Double(row[ranked[0]])
            let bin = min(binCount - 1, max(0, Int(confidence * Double(binCount))))
            binned[bin].count += 1
            binned[bin].confidence += confidence
            binned[bin].right += ranked[0] == label ? 1 : 0
        }
        self.init(confusionMatrix: confusion, classNames: classNames)
        let n = labels.count
        top2Accuracy = n == 0 ? 0 : Double(top2Hits) / Double(n)
        logLoss = n == 0 ? 0 : logLossSum / Double(n)
        let bins = binned.enumerated().filter { $0.element.count > 0 }.map { index, bin in
            ReliabilityBin(
                lower: Double(index) / Double(binCount), upper: Double(index + 1) / Double(binCount), count: bin.count,
                meanConfidence: bin.confidence / Double(bin.count), accuracy: Double(bin.right) / Double(bin.count))
        }
        reliability = bins
        expectedCalibrationError = n == 0 ? nil : bins.reduce(0) { $0 + Double($1.count) / Double(n) * abs($1.accuracy - $1.meanConfidence) }
    }

    /// Metrics from a confusion matrix alone (top-2 accuracy and log loss are then 0).
    public init(confusionMatrix: [[Int]], classNames: [String]) {
        let k = classNames.count
        self.classNames = classNames
        self.confusionMatrix = confusionMatrix
        let n = confusionMatrix.joined().reduce(0, +)
        count = n
        var perClass: [PerClass] = []
        var correct = 0
        for i in 0..<k {
            let truePositives = confusionMatrix[i][i]
            correct += truePositives
            let support = confusionMatrix[i].reduce(0, +)
            let predicted = (0..<k).reduce(0) { $0 + confusionMatrix[$1][i] }
            let precision = predicted == 0 ? 0 : Double(truePositives) / Double(predicted)
            let recall = support == 0 ? 0 : Double(truePositives) / Double(support)
            let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
            perClass.append(PerClass(name: classNames[i], precision: precision, recall: recall, f1: f1, support: support))
        }
        self.perClass = perClass
        accuracy = n == 0 ? 0 : Double(correct) / Double(n)
        let present = perClass.filter { $0.support > 0 }
        balancedAccuracy = present.isEmpty ? 0 : present.map(\.recall).reduce(0, +) / Double(present.count)
        let seen = (0..<k).filter { i in perClass[i].support > 0 || (0..<k).contains { confusionMatrix[$0][i] > 0 } }
        macroF1 = seen.isEmpty ? 0 : seen.map { perClass[$0].f1 }.reduce(0, +) / Double(seen.count)
        top2Accuracy = 0
        logLoss = 0
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
