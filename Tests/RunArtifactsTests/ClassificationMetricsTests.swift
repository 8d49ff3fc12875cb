import Foundation
import Testing

@testable import RunArtifacts

struct ClassificationMetricsTests {
    @Test func handWorkedThreeClassExample() {
        // Rows true, columns predicted: class 0 is recalled 2/3, class 1 1/2, class 2 1/1.
        let confusion = [[2, 1, 0], [0, 1, 1], [0, 0, 1]]
        let m = ClassificationMetrics(confusionMatrix: confusion, classNames: ["a", "b", "c"])
        #expect(m.count == 6)
        #expect(abs(m.accuracy - 4.0 / 6) < 1e-12)
        let expectedBalanced: Double = (2.0 / 3 + 0.5 + 1) / 3
        #expect(abs(m.balancedAccuracy - expectedBalanced) < 1e-12)
        // precision: a 2/2, b 1/2, c 1/2; F1: a 0.8, b 0.5, c 2/3.
        let f1: [Double] = [0.8, 0.5, 2.0 / 3]
        #expect(abs(m.macroF1 - f1.reduce(0, +) / 3) < 1e-12)
        #expect(m.perClass.map(\.support) == [3, 2, 1])
    }

    @Test func probabilitiesGiveConfusionTopTwoAndLogLoss() {
        let probabilities: [[Float]] = [[0.7, 0.2, 0.1], [0.4, 0.5, 0.1], [0.1, 0.3, 0.6], [0.5, 0.4, 0.1]]
        let labels = [0, 0, 2, 1]
        let m = ClassificationMetrics(probabilities: probabilities, labels: labels, classNames: ["x", "y", "z"])
        #expect(m.confusionMatrix == [[1, 1, 0], [1, 0, 0], [0, 0, 1]])
        #expect(m.top2Accuracy == 1.0)
        let expectedLogLoss: Double = -(log(0.7) + log(0.4) + log(0.6) + log(0.4)) / 4
        #expect(abs(m.logLoss - expectedLogLoss) < 1e-6)
    }

    /// ECE by hand: top-1 probabilities 0.92 (right), 0.85 (wrong), 0.65 and 0.55 (right), and 0.95 and
    /// 0.91 (one right, one wrong) share a bin; 1.0 falls in the last bin, not an eleventh. (No value
    /// sits on a bin edge: 0.9 as a Float is 0.89999998, which belongs below it.)
    @Test func calibrationErrorIsTheWeightedGapBetweenConfidenceAndAccuracy() throws {
        let probabilities: [[Float]] = [[0.92, 0.08], [0.85, 0.15], [0.65, 0.35], [0.55, 0.45], [0.95, 0.05], [0.09, 0.91], [1, 0]]
        let labels = [0, 1, 0, 0, 1, 1, 0]
        let m = ClassificationMetrics(probabilities: probabilities, labels: labels, classNames: ["x", "y"])
        let bins = try #require(m.reliability)
        #expect(bins.map(\.lower) == [0.5, 0.6, 0.8, 0.9])
        #expect(bins.map(\.count) == [1, 1, 1, 4])
        // The top bin: 0.92, 0.95, 0.91 and 1.0, of which 0.92, 0.91 and 1.0 are right.
        #expect(abs(bins[3].meanConfidence - 0.945) < 1e-6 && bins[3].accuracy == 0.75)
        let expected = (abs(1 - 0.55) + abs(1 - 0.65) + abs(0 - 0.85) + 4 * abs(0.75 - 0.945)) / 7
        #expect(abs(try #require(m.expectedCalibrationError) - expected) < 1e-6)
        // A confusion matrix alone has no probabilities to calibrate.
        #expect(ClassificationMetrics(confusionMatrix: m.confusionMatrix, classNames: ["x", "y"]).expectedCalibrationError == nil)
    }

    @Test func aClassNeverSeenIsLeftOutOfTheMacroAverage() {
        // scikit-learn averages F1 over labels present in y_true or y_pred.
        let m = ClassificationMetrics(confusionMatrix: [[3, 0, 0], [1, 2, 0], [0, 0, 0]], classNames: ["a", "b", "c"])
        #expect(abs(m.macroF1 - (m.perClass[0].f1 + m.perClass[1].f1) / 2) < 1e-12)
    }
}
