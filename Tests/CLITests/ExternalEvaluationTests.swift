import Foundation
import Imaging
import RunArtifacts
import Testing
import Training

@testable import CLI

/// `albumgenre evaluate RUN --images DIR`: labelled covers from outside the catalog, scored once,
/// without the covers the model trained or was chosen on.
struct ExternalEvaluationTests {
    /// The one external-set record in `run`.
    static func record(in run: URL) throws -> EvaluationRecord {
        let files = try FileManager.default.contentsOfDirectory(atPath: run.path).filter { $0.hasPrefix("evaluation-external-") }
        try #require(files.count == 1, "\(files)")
        return try RunDirectory(url: run).readJSON(EvaluationRecord.self, from: run.appendingPathComponent(files[0]))
    }

    /// Covers of run `a` by split, from its split.json.
    static func coversOf(_ run: URL, in split: String) throws -> [(file: String, genre: String)] {
        struct Entry: Decodable {
            var file: String
            var genre: String
            var split: String?
        }
        let entries = try JSONDecoder().decode([Entry].self, from: Data(contentsOf: run.appendingPathComponent("split.json")))
        return entries.filter { $0.split == split }.map { ($0.file, $0.genre) }
    }

    @Test func coversTheModelHasSeenAreLeftOutAndTheRestScoredOnce() async throws {
        let (folder, runs, common) = try await RefitEnsembleTests.twoTrainedRuns()
        defer { try? FileManager.default.removeItem(at: folder) }
        let covers = folder.appendingPathComponent("covers"), outside = folder.appendingPathComponent("outside")
        let a = runs.appendingPathComponent("a")

        // Fresh covers of every genre, rock's under another folder name; a jazz-like folder the model
        // does not know; a training cover as it is, another re-encoded smaller (a near copy); a test cover.
        try SyntheticDataset.write(to: outside, perGenre: 2, seed: 77)
        try FileManager.default.moveItem(at: outside.appendingPathComponent("rock"), to: outside.appendingPathComponent("rock-n-roll"))
        let electronic = outside.appendingPathComponent("electronic")
        try FileManager.default.createDirectory(at: electronic, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: outside.appendingPathComponent("rap/rap-0000.jpg"), to: electronic.appendingPathComponent("beat.jpg"))
        let trained = try Self.coversOf(a, in: "train"), tested = try Self.coversOf(a, in: "test")
        let exact = trained[0], resized = trained[1], unseen = tested[0]
        try FileManager.default.copyItem(
            at: covers.appendingPathComponent("\(exact.genre)/\(exact.file)"), to: outside.appendingPathComponent("\(exact.genre)/copy.jpg"))
        let original = try ImageDecoder().decode(contentsOf: covers.appendingPathComponent("\(resized.genre)/\(resized.file)"))
        try original.resized(to: ImageSize(width: 96, height: 96)).write(
            to: outside.appendingPathComponent("\(resized.genre)/small.jpg"), jpegQuality: 70)
        try FileManager.default.copyItem(
            at: covers.appendingPathComponent("\(unseen.genre)/\(unseen.file)"), to: outside.appendingPathComponent("\(unseen.genre)/held-out.jpg"))

        // A cover whose header reads but whose data stops short: listed as unreadable, not scored.
        let whole = try Data(contentsOf: outside.appendingPathComponent("rap/rap-0001.jpg"))
        try whole.prefix(whole.count / 2).write(to: outside.appendingPathComponent("rap/truncated.jpg"))

        let arguments = ["evaluate", "a", "--images", outside.path, "--relabel", "rock-n-roll=rock"] + common
        let first = try await ErrorMessageTests.failure(arguments)
        #expect(first.status == 3, "covers were left out")
        let record = try Self.record(in: a)
        let external = try #require(record.externalSet)
        #expect(external.seen.map { URL(fileURLWithPath: $0.file).lastPathComponent }.sorted() == ["copy.jpg", "small.jpg"])
        #expect(external.seen.first { $0.file.hasSuffix("copy.jpg") }?.identical == true)
        let near = try #require(external.seen.first { $0.file.hasSuffix("small.jpg") })
        #expect(!near.identical && near.distance <= 6 && near.seenFile.hasSuffix(resized.file), "\(near)")
        #expect(external.unknownGenre.map { URL(fileURLWithPath: $0).lastPathComponent } == ["beat.jpg"])
        #expect(external.relabelled == ["rock-n-roll": "rock"] && external.seenChecked)
        #expect(record.metrics.count == 6 * 2 + 1, "two fresh covers per genre and the held-out test cover")
        #expect(record.metrics.perClass.first { $0.name == "rock" }?.support == 2 + (unseen.genre == "rock" ? 1 : 0))
        #expect(record.split == "external" && record.modelEpoch != nil)
        #expect(record.skipped.map { URL(fileURLWithPath: $0).lastPathComponent } == ["truncated.jpg"])

        // The run's report shows it beside the catalog's splits.
        try await RefitEnsembleTests.run(["report", "a", "--runs", runs.path, "--no-grad-cam"])
        let page = try String(contentsOf: a.appendingPathComponent("report/index.html"), encoding: .utf8)
        #expect(page.contains("Evaluation: covers of outside (outside the catalog)"))

        // Scored once: the same covers again show the record; --rescore scores them again.
        let again = try await ErrorMessageTests.failure(arguments)
        #expect(again.status == 3)
        #expect(try Self.record(in: a).scoredAt == record.scoredAt)

        // Without the check (no catalog needed) every cover of the model's genres is scored.
        let unchecked = try await ErrorMessageTests.failure(arguments + ["--rescore", "--skip-seen-check", "--catalog", "/nonexistent.sqlite"])
        #expect(unchecked.status == 3, "the electronic cover is still left out")
        let all = try Self.record(in: a)
        #expect(
            all.scoredAt > record.scoredAt && all.metrics.count == 6 * 2 + 3 && all.externalSet?.seen == [] && all.externalSet?.seenChecked == false)

