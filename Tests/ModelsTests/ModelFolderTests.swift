import Foundation
import RunArtifacts
import Testing

@testable import Models

/// A model folder's weights and `model.json` are written as a pair (`ModelArchive.write`), and a
/// folder whose weights changed without its description is refused on load.
struct ModelFolderTests {
    static func folder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("model-folder-\(UUID().uuidString)", isDirectory: true)
    }

    static func description(_ model: any ImageClassifier) -> ModelDescription {
        ModelDescription(model: .coverNet, classNames: ["a", "b"], resolution: 32, input: model.inputSpecification, epoch: 1, validationMacroF1: 0.5)
    }

    @Test func aWrittenPairLoadsAndWeightsReplacedAloneAreRefused() throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = ModelKind.coverNet.make(classCount: 2, seed: 1, resolution: 32)
        let written = try ModelArchive.write(first, description: Self.description(first), to: folder)
        #expect(written.weightsSHA256?.count == 64)
        let (loaded, description) = try ModelArchive.loadTrained(from: folder)
        #expect(description == written)
        #expect(loaded.namedParameters().map { $0.parameter.value.scalars() } == first.namedParameters().map { $0.parameter.value.scalars() })

        // A run killed after writing the next epoch's weights but before its model.json.
        let second = ModelKind.coverNet.make(classCount: 2, seed: 2, resolution: 32)
        try ModelArchive.save(second, to: folder.appendingPathComponent(RunDirectory.FileName.weights))
        #expect(throws: ModelFileError.weightsDoNotMatchDescription(folder: folder.path)) { try ModelArchive.loadTrained(from: folder) }
    }

    /// Folders written before the hash existed (the shipped default model among them) still load.
    @Test func aDescriptionWithoutTheHashIsNotChecked() throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = ModelKind.coverNet.make(classCount: 2, seed: 3, resolution: 32)
        var description = try ModelArchive.write(model, description: Self.description(model), to: folder)
        description.weightsSHA256 = nil
        try JSONEncoder().encode(description).write(to: folder.appendingPathComponent(RunDirectory.FileName.model))
        try ModelArchive.save(
            ModelKind.coverNet.make(classCount: 2, seed: 4, resolution: 32), to: folder.appendingPathComponent(RunDirectory.FileName.weights))
        #expect(try ModelArchive.loadTrained(from: folder).description.weightsSHA256 == nil)
    }
}
