import Foundation
import Models
import RunArtifacts

extension CalibrationRecord {
    /// `calibrate`'s record for raw probabilities `rows` (one per validation cover, in
    /// `classNames` order) with true class indices `labels`: the temperature T that minimises their
    /// negative log-likelihood (`TemperatureScaling.fit`), the figures without it, and the figures
    /// with a temperature fitted on the other half of the covers (two-fold cross-fitting: covers at
    /// even positions scaled by the T of the odd ones and the other way round), so the gain is not
    /// measured on the covers that chose T.
    public static func fitted(rows: [[Float]], labels: [Int], classNames: [String], fittedOn: String) -> CalibrationRecord {
        let halves = [Array(stride(from: 0, to: rows.count, by: 2)), Array(stride(from: 1, to: rows.count, by: 2))]
        let halfTemperatures = halves.map { half in TemperatureScaling.fit(half.map { rows[$0] }, labels: half.map { labels[$0] }) }
        var crossFitted = rows
        for (half, other) in [(0, 1), (1, 0)] {
            for index in halves[half] {
                crossFitted[index] = TemperatureScaling.apply(rows[index], classes: classNames.count, temperature: halfTemperatures[other])
            }
        }
        func figures(_ rows: [[Float]]) -> Figures {
            let metrics = ClassificationMetrics(probabilities: rows, labels: labels, classNames: classNames)
            return Figures(expectedCalibrationError: metrics.expectedCalibrationError ?? 0, negativeLogLikelihood: metrics.logLoss)
        }
        return CalibrationRecord(
            temperature: TemperatureScaling.fit(rows, labels: labels), fittedOn: fittedOn, covers: rows.count, before: figures(rows),
            crossFitted: figures(crossFitted))
    }
}
