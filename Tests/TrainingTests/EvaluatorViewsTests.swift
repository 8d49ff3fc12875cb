import Foundation
import Models
import Testing
@testable import Training

/// The evaluator averages the probabilities of a model's test-time views, like the predictor.
struct EvaluatorViewsTests {
    /// A seeded CoverNet at 48 px written as a run folder with the given views.
    static func runFolder(views: [TestTimeView]?, classNames: [String], seed: UInt64 = 11) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evaluator-views-\(UUID().uuidString)", isDirectory: true)
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
        let combined = try Evaluator(runFolder: Self.runFolder(views: views, classNames: dataset.classNames))
        let singles = try views.map { try Evaluator(runFolder: Self.runFolder(views: [$0], classNames: dataset.classNames)) }
        #expect(combined.transforms.map(\.size) == [48, 48, 64])
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
        #expect(try Evaluator(runFolder: Self.runFolder(views: nil, classNames: dataset.classNames)).evaluate(dataset.images, split: "val").views == nil)
    }

    @Test("an ensemble's probabilities are the mean of its members', and the record names them")
    func averagesEnsembleMembers() throws {
        let (dataset, images) = try TrainingFixtures.dataset(perGenre: 4)
        defer { try? FileManager.default.removeItem(at: images) }
        let sources = try [
            Self.runFolder(views: [.centerCrop, .whole(side: 48)], classNames: dataset.classNames, seed: 11),
            Self.runFolder(views: nil, classNames: dataset.classNames, seed: 12),
            Self.runFolder(views: nil, classNames: dataset.classNames, seed: 13),
        ]
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evaluator-ensemble-\(UUID().uuidString)", isDirectory: true)
        _ = try ModelArchive.writeEnsemble(at: folder, sources: sources)
        let ensemble = try Evaluator(runFolder: folder)
        #expect(ensemble.members.count == 3)
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
}
