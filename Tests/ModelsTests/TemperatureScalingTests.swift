import Foundation
import Imaging
import Testing

@testable import Models

/// Temperature scaling: p^(1/T) renormalised, fitted by minimising the log-loss.
struct TemperatureScalingTests {
    static func softmax(_ z: [Double]) -> [Double] {
        let top = z.max()!
        let e = z.map { exp($0 - top) }
        let sum = e.reduce(0, +)
        return e.map { $0 / sum }
    }

    /// On one model's probabilities it is softmax(logits / T), and the order of genres never changes.
    @Test func scalingProbabilitiesIsDividingTheLogits() {
        let logits: [Double] = [2.0, -1.0, 0.5, 3.5, -0.2]
        let probabilities = Self.softmax(logits).map(Float.init)
        for temperature in [0.5, 1.0, 2.0, 7.0] {
            let scaled = TemperatureScaling.apply(probabilities, classes: 5, temperature: temperature)
            let expected = Self.softmax(logits.map { $0 / temperature })
            for (a, b) in zip(scaled, expected) { #expect(abs(Double(a) - b) < 1e-5, "T = \(temperature)") }
            #expect(scaled.indices.sorted { scaled[$0] > scaled[$1] } == [3, 0, 2, 4, 1])
        }
        // Rows are scaled one by one; a zero probability stays (almost) zero instead of a NaN.
        let rows = TemperatureScaling.apply([0.5, 0.5, 0, 0.9, 0.1, 0], classes: 3, temperature: 3)
        #expect(rows.allSatisfy(\.isFinite) && abs(rows[0] - 0.5) < 1e-6 && rows[2] < 1e-9 && rows[3] < 0.9 && rows[3] > 0.5)
    }

    /// Labels drawn from softmax(z / 2.5) with a model reporting softmax(z): the fitted temperature
    /// is the 2.5 that generated them (within sampling error), and it lowers the log-loss.
    @Test func fittingRecoversTheTemperatureThatGeneratedTheLabels() {
        var generator = Xoshiro256StarStar(seed: 7)
        var rows: [[Float]] = [], labels: [Int] = []
        for _ in 0..<4000 {
            let logits = (0..<5).map { _ in Double.random(in: -4...4, using: &generator) }
            let truth = Self.softmax(logits.map { $0 / 2.5 })
            var draw = Double.random(in: 0..<1, using: &generator)
            var label = 4
            for (index, p) in truth.enumerated() {
                if draw < p {
                    label = index
                    break
                }
                draw -= p
            }
            rows.append(Self.softmax(logits).map(Float.init))
            labels.append(label)
        }
        let fitted = TemperatureScaling.fit(rows, labels: labels)
        #expect(abs(fitted - 2.5) < 0.25, "fitted \(fitted)")
        let before = TemperatureScaling.negativeLogLikelihood(rows, labels: labels, temperature: 1)
        let after = TemperatureScaling.negativeLogLikelihood(rows, labels: labels, temperature: fitted)
        #expect(after < before - 0.05, "\(before) -> \(after)")
        #expect(after <= TemperatureScaling.negativeLogLikelihood(rows, labels: labels, temperature: fitted * 1.1))
        #expect(after <= TemperatureScaling.negativeLogLikelihood(rows, labels: labels, temperature: fitted / 1.1))
    }
}