        // An ensemble has seen what its members' runs have seen.
        try await RefitEnsembleTests.run(["ensemble", "pair", "a", "b", "--no-validation"] + common)
        _ = try await ErrorMessageTests.failure(["evaluate", "pair", "--images", outside.path, "--relabel", "rock-n-roll=rock"] + common)
        #expect(try Self.record(in: runs.appendingPathComponent("pair")).externalSet?.seen.count == 2)
    }

    @Test func aRunTrainedOnAnotherCatalogIsNotCheckedAgainstThisOne() async throws {
        let (folder, _, common) = try await RefitEnsembleTests.twoTrainedRuns()
        defer { try? FileManager.default.removeItem(at: folder) }
        let other = folder.appendingPathComponent("other"), otherCatalog = folder.appendingPathComponent("other.sqlite").path
        try SyntheticDataset.write(to: other, perGenre: 2, seed: 5)
        try await RefitEnsembleTests.run(["import", other.path, "--catalog", otherCatalog])
        let failure = try await ErrorMessageTests.failure(["evaluate", "a", "--images", other.path] + common + ["--catalog", otherCatalog])
        #expect(failure.status == 2)
        #expect(failure.message.contains("not in this catalog") && failure.message.contains("--skip-seen-check"), "\(failure.message)")
    }

    @Test func relabellingNeedsAGenreOfTheModel() async throws {
        let (folder, _, common) = try await RefitEnsembleTests.twoTrainedRuns()
        defer { try? FileManager.default.removeItem(at: folder) }
        let covers = folder.appendingPathComponent("covers").path
        let failure = try await ErrorMessageTests.failure(["evaluate", "a", "--images", covers, "--relabel", "rock=metal"] + common)
        #expect(failure.status == 2 && failure.message.contains("metal is not one of the model's genres"), "\(failure.message)")
        #expect(throws: (any Error).self) { try AlbumGenreCommand.parseAsRoot(["evaluate", "a", "--images", covers, "--split", "test"]) }
        #expect(throws: (any Error).self) { try AlbumGenreCommand.parseAsRoot(["evaluate", "a", "--relabel", "a=b"]) }
        #expect(throws: (any Error).self) { try AlbumGenreCommand.parseAsRoot(["evaluate", "a", "--images", covers, "--relabel", "rock"]) }
    }
}
