import Catalog
import Foundation
import Testing
import Training

@testable import CLI

/// `albumgenre crossvalidate RUN`: RUN's configuration trained once per fold of train + validation.
struct CrossValidateTests {
    /// The rows of a fold run's split.json.
    struct SplitRow: Decodable {
        var id: Int64
        var split: Split?
    }

    @Test func everyFoldTrainsOnTheOthersAndTheTestSplitIsNeverUsed() async throws {
        let (folder, runs, common) = try await RefitEnsembleTests.twoTrainedRuns()
        defer { try? FileManager.default.removeItem(at: folder) }
        let catalog = try Catalog(path: folder.appendingPathComponent("covers.sqlite").path)
        let images = try catalog.labelledImages()
        let testIDs = Set(images.filter { $0.split == .test }.map(\.albumID))
        let poolIDs = Set(images.filter { $0.split != .test }.map(\.albumID))
        #expect(!testIDs.isEmpty)

        try await RefitEnsembleTests.run(["crossvalidate", "a", "--folds", "3"] + common)
        let cv = runs.appendingPathComponent("a-cv")
        let summary = try JSONDecoder().decode(
            CrossValidation.Summary.self, from: Data(contentsOf: cv.appendingPathComponent("crossvalidation.json")))
        #expect(summary.source == "a" && summary.folds.map(\.fold) == [1, 2, 3])
        #expect(summary.folds.map(\.validationCovers).reduce(0, +) == poolIDs.count)
        #expect(summary.folds.allSatisfy { $0.trainingCovers + $0.validationCovers == poolIDs.count })
        #expect(abs(summary.macroF1.mean - summary.folds.map(\.macroF1).reduce(0, +) / 3) < 1e-12)

        var validated: [Int64] = []
        for fold in 1...3 {
            let rows = try JSONDecoder().decode([SplitRow].self, from: Data(contentsOf: cv.appendingPathComponent("fold-\(fold)/split.json")))
            #expect(Set(rows.map(\.id)) == poolIDs, "fold \(fold) holds train + validation, no test cover")
            validated += rows.filter { $0.split == .val }.map(\.id)
        }
        #expect(validated.count == poolIDs.count && Set(validated) == poolIDs, "each cover is validated in exactly one fold")

        // Again: the folds exist, so it stops; with --resume the finished folds give the same figures,
        // and b is scored on the same folds and compared with a fold by fold.
        let again = try await ErrorMessageTests.failure(["crossvalidate", "a", "--folds", "3"] + common)
        #expect(again.status == 2 && again.message.contains("--resume"), "\(again.message)")
        try await RefitEnsembleTests.run(["crossvalidate", "a", "b", "--folds", "3", "--resume"] + common)
        let resumed = try JSONDecoder().decode(
            CrossValidation.Summary.self, from: Data(contentsOf: cv.appendingPathComponent("crossvalidation.json")))
        #expect(resumed.folds.map(\.macroF1) == summary.folds.map(\.macroF1))
        let b = try JSONDecoder().decode(
            CrossValidation.Summary.self, from: Data(contentsOf: runs.appendingPathComponent("b-cv/crossvalidation.json")))
        #expect(b.foldsDigest == summary.foldsDigest && b.folds.map(\.validationCovers) == summary.folds.map(\.validationCovers))
        let comparison = try #require(CrossValidation.Comparison(baseline: summary, candidate: b))
        let differences = zip(b.folds, summary.folds).map { $0.macroF1 - $1.macroF1 }
        #expect(abs(comparison.macroF1Difference.mean - differences.reduce(0, +) / 3) < 1e-12)
        #expect(comparison.foldsBetter == differences.filter { $0 > 0 }.count)

        let page = try String(contentsOf: cv.appendingPathComponent("report-vs-b/index.html"), encoding: .utf8)
        #expect(page.contains("Cross-validation: a vs b") && page.contains("<svg"))
        let alone = try String(contentsOf: cv.appendingPathComponent("report/index.html"), encoding: .utf8)
        #expect(!alone.contains("a vs b"), "a's own page is kept beside the comparison's")

        // The folder is not a run, and commands that take one say what it is.
        let notARun = try await ErrorMessageTests.failure(["evaluate", "a-cv"] + common)
        #expect(notARun.status == 2 && notARun.message.contains("is a cross-validation"), "\(notARun.message)")

        // Other folds (another seed) cannot resume these fold runs.
        let reseeded = try await ErrorMessageTests.failure(["crossvalidate", "a", "--folds", "3", "--fold-seed", "77", "--resume"] + common)
        #expect(reseeded.status == 2 && reseeded.message.contains("holds a fold of other folds"), "\(reseeded.message)")

        // An ensemble has no configuration of its own.
        try await RefitEnsembleTests.run(["ensemble", "pair", "a", "b", "--no-validation"] + common)
        let ensemble = try await ErrorMessageTests.failure(["crossvalidate", "pair"] + common)
        #expect(ensemble.status == 2 && ensemble.message.contains("members one by one"), "\(ensemble.message)")
    }
}
