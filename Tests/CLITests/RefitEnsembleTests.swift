import ArgumentParser
import Foundation
import Models
import Testing
import Training

@testable import CLI

/// `albumgenre refit ENSEMBLE`: every member's validated run refitted, then the final fits ensembled.
struct RefitEnsembleTests {
    /// Runs `albumgenre <arguments>` in-process; any failure is thrown.
    static func run(_ arguments: [String]) async throws {
        try await AlbumGenreCommand.execute(arguments)
    }

    static func modelDescription(_ run: URL) throws -> ModelDescription {
        try JSONDecoder().decode(ModelDescription.self, from: Data(contentsOf: run.appendingPathComponent("model.json")))
    }

    /// A catalog of synthetic covers, split, with two trained runs `a` and `b` in `runs/` of a new
    /// temporary `folder`; `common` holds the options every command of the test takes.
    static func twoTrainedRuns() async throws -> (folder: URL, runs: URL, common: [String]) {
        let folder = try ErrorMessageTests.temporaryFolder()
        let covers = folder.appendingPathComponent("covers"), runs = folder.appendingPathComponent("runs")
        try SyntheticDataset.write(to: covers, perGenre: 8, seed: 1)
        let catalog = folder.appendingPathComponent("covers.sqlite").path
        let common = ["--catalog", catalog, "--runs", runs.path, "--quiet"]
        try await Self.run(["import", covers.path, "--catalog", catalog])
        try await Self.run(["split", "--catalog", catalog])
        for (name, seed) in [("a", "1"), ("b", "2")] {
            try await Self.run(
                [
                    "train", "--model", "cover-net", "--resolution", "32", "--frozen-epochs", "2", "--patience", "0",
                    "--seed", seed, "--name", name,
                ] + common)
        }
        return (folder, runs, common)
    }

    @Test func anEnsembleIsRefittedMemberByMemberThenEnsembled() async throws {
        let (folder, runs, common) = try await Self.twoTrainedRuns()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await Self.run(["ensemble", "pair", "a", "b", "--mirror"] + common)

        try await Self.run(["refit", "pair"] + common)
        for member in ["a-final", "b-final"] {
            #expect(try Self.modelDescription(runs.appendingPathComponent(member)).trainedOnValidation == true, "\(member)")
        }
        let ensemble = try #require(try ModelArchive.ensembleDescription(in: runs.appendingPathComponent("pair-final")))
        #expect(ensemble.sources == ["a-final", "b-final"])
        #expect(ensemble.mirrorsViews == true, "the final ensemble sees the covers as the validated one did")

        // Again without --resume: the members' final fits exist, so it stops instead of overwriting them;
        // with --resume the finished members are kept as they are and the ensemble is written again.
        let again = try await ErrorMessageTests.failure(["refit", "pair"] + common)
        #expect(again.message.contains("--resume"), "\(again.message)")
        let weights = try Data(contentsOf: runs.appendingPathComponent("a-final/weights.safetensors"))
        try await Self.run(["refit", "pair", "--resume", "--name", "pair-again"] + common)
        #expect(try Data(contentsOf: runs.appendingPathComponent("a-final/weights.safetensors")) == weights)
        #expect(try ModelArchive.ensembleDescription(in: runs.appendingPathComponent("pair-again"))?.sources == ["a-final", "b-final"])

        // An ensemble of final fits has no validated runs to repeat.
        let twice = try await ErrorMessageTests.failure(["refit", "pair-final"] + common)
        #expect(twice.status == 2)
        #expect(twice.message.contains("a-final is itself a final fit"), "\(twice.message)")
    }

    /// A member listed twice weighs double; its validated run is refitted once and listed twice.
    @Test func aRepeatedMemberIsRefittedOnce() async throws {
        let (folder, runs, common) = try await Self.twoTrainedRuns()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await Self.run(["ensemble", "aab", "a", "a", "b", "--no-validation"] + common)
        try await Self.run(["refit", "aab"] + common)
        let ensemble = try #require(try ModelArchive.ensembleDescription(in: runs.appendingPathComponent("aab-final")))
        #expect(ensemble.sources == ["a-final", "a-final", "b-final"])
        let epochs = try String(contentsOf: runs.appendingPathComponent("a-final/metrics.jsonl"), encoding: .utf8).split(separator: "\n")
        let plan = try JSONDecoder().decode(TrainingConfiguration.self, from: Data(contentsOf: runs.appendingPathComponent("a-final/config.json")))
        #expect(epochs.count == plan.frozenEpochsToRun + plan.fineTuneEpochsToRun, "a-final trained once: one line per planned epoch")
    }

    /// `--seed`: the same final fit with another seed, for a seed ensemble; RUN's epochs, other weights.
    @Test func aRunIsRefittedWithAnotherSeedAtItsOwnEpochs() async throws {
        let (folder, runs, common) = try await Self.twoTrainedRuns()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await Self.run(["refit", "a"] + common)
        try await Self.run(["refit", "a", "--seed", "45"] + common)
        func plan(_ run: String) throws -> TrainingConfiguration {
            try JSONDecoder().decode(TrainingConfiguration.self, from: Data(contentsOf: runs.appendingPathComponent("\(run)/config.json")))
        }
        let (original, reseeded) = (try plan("a-final"), try plan("a-final-s45"))
        #expect(original.seed == 1 && reseeded.seed == 45)
        #expect(reseeded.finalFit == original.finalFit, "the epochs, source and validated figure stay a's")
        #expect(try Self.modelDescription(runs.appendingPathComponent("a-final-s45")).trainedOnValidation == true)
        let weights = { (run: String) in try Data(contentsOf: runs.appendingPathComponent("\(run)/weights.safetensors")) }
        #expect(try weights("a-final") != weights("a-final-s45"), "another seed trains other weights")

        // An ensemble: each member refitted with the seed (a's kept with --resume), then ensembled.
        try await Self.run(["ensemble", "pair", "a", "b", "--no-validation"] + common)
        let seeded = try weights("a-final-s45")
        try await Self.run(["refit", "pair", "--seed", "45", "--resume"] + common)
        #expect(try weights("a-final-s45") == seeded, "a's seed-45 final fit was finished: kept")
        let b = try plan("b-final-s45")
        #expect(b.seed == 45 && b.finalFit?.sourceRun == "b", "b refitted with the seed")
        let ensemble = try #require(try ModelArchive.ensembleDescription(in: runs.appendingPathComponent("pair-final-s45")))
        #expect(ensemble.sources == ["a-final-s45", "b-final-s45"])
    }
}
