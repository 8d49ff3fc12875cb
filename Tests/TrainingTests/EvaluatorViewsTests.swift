import Foundation
import Models
import RunArtifacts
import Testing

@testable import Training

/// The evaluator averages the probabilities of a model's test-time views, like the predictor.
struct EvaluatorViewsTests {
    /// A seeded CoverNet at 48 px written as a run folder with the given views, inside `parent` (the
    /// test's dataset folder, removed at the end of the test).
    static func runFolder(views: [TestTimeView]?, classNames: [String], seed: UInt64 = 11, under parent: URL) throws -> URL {
        let folder = parent.appendingPathComponent("model-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let model = ModelKind.coverNet.make(classCount: classNames.count, seed: seed, resolution: 48)
        try ModelArchive.save(model, to: folder.appendingPathComponent("weights.safetensors"))
        var description = ModelDescription(
            model: .coverNet, classNames: classNames, resolution: 48, input: model.inputSpecification, epoch: 1, validationMacroF1: 0)
        description.testTimeViews = views
        try JSONEncoder().encode(description).write(to: folder.appendingPathComponent("model.json"))
        return folder
    }

    @Test("probabilities are the mean over the views, and the record names the views")
    func averagesViews() throws {
        let (dataset, images) = try TrainingFixtures.dataset(perGenre: 4)
        defer { try? FileManager.default.removeItem(at: images) }
        let views: [TestTimeView] = [.centerCrop, .whole(side: 48), .whole(side: 64)]
        let combined = try Evaluator(runFolder: Self.runFolder(views: views, classNames: dataset.classNames, under: images))
        let singles = try views.map { try Evaluator(runFolder: Self.runFolder(views: [$0], classNames: dataset.classNames, under: images)) }
        #expect(combined.predictor.views.map(\.cropSize.width) == [48, 48, 64])
        let rows = combined.probabilities(dataset.images)
        let perView = singles.map { $0.probabilities(dataset.images) }
        for (index, row) in rows.enumerated() {
            let row = try #require(row)
            for k in row.indices {
                let mean = perView.map { $0[index]![k] }.reduce(0, +) / 3
                #expect(abs(row[k] - mean) < 1e-5)
            }
        }
        let record = combined.evaluate(dataset.images, split: "val")
        #expect(record.views == views)
        #expect(
            try Evaluator(runFolder: Self.runFolder(views: nil, classNames: dataset.classNames, under: images)).evaluate(dataset.images, split: "val")
                .views == nil)
    }

    @Test("an ensemble's probabilities are the mean of its members', and the record names them")
    func averagesEnsembleMembers() throws {
        let (dataset, images) = try TrainingFixtures.dataset(perGenre: 4)
        defer { try? FileManager.default.removeItem(at: images) }
        let sources = try [
            Self.runFolder(views: [.centerCrop, .whole(side: 48)], classNames: dataset.classNames, seed: 11, under: images),
            Self.runFolder(views: nil, classNames: dataset.classNames, seed: 12, under: images),
            Self.runFolder(views: nil, classNames: dataset.classNames, seed: 13, under: images),
        ]
        let folder = images.appendingPathComponent("ensemble", isDirectory: true)
        _ = try ModelArchive.writeEnsemble(at: folder, sources: sources)
        let ensemble = try Evaluator(runFolder: folder)
        #expect(ensemble.predictor.memberDescriptions.count == 3)
        let rows = ensemble.probabilities(dataset.images)
        let perMember = try sources.map { try Evaluator(runFolder: $0).probabilities(dataset.images) }
        for (index, row) in rows.enumerated() {
            let row = try #require(row)
            for k in row.indices {
                let mean = perMember.map { $0[index]![k] }.reduce(0, +) / 3
                #expect(abs(row[k] - mean) < 1e-5)
            }
        }
        let record = ensemble.evaluate(dataset.images, split: "val")
        #expect(record.ensembleMembers == sources.map(\.lastPathComponent))
        // The first member's epoch and views are not the ensemble's: the record claims neither.
        #expect(record.modelEpoch == nil && record.views == nil)
    }

    @Test("an ensemble made with mirrors averages each member's views with their mirror images")
    func mirroredEnsembleAveragesEachViewWithItsMirror() throws {
        let (dataset, images) = try TrainingFixtures.dataset(perGenre: 4)
        defer { try? FileManager.default.removeItem(at: images) }
        let sources = try [
            Self.runFolder(views: [.centerCrop, .whole(side: 56)], classNames: dataset.classNames, seed: 11, under: images),
            Self.runFolder(views: nil, classNames: dataset.classNames, seed: 12, under: images),
        ]
        let folder = images.appendingPathComponent("ensemble", isDirectory: true)
        let written = try ModelArchive.writeEnsemble(at: folder, sources: sources, mirrorsViews: true)
        #expect(written.mirrorsViews == true)
        let ensemble = try Evaluator(runFolder: folder)
        #expect(ensemble.predictor.views.map(\.mirrored) == [false, true, false, true, false, true])
        #expect(ensemble.predictor.views.map(\.cropSize.width) == [48, 48, 56, 56, 48, 48])

        // The reference: each member as a single model whose own views list the mirrors explicitly.
        let expandedViews: [[TestTimeView]] = [
            [.centerCrop, .mirrored(.centerCrop), .whole(side: 56), .mirrored(.whole(side: 56))],
            [.centerCrop, .mirrored(.centerCrop)],
        ]
        let perMember = try zip(expandedViews, [UInt64(11), 12]).map { views, seed in
            try Evaluator(runFolder: Self.runFolder(views: views, classNames: dataset.classNames, seed: seed, under: images)).probabilities(
                dataset.images)
        }
        for (index, row) in ensemble.probabilities(dataset.images).enumerated() {
            let row = try #require(row)
            for k in row.indices {
                #expect(abs(row[k] - (perMember[0][index]![k] + perMember[1][index]![k]) / 2) < 1e-5)
            }
        }
        // The mirrored views really are mirrored: each row of the input reversed.
        let url = dataset.images[0].url
        let input = try ensemble.predictor.inputValues(contentsOf: url)
        let (plain, mirrored) = (Array(input[0..<(3 * 48 * 48)]), Array(input[(3 * 48 * 48)..<(6 * 48 * 48)]))
        #expect(plain != mirrored)
        #expect(Array(mirrored[0..<48]) == Array(plain[0..<48].reversed()))
        // A view is stored as what it is, and a mirror of a mirror is the view itself.
        let view = TestTimeView.mirrored(.whole(side: 64))
        #expect(try JSONDecoder().decode(TestTimeView.self, from: JSONEncoder().encode(view)) == view)
        #expect(view.isMirrored && !TestTimeView.mirrored(view).isMirrored && view.input(from: ensemble.description.input).size == 64)
    }
}
