import Catalog
import Foundation
import Models
import TensorCore

/// A scored split, saved as `evaluation-<split>.json` in the run folder.
public struct EvaluationRecord: Codable, Sendable {
    /// One wrong prediction, kept for the report's "most confident mistakes" grid.
    public struct Mistake: Codable, Sendable {
        public var file: String
        public var trueGenre: String
        public var predictedGenre: String
        public var confidence: Double
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
}

/// Scores a trained model, or an ensemble of them, on one split of a dataset.
public struct Evaluator {
    /// One model for a trained run, several for an ensemble, with their weighted views.
    public let loaded: LoadedModels
    /// One preprocessing per entry of `loaded.weightedViews`.
    public let transforms: [any ImageTransforming]
    public var batchSize: Int

    /// The models (one, or an ensemble's members).
    public var members: [TrainedModel] { loaded.members }
    /// The first member's description (an ensemble's members share their class names).
    public var description: ModelDescription { loaded.members[0].description }

    /// The temperature the probabilities are scaled by (`calibration.json`); nil when uncalibrated,
    /// or when the evaluator was made with `calibrated: false`.
    public let temperature: Double?

    /// `batchSize` 8 rather than training's 32: scoring 670 covers with Lite2 at 300 px took 9.1 s
    /// instead of 11.1 s and 0.76 GB instead of 2.9 GB (smaller activations stay in cache).
    /// `calibrated: false` scores the raw probabilities, ignoring `calibration.json` (`calibrate`
    /// fits the temperature on them).
    public init(runFolder: URL, batchSize: Int = 8, calibrated: Bool = true) throws {
        loaded = try ModelArchive.loadModelsForInference(from: runFolder)
        temperature = calibrated ? loaded.calibration?.temperature : nil
        transforms = loaded.weightedViews.map { CoverPreprocessing(input: $0.input, mirrored: $0.mirrored) }
        self.batchSize = batchSize
    }

    /// Class probabilities of each image in the model's class order: the mean over the members,
    /// each the mean over its views; nil for an image that any view cannot read.
    public func probabilities(_ images: [LabelledImage], progress: (Int, Int) -> Void = { _, _ in }) -> [[Float]?] {
        let views = loaded.weightedViews
        let trainers = zip(views, transforms).map { view, transform in
            NetworkTrainer(
                model: members[view.member].model, transform: transform, classWeights: nil, labelSmoothing: 0, batchSize: batchSize, seed: 0,
                augmentation: false, phase: "evaluate")
        }
        let weights = views.map(\.weight)
        var rows: [[Float]?] = []
        for start in stride(from: 0, to: images.count, by: batchSize * 8) {
            let chunk = Array(images[start..<min(start + batchSize * 8, images.count)])
            let perView = trainers.map { $0.probabilities(chunk) }
            rows += chunk.indices.map { index in
                let views = perView.compactMap { $0[index] }
                guard views.count == perView.count else { return nil }
                let mean = views[0].indices.map { k in zip(views, weights).reduce(0) { $0 + $1.0[k] * $1.1 } }
                return temperature.map { TemperatureScaling.apply(mean, classes: mean.count, temperature: $0) } ?? mean
            }
            progress(rows.count, images.count)
        }
        return rows
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
                mistakes.append(.init(file: image.filePath, trueGenre: image.genre, predictedGenre: classNames[predicted], confidence: Double(row[predicted])))
            }
        }
        mistakes.sort { $0.confidence > $1.confidence }
        return EvaluationRecord(
            split: split, metrics: ClassificationMetrics(probabilities: probabilities, labels: labels, classNames: classNames), skipped: skipped,
            mistakes: Array(mistakes.prefix(24)), scoredAt: Date(), modelEpoch: loaded.ensemble == nil ? description.epoch : nil,
            views: loaded.ensemble != nil || description.testTimeViews == nil ? nil : description.views,
            ensembleMembers: loaded.ensemble?.sources, temperature: temperature)
    }
}
