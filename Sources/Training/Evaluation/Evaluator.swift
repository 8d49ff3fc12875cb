import Catalog
import Foundation
import Inference
import Models
import RunArtifacts
import TensorCore

/// Scores a trained model, or an ensemble of them, on one split of a dataset: the predictor that
/// `predict`, `serve` and the library use (`GenrePredictor`), and the metrics of its probabilities.
public struct Evaluator {
    /// One model for a trained run, several for an ensemble, with their weighted views.
    public let predictor: GenrePredictor
    /// Covers per forward pass.
    public var batchSize: Int

    /// The first member's description (an ensemble's members share their class names).
    public var description: ModelDescription { predictor.description }
    /// The temperature the probabilities are scaled by (`calibration.json`); nil when uncalibrated,
    /// or when the evaluator was made with `calibrated: false`.
    public var temperature: Double? { predictor.temperature }

    /// `batchSize` 8 rather than training's 32: scoring 670 covers with Lite2 at 300 px took 9.1 s
    /// instead of 11.1 s and 0.76 GB instead of 2.9 GB (smaller activations stay in cache).
    /// `calibrated: false` scores the raw probabilities, ignoring `calibration.json` (`calibrate`
    /// fits the temperature on them).
    public init(runFolder: URL, batchSize: Int = 8, calibrated: Bool = true) throws {
        predictor = try GenrePredictor(runFolder: runFolder, calibrated: calibrated)
        self.batchSize = batchSize
    }

    /// Class probabilities of each image in the model's class order
    /// (`GenrePredictor.probabilities(files:)`); nil for an image that cannot be read.
    public func probabilities(_ images: [LabelledImage], progress: (Int, Int) -> Void = { _, _ in }) -> [[Float]?] {
        predictor.probabilities(files: images.map(\.url), batchSize: batchSize, progress: progress).map { try? $0.get() }
    }

    /// Metrics over `images` (labels by genre name in the model's class order); images of genres the
    /// model does not know are ignored.
    public func evaluate(_ images: [LabelledImage], split: String, progress: (Int, Int) -> Void = { _, _ in }) -> EvaluationRecord {
        let classNames = description.classNames
        let known = images.filter { classNames.contains($0.genre) }
        let rows = probabilities(known, progress: progress)
        var probabilities: [[Float]] = []
        var labels: [Int] = []
        var skipped: [String] = []
        var mistakes: [EvaluationRecord.Mistake] = []
        for (image, row) in zip(known, rows) {
            guard let row else {
                skipped.append(image.filePath)
                continue
            }
            let label = classNames.firstIndex(of: image.genre)!
            probabilities.append(row)
            labels.append(label)
            let predicted = row.indices.max { row[$0] < row[$1] }!
            if predicted != label {
                mistakes.append(
                    .init(file: image.filePath, trueGenre: image.genre, predictedGenre: classNames[predicted], confidence: Double(row[predicted])))
            }
        }
        mistakes.sort { $0.confidence > $1.confidence }
        let isEnsemble = predictor.ensembleMembers != nil
        return EvaluationRecord(
            split: split, metrics: ClassificationMetrics(probabilities: probabilities, labels: labels, classNames: classNames), skipped: skipped,
            mistakes: Array(mistakes.prefix(24)), scoredAt: Date(), modelEpoch: isEnsemble ? nil : description.epoch,
            views: isEnsemble || description.testTimeViews == nil ? nil : description.views,
            ensembleMembers: predictor.ensembleMembers, temperature: temperature)
    }
}
