import Foundation
import Imaging
import Inference
import Models
import Testing

/// An ensemble run predicts the mean of its members' probabilities and is self-contained.
struct EnsembleTests {
    static func temporaryFolder(_ label: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
    }

    /// Two members that differ in weights, input size and views.
    static func memberFolders() throws -> [URL] {
        let first = temporaryFolder("member-a")
        let second = temporaryFolder("member-b")
        try TestModel.writeRunFolder(to: first, resolution: 64, views: [.centerCrop, .whole(side: 64)], seed: 7)
        try TestModel.writeRunFolder(to: second, resolution: 48, seed: 8)
        return [first, second]
    }

    @Test("probabilities are the mean of the members', each averaging its own views")
    func averagesTheMembers() throws {
        let sources = try Self.memberFolders()
        let folder = Self.temporaryFolder("ensemble")
        defer { for url in sources + [folder] { try? FileManager.default.removeItem(at: url) } }
        let written = try ModelArchive.writeEnsemble(at: folder, sources: sources)
        #expect(written.members.count == 2 && written.classNames == TestModel.genres)
        // The ensemble no longer needs the runs it was made from.
        let members = try sources.map { try GenrePredictor(runFolder: $0) }
        for url in sources { try FileManager.default.removeItem(at: url) }
        let ensemble = try GenrePredictor(runFolder: folder)
        #expect(ensemble.modelName == "ensemble(cover-net + cover-net)")
        #expect(ensemble.ensembleMembers == sources.map(\.lastPathComponent))

        let images = (1...3).map { TestImages.picture(seed: $0) }
        let inputs = images.map(ensemble.inputValues(for:))
        #expect(inputs.allSatisfy { $0.count == 3 * (64 * 64 * 2 + 48 * 48) })
        let predictions = ensemble.predict(inputs: inputs)
        expectMean(predictions, of: members.map { $0.predict(images) })

        // package-model's copy predicts the same without the original folder.
        let copy = Self.temporaryFolder("ensemble-copy")
        defer { try? FileManager.default.removeItem(at: copy) }
        #expect(try ModelArchive.copyEnsemble(from: folder, to: copy) == written)
        try FileManager.default.removeItem(at: folder)
        #expect(try GenrePredictor(runFolder: copy).predict(inputs: inputs) == predictions)
    }

    @Test("members must share genres, be trained runs, number at least two, and not be ensembles")
    func rejectsBadMembers() throws {
        let sources = try Self.memberFolders()
        let other = Self.temporaryFolder("other-genres")
        let empty = Self.temporaryFolder("empty")
        let folder = Self.temporaryFolder("ensemble")
        defer { for url in sources + [other, empty, folder] { try? FileManager.default.removeItem(at: url) } }
        try TestModel.writeRunFolder(to: other, genres: ["jazz", "rock"])
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)

        #expect(throws: EnsembleError.self) { try ModelArchive.writeEnsemble(at: folder, sources: [sources[0]]) }
        #expect(throws: EnsembleError.self) { try ModelArchive.writeEnsemble(at: folder, sources: [sources[0], other]) }
        #expect(throws: EnsembleError.self) { try ModelArchive.writeEnsemble(at: folder, sources: [sources[0], empty]) }
        // Nothing half-written loads as an ensemble.
        #expect(!ModelArchive.isEnsemble(folder))
        _ = try ModelArchive.writeEnsemble(at: folder, sources: sources)
        #expect(throws: EnsembleError.self) { try ModelArchive.writeEnsemble(at: Self.temporaryFolder("nested"), sources: [folder, sources[0]]) }
        do {
            _ = try ModelArchive.writeEnsemble(at: folder, sources: [sources[0], other])
            Issue.record("members with other genres were accepted")
        } catch {
            #expect("\(error)".contains("jazz, rock") && "\(error)".contains("class order"))
        }
    }
}
