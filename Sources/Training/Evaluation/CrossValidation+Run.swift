import Catalog
import Foundation
import RunArtifacts

extension CrossValidation {
    /// One configuration to cross-validate: the run it repeats and the folder its folds go in
    /// (`runs/<run>-cv/fold-<k>/`, with `crossvalidation.json` beside them).
    public struct Plan: Sendable {
        public var source: String
        public var configuration: TrainingConfiguration
        public var folder: URL

        public init(source: String, configuration: TrainingConfiguration, folder: URL) {
            self.source = source
            self.configuration = configuration
            self.folder = folder
        }
    }

    /// Why a cross-validation cannot go on.
    public enum RunError: Error, Equatable {
        /// The fold's folder was trained on other folds (another seed or fold count, or catalog).
        case foldOfOtherFolds(fold: URL, crossValidation: URL)
        /// A fold's training ended without choosing an epoch.
        case noSelectedEpoch(fold: URL)
    }

    /// `albumgenre crossvalidate`: every plan trained on the same `count` folds of `pool` (the
    /// train + validation covers), each fold validating on one part and training on the others.
    /// Covers are grouped as `split` groups them (artist, release, near-identical art), so a group
    /// never straddles a fold; the assignment depends on `seed` alone. Each plan's summary is
    /// written to its folder; every later plan is compared with the first, fold by fold.
    ///
    /// `train(configuration, dataset, run)` trains one fold (resumably: a finished fold is reused);
    /// `starting(source, fold, validationCovers)` is told before each; `grouping(done)` counts covers hashed.
    public static func run(
        plans: [Plan], pool: [LabelledImage], count: Int, seed: UInt64,
        grouping: (Int) -> Void = { _ in }, starting: (String, Int, Int) -> Void = { _, _, _ in },
        train: (TrainingConfiguration, GenreDataset, RunDirectory) throws -> Void
    ) throws -> (summaries: [Summary], comparisons: [Comparison]) {
        let assignment = GroupedSplitter.folds(GroupedSplitter.groupingItems(pool, progress: grouping), count: count, seed: seed)
        var summaries: [Summary] = []
        for plan in plans {
            var results: [Fold] = []
            let datasets = foldDatasets(pool: pool, folds: assignment, count: count, genres: plan.configuration.genres)
            for (index, dataset) in datasets.enumerated() {
                starting(plan.source, index + 1, dataset.images(in: .val).count)
                let run = try RunDirectory.create(named: foldName(index + 1), under: plan.folder)
                do {
                    try train(plan.configuration, dataset, run)
                } catch TrainingError.datasetChanged {
                    throw RunError.foldOfOtherFolds(fold: run.url, crossValidation: plan.folder)
                }
                guard let result = Fold(fold: index + 1, run: run, dataset: dataset) else { throw RunError.noSelectedEpoch(fold: run.url) }
                results.append(result)
            }
            let summary = Summary(source: plan.source, foldSeed: seed, foldsDigest: digest(of: assignment), folds: results)
            try RunDirectory(url: plan.folder).writeJSON(summary, to: plan.folder.appendingPathComponent(Summary.fileName))
            summaries.append(summary)
        }
        // The same assignment fed every plan, so each comparison exists.
        return (summaries, summaries.dropFirst().compactMap { Comparison(baseline: summaries[0], candidate: $0) })
    }

    /// The folder name of fold `k` (1-based) under a cross-validation's folder.
    public static func foldName(_ k: Int) -> String { "fold-\(k)" }
}
