@testable import Catalog
import Foundation
import Testing
@testable import Training

/// Cross-validation folds: grouped and stratified like the splits, every training cover validated once.
struct CrossValidationTests {
    static func items(count: Int, artists: Int) -> [GroupedSplitter.Item] {
        (0..<count).map { i in
            GroupedSplitter.Item(id: Int64(i), label: ["rock", "jazz", "rap"][i % 3], groupKeys: ["artist:\(i % artists)"])
        }
    }

    @Test func foldsKeepGroupsTogetherAndShareEveryGenreEvenly() {
        let all = Self.items(count: 900, artists: 300)
        let folds = GroupedSplitter.folds(all, count: 5, seed: 4)
        #expect(Set(folds.values) == Set(0..<5) && folds.count == all.count)
        var foldOfArtist: [String: Int] = [:]
        for item in all {
            if let seen = foldOfArtist[item.groupKeys[0]] { #expect(seen == folds[item.id]) }
            foldOfArtist[item.groupKeys[0]] = folds[item.id]
        }
        for genre in ["rock", "jazz", "rap"] {
            let ids = all.filter { $0.label == genre }.map(\.id)
            for fold in 0..<5 {
                let share = Double(ids.filter { folds[$0] == fold }.count) / Double(ids.count)
                #expect(abs(share - 0.2) < 0.02, "\(genre) fold \(fold): \(share)")
            }
        }
        #expect(GroupedSplitter.folds(all, count: 5, seed: 4) == folds)
        #expect(GroupedSplitter.folds(all, count: 5, seed: 5) != folds)
    }

    @Test func eachCoverIsValidatedInExactlyOneFold() {
        let pool = (0..<30).map { i in
            LabelledImage(
                albumID: Int64(i), artist: "a\(i)", title: "t\(i)", genre: ["rock", "jazz"][i % 2], genres: [["rock", "jazz"][i % 2]],
                filePath: "/covers/\(i).jpg", sha256: "\(i)", width: 300, height: 300, split: i % 3 == 0 ? .val : .train)
        }
        let folds = Dictionary(uniqueKeysWithValues: pool.map { ($0.albumID, Int($0.albumID) % 3) })
        let datasets = CrossValidation.foldDatasets(pool: pool, folds: folds, count: 3, genres: ["jazz", "rock"])
        #expect(datasets.count == 3)
        var validatedIn: [Int64: [Int]] = [:]
        for (fold, dataset) in datasets.enumerated() {
            #expect(dataset.images.count == pool.count && dataset.classNames == ["jazz", "rock"])
            for image in dataset.images(in: .val) { validatedIn[image.albumID, default: []].append(fold) }
            #expect(dataset.images(in: .train).count == 20 && dataset.images(in: .test).isEmpty)
        }
        #expect(validatedIn.count == pool.count && validatedIn.allSatisfy { $0.value == [folds[$0.key]!] })
    }

    @Test func theSpreadIsTheMeanAndTheSampleStandardDeviation() {
        let spread = CrossValidation.Spread([0.4, 0.5, 0.6])
        #expect(abs(spread.mean - 0.5) < 1e-12 && abs(spread.standardDeviation - 0.1) < 1e-12)
        #expect(CrossValidation.Spread([0.3]).standardDeviation == 0)
        let summary = CrossValidation.Summary(source: "r", foldSeed: 1, folds: [
            .init(fold: 1, run: "f1", trainingCovers: 8, validationCovers: 4, selectedEpoch: 2, accuracy: 0.5, macroF1: 0.25, balancedAccuracy: 0.5),
            .init(fold: 2, run: "f2", trainingCovers: 8, validationCovers: 4, selectedEpoch: 1, accuracy: 0.75, macroF1: 0.75, balancedAccuracy: 0.5),
        ])
        #expect(summary.accuracy.mean == 0.625 && summary.macroF1.mean == 0.5 && summary.balancedAccuracy.standardDeviation == 0)
    }
}
