import Foundation
import RunArtifacts

/// Temperature scaling (Guo et al., 2017, "On Calibration of Modern Neural Networks"): one number
/// T, fitted on validation, that softens (T > 1) or sharpens (T < 1) a model's probabilities so
/// that its top-1 probability matches how often it is right.
///
/// Applied to the model's final probabilities p (a mean over views or ensemble members):
///
///     p_T(c) = p(c)^(1/T) / Σ_c' p(c')^(1/T)
///
/// For a single view this is exactly softmax(z / T) of the logits z, since log p = z − log Σ e^z.
/// It is monotone in p, so the most probable genre, and with it accuracy and macro-F1, never
/// changes: only the confidence does.
public enum TemperatureScaling {
    /// The probabilities of each row (`classes` values per row, rows one after the other) at
    /// temperature `temperature`.
    public static func apply(_ probabilities: [Float], classes: Int, temperature: Double) -> [Float] {
        guard temperature != 1, classes > 0 else { return probabilities }
        let inverse = 1 / temperature
        var result = [Float](repeating: 0, count: probabilities.count)
        for start in stride(from: 0, to: probabilities.count, by: classes) {
            // In log space, shifted by the row's maximum, so small probabilities do not underflow.
            let logs = (start..<(start + classes)).map { log(max(Double(probabilities[$0]), 1e-30)) * inverse }
            let top = logs.max()!
            let exps = logs.map { exp($0 - top) }
            let sum = exps.reduce(0, +)
            for (offset, value) in exps.enumerated() { result[start + offset] = Float(value / sum) }
        }
        return result
    }

    /// Mean negative log-likelihood of `labels` under `rows` at temperature `temperature`.
    public static func negativeLogLikelihood(_ rows: [[Float]], labels: [Int], temperature: Double) -> Double {
        guard !rows.isEmpty else { return 0 }
        var total = 0.0
        for (row, label) in zip(rows, labels) {
            let scaled = apply(row, classes: row.count, temperature: temperature)
            total -= log(max(Double(scaled[label]), 1e-12))
        }
        return total / Double(rows.count)
    }

    /// The temperature in `0.05...20` that minimises the mean negative log-likelihood of `labels`:
    /// golden-section search on log T (the likelihood is unimodal in it), to a relative 1e-4.
    public static func fit(_ rows: [[Float]], labels: [Int]) -> Double {
        precondition(rows.count == labels.count, "temperature: \(rows.count) rows, \(labels.count) labels")
        let ratio = (sqrt(5.0) - 1) / 2
        var low = log(0.05), high = log(20.0)
        var a = high - ratio * (high - low), b = low + ratio * (high - low)
        var fa = negativeLogLikelihood(rows, labels: labels, temperature: exp(a))
        var fb = negativeLogLikelihood(rows, labels: labels, temperature: exp(b))
        while high - low > 1e-4 {
            if fa <= fb {
                high = b
                b = a
                fb = fa
                a = high - ratio * (high - low)
                fa = negativeLogLikelihood(rows, labels: labels, temperature: exp(a))
            } else {
                low = a
                a = b
                fa = fb
                b = low + ratio * (high - low)
                fb = negativeLogLikelihood(rows, labels: labels, temperature: exp(b))
            }
        }
        return exp((low + high) / 2)
    }
}

/// `calibration.json` in a run or ensemble folder: the temperature its probabilities are scaled by
/// when it evaluates and predicts, and how it was obtained.
public struct CalibrationRecord: Codable, Sendable, Equatable {
    /// Measured calibration of one set of probabilities.
    public struct Figures: Codable, Sendable, Equatable {
        public var expectedCalibrationError: Double
        public var negativeLogLikelihood: Double

        public init(expectedCalibrationError: Double, negativeLogLikelihood: Double) {
            self.expectedCalibrationError = expectedCalibrationError
            self.negativeLogLikelihood = negativeLogLikelihood
        }
    }

    public var temperature: Double
    /// The run the temperature was fitted on: this folder's own name, or the validated run a final
    /// fit repeats (`calibrate --from`).
    public var fittedOn: String
    /// Validation covers it was fitted on.
    public var covers: Int
    /// Validation figures without the temperature.
    public var before: Figures
    /// Validation figures with a temperature fitted on the other half of the covers (two-fold
    /// cross-fitting), so the gain is not measured on the covers that chose it.
    public var crossFitted: Figures
    public var fittedAt: Date

    public static let fileName = RunDirectory.FileName.calibration

    public init(temperature: Double, fittedOn: String, covers: Int, before: Figures, crossFitted: Figures, fittedAt: Date = Date()) {
        self.temperature = temperature
        self.fittedOn = fittedOn
        self.covers = covers
        self.before = before
        self.crossFitted = crossFitted
        self.fittedAt = fittedAt
    }

    /// The folder's record, nil when it has none.
    public static func read(in folder: URL) throws -> CalibrationRecord? {
        let url = folder.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try JSONDecoder().decode(CalibrationRecord.self, from: Data(contentsOf: url))
    }

    /// Writes the record into `folder`, atomically.
    public func write(in folder: URL) throws {
        try ModelArchive.writeJSON(self, to: folder.appendingPathComponent(Self.fileName))
    }
}
