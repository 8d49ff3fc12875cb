import Catalog
import Foundation
import RunArtifacts

/// The original study's experiments on a catalog (`albumgenre study`; the demo runs the same models
/// on all genres): for all genres, the study's scratch CNN, EfficientNet-Lite0 with a frozen base,
/// and the same then fine-tuned; for each genre pair, the scratch CNN and the fine-tuned model.
public struct StudyPlan: Sendable {
    /// One model of one task: the run it trains (`study-<task>-<suffix>`) and how.
    public struct Experiment: Sendable {
        public var genres: [String]
        public var runName: String
        /// What the comparison table calls it.
        public var description: String
        public var configuration: TrainingConfiguration
    }

    /// The study's genre pairs (§1.3 of its write-up).
    public static let studyPairs = [["rap", "rock"], ["country", "jazz"], ["rap", "holiday"], ["rock", "latin"]]

    public var scratchEpochs = 10
    public var frozenEpochs = 20
    public var fineTuneEpochs = 10
    public var seed: UInt64 = 42

    public init(scratchEpochs: Int = 10, frozenEpochs: Int = 20, fineTuneEpochs: Int = 10, seed: UInt64 = 42) {
        self.scratchEpochs = scratchEpochs
        self.frozenEpochs = frozenEpochs
        self.fineTuneEpochs = fineTuneEpochs
        self.seed = seed
    }

    /// The tasks: every genre of the catalog, then each pair whose two genres it has (nil: the
    /// study's pairs; empty: none).
    public static func tasks(genres: [String], pairs: [[String]]?) -> [[String]] {
        [genres] + (pairs ?? studyPairs).filter { $0.count == 2 && $0.allSatisfy(genres.contains) }
    }

    /// The experiments of one task, in the order they run.
    public func experiments(task genres: [String], allGenres: Bool) -> [Experiment] {
        let label = allGenres ? "all" : genres.joined(separator: "-")
        var experiments = [
            Experiment(
                genres: genres, runName: "study-\(label)-study-cnn", description: "study CNN (scratch, dropout 0.8)", configuration: scratch(genres))
        ]
        if allGenres {
            experiments.append(
                Experiment(
                    genres: genres, runName: "study-\(label)-lite0-frozen", description: "EfficientNet-Lite0, frozen base",
                    configuration: transfer(genres, fineTune: 0)))
        }
        experiments.append(
            Experiment(
                genres: genres, runName: "study-\(label)-lite0-finetuned", description: "EfficientNet-Lite0, frozen then fine-tuned",
                configuration: transfer(genres, fineTune: fineTuneEpochs)))
        return experiments
    }

    /// The study's scratch CNN: no augmentation, no label smoothing, no early stopping.
    func scratch(_ genres: [String]) -> TrainingConfiguration {
        var c = TrainingConfiguration(model: .studyCNN, genres: genres, seed: seed)
        c.frozenEpochs = scratchEpochs
        c.fineTuneEpochs = 0
        c.augmentation = false
        c.labelSmoothing = 0
        c.earlyStoppingPatience = nil
        return c
    }

    /// EfficientNet-Lite0: `frozenEpochs` on a frozen base, then `fineTune` with its top unfrozen.
    func transfer(_ genres: [String], fineTune: Int) -> TrainingConfiguration {
        var c = TrainingConfiguration(model: .efficientNetLite0, genres: genres, seed: seed)
        c.frozenEpochs = frozenEpochs
        c.fineTuneEpochs = fineTune
        return c
    }
}

extension Evaluator {
    /// The run's test record: the one recorded, or, the first time, `images` scored and recorded
    /// (`evaluation-test.json`), so the test split of a finished run is read once.
    public static func testRecordOnce(run: RunDirectory, images: [LabelledImage]) throws -> EvaluationRecord {
        if let recorded = try? run.readJSON(EvaluationRecord.self, from: run.evaluationURL(split: "test")) { return recorded }
        let record = try Evaluator(runFolder: run.url).evaluate(images, split: "test")
        try run.writeJSON(record, to: run.evaluationURL(split: "test"))
        return record
    }
}
