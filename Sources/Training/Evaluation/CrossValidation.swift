import Catalog
import Checkpoints
import Foundation
import RunArtifacts

/// k-fold cross-validation on the covers outside the test split: each fold in turn is the
/// validation split and the other folds the training split, so a configuration is judged on
/// every training cover once instead of on one validation split of a few hundred.
public enum CrossValidation {
    /// The dataset of each fold, in fold order: `pool` (train + validation covers, never test) with
    /// the covers whose `folds` entry is k marked `.val` and all others `.train`.
    public static func foldDatasets(pool: [LabelledImage], folds: [Int64: Int], count: Int, genres: [String]) -> [GenreDataset] {
        precondition(pool.allSatisfy { $0.split != .test }, "cross-validation never reads the test split")
        return (0..<count).map { fold in
            GenreDataset(
                images: pool.map { image in
                    var relabelled = image
                    relabelled.split = folds[image.albumID] == fold ? .val : .train
                    return relabelled
                },
                genres: genres)
        }
    }

    /// A short fingerprint of a fold assignment: two cross-validations with the same digest
    /// validated the same covers in each fold, so their folds can be compared pairwise.
    public static func digest(of folds: [Int64: Int]) -> String {
        let text = folds.keys.sorted().map { "\($0):\(folds[$0]!)" }.joined(separator: ",")
        return String(SHA256Digest.hex(Data(text.utf8)).prefix(16))
    }

    /// Mean and sample standard deviation (n − 1) of a figure over the folds.
    public struct Spread: Codable, Sendable, Equatable {
        public var mean: Double
        public var standardDeviation: Double

        public init(_ values: [Double]) {
            let mean = values.reduce(0, +) / Double(max(values.count, 1))
            let squares = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
            self.mean = mean
            standardDeviation = values.count > 1 ? (squares / Double(values.count - 1)).squareRoot() : 0
        }
    }

    /// One fold's result: the figures of the epoch its own validation fold selected.
    public struct Fold: Codable, Sendable, Equatable {
        public var fold: Int
        public var run: String
        public var trainingCovers: Int
        public var validationCovers: Int
        public var selectedEpoch: Int
        public var accuracy: Double
        public var macroF1: Double
        public var balancedAccuracy: Double

        /// Fold `fold` (1-based) as its finished `run` on `dataset` recorded it in `metrics.jsonl`:
        /// the last epoch marked best. Nil when no epoch was (the run did not finish one).
        public init?(fold: Int, run: RunDirectory, dataset: GenreDataset) {
            guard let best = run.readMetrics().last(where: \.isBest),
                let accuracy = best.validationAccuracy, let macroF1 = best.validationMacroF1,
                let balancedAccuracy = best.validationBalancedAccuracy
            else { return nil }
            self.fold = fold
            self.run = run.url.path
            trainingCovers = dataset.images(in: .train).count
            validationCovers = dataset.images(in: .val).count
            selectedEpoch = best.epoch
            self.accuracy = accuracy
            self.macroF1 = macroF1
            self.balancedAccuracy = balancedAccuracy
        }
    }

    /// `crossvalidation.json`: every fold and the spread of each figure over them.
    public struct Summary: Codable, Sendable, Equatable {
        /// The run whose configuration was cross-validated.
        public var source: String
        public var foldSeed: UInt64
        /// `digest(of:)` of the fold assignment.
        public var foldsDigest: String
        public var folds: [Fold]
        public var accuracy: Spread
        public var macroF1: Spread
        public var balancedAccuracy: Spread

        public static let fileName = RunDirectory.FileName.crossValidation

        public init(source: String, foldSeed: UInt64, foldsDigest: String, folds: [Fold]) {
            self.source = source
            self.foldSeed = foldSeed
            self.foldsDigest = foldsDigest
            self.folds = folds
            accuracy = Spread(folds.map(\.accuracy))
            macroF1 = Spread(folds.map(\.macroF1))
            balancedAccuracy = Spread(folds.map(\.balancedAccuracy))
        }
    }

    /// One configuration against another on the same folds. Fold k's difference
    /// d_k = candidate_k − baseline_k cancels what makes fold k easy or hard for both, so the spread
    /// of d is far smaller than either configuration's own spread over the folds.
    public struct Comparison: Codable, Sendable, Equatable {
        public var baseline: String
        public var candidate: String
        /// Mean and standard deviation over the folds of the candidate's figure minus the baseline's.
        public var macroF1Difference: Spread
        public var accuracyDifference: Spread
        /// Folds whose macro-F1 the candidate raised, and lowered.
        public var foldsBetter: Int
        public var foldsWorse: Int

        /// Nil unless both validated the same covers in each fold (same `foldsDigest`).
        public init?(baseline: Summary, candidate: Summary) {
            guard baseline.foldsDigest == candidate.foldsDigest, baseline.folds.count == candidate.folds.count else { return nil }
            let pairs = zip(candidate.folds, baseline.folds)
            let f1 = pairs.map { $0.macroF1 - $1.macroF1 }
            self.baseline = baseline.source
            self.candidate = candidate.source
            macroF1Difference = Spread(f1)
            accuracyDifference = Spread(pairs.map { $0.accuracy - $1.accuracy })
            foldsBetter = f1.filter { $0 > 0 }.count
            foldsWorse = f1.filter { $0 < 0 }.count
        }
    }
}
