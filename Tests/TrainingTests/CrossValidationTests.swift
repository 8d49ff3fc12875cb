@testable import Catalog
import Foundation
import Testing
@testable import Training

/// Cross-validation's fold datasets (the folds themselves are in GroupedSplitTests) and its spread.
struct CrossValidationTests {
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
    }
}
