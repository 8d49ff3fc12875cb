import ArgumentParser
import Foundation
import Testing

@testable import CLI

/// The common mistakes fail with a non-zero status and a message that names the command to run next.
struct ErrorMessageTests {
    /// Runs `albumgenre <arguments>` in-process and returns how it failed.
    static func failure(_ arguments: [String]) async throws -> CommandFailure {
        do {
            try await AlbumGenreCommand.execute(arguments)
        } catch let failure as CommandFailure {
            return failure
        }
        Issue.record("albumgenre \(arguments.joined(separator: " ")) succeeded")
        return CommandFailure(status: 0)
    }

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("albumgenre-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test(arguments: [["train"], ["split"], ["evaluate", "some-run"], ["explore"], ["study"], ["catalog"], ["export", "out"]])
    func aMissingCatalogIsNotCreatedAndTheMessageSaysHowToMakeOne(command: [String]) async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let catalog = folder.appendingPathComponent("none.sqlite").path
        // A run folder, so that evaluate gets as far as the catalog.
        let run = folder.appendingPathComponent("some-run")
        try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: run.appendingPathComponent("model.json"))
        var arguments = command + ["--catalog", catalog]
        if command.first == "evaluate" { arguments = ["evaluate", run.path, "--catalog", catalog] }
        if command.first == "export" { arguments = ["export", folder.appendingPathComponent("out").path, "--catalog", catalog] }
        let failure = try await Self.failure(arguments)
        #expect(failure.status == 1)
        #expect(failure.message.contains("albumgenre import"), "\(failure.message)")
        #expect(!FileManager.default.fileExists(atPath: catalog), "\(command) created the catalog")
    }

    @Test(arguments: [
        ["evaluate", "nope"], ["report", "nope"], ["package-model", "nope", "--output", "x"], ["predict", "a.jpg", "--model", "nope"],
        ["ensemble", "pair", "nope", "nope-too"],
    ])
    func anUnknownRunNamesWhereItLookedAndHowToTrainOne(command: [String]) async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let failure = try await Self.failure(command + ["--runs", folder.path])
        #expect(failure.status == 1)
        #expect(failure.message.contains("no run 'nope'") && failure.message.contains("albumgenre train --name nope"), "\(failure.message)")
    }

    /// A catalog with covers but no split, then a genre the catalog does not have.
    @Test func trainingNeedsASplitAndKnownGenres() async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let covers = folder.appendingPathComponent("covers")
        try SyntheticDataset.write(to: covers, perGenre: 3, seed: 1)
        let catalog = folder.appendingPathComponent("covers.sqlite").path
        try await AlbumGenreCommand.execute(["import", covers.path, "--catalog", catalog])

        let noSplit = try await Self.failure(["train", "--catalog", catalog, "--model", "study-cnn"])
        #expect(noSplit.status == 2)
        #expect(noSplit.message.contains("albumgenre split --catalog \(catalog)"), "\(noSplit.message)")
        let evaluate = try await Self.failure(["study", "--catalog", catalog])
        #expect(evaluate.message.contains("albumgenre split"), "\(evaluate.message)")

        let unknown = try await Self.failure(["train", "--catalog", catalog, "--genres", "rock,polka"])
        #expect(unknown.status == 2)
        #expect(unknown.message.contains("unknown genre 'polka'") && unknown.message.contains("--genres"), "\(unknown.message)")
    }

    /// A final fit trained on validation: an ensemble with it cannot be scored there, and it cannot be
    /// refitted again; nothing is written.
    @Test func aFinalFitIsNeverScoredOnValidation() async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, trainedOnValidation) in [("final", true), ("validated", false)] {
            let run = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
            try Data("{}".utf8).write(to: run.appendingPathComponent("weights.safetensors"))
            let description =
                #"{"model":"cover-net","classNames":["jazz","rock"],"resolution":64,"input":{"size":64,"mean":[0,0,0],"std":[1,1,1],"resizeShorterSide":73},"epoch":1,"validationMacroF1":0.4,"trainedOnValidation":\#(trainedOnValidation)}"#
            try Data(description.utf8).write(to: run.appendingPathComponent("model.json"))
        }
        let ensemble = try await Self.failure(["ensemble", "pair", "validated", "final", "--runs", folder.path])
        #expect(ensemble.status == 2)
        #expect(ensemble.message.contains("final is a final fit") && ensemble.message.contains("--no-validation"), "\(ensemble.message)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("pair").path))

        let refit = try await Self.failure(["refit", "final", "--runs", folder.path])
        #expect(refit.status == 2)
        #expect(refit.message.contains("only a run made by `albumgenre train` can be refitted"), "\(refit.message)")
    }

    /// An ensemble of runs with different genres fails, names the mismatch, and writes no ensemble.json.
    @Test func anEnsembleOfRunsWithDifferentGenresIsRefused() async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, genres) in [("a", ["jazz", "rock"]), ("b", ["country", "rock"])] {
            let run = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
            try Data("{}".utf8).write(to: run.appendingPathComponent("weights.safetensors"))
            let description =
                #"{"model":"cover-net","classNames":\#(genres),"resolution":64,"input":{"size":64,"mean":[0,0,0],"std":[1,1,1],"resizeShorterSide":73},"epoch":1,"validationMacroF1":0}"#
            try Data(description.utf8).write(to: run.appendingPathComponent("model.json"))
        }
        let failure = try await Self.failure(["ensemble", "pair", "a", "b", "--runs", folder.path, "--no-validation"])
        #expect(failure.status == 1)
        #expect(failure.message.contains("class order"), "\(failure.message)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("pair/ensemble.json").path))
    }
}

/// Every command takes the same output options, and `--json` reaches the console without being passed.
struct OutputModeTests {
    @Test func aFailureUnderJSONKeepsItsStatusAndMessage() async throws {
        let folder = try ErrorMessageTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("none.sqlite").path
        // `openCatalog` is called without the flag and fails under the command's mode.
        let failure = try await ErrorMessageTests.failure(["catalog", "--catalog", missing, "--json", "--verbose"])
        #expect(failure.status == 1 && failure.message.contains("no catalog at"))
        #expect(!Console.mode.json, "the mode is bound for the command's run only")
    }

    @Test(arguments: ["collect", "import", "export", "catalog", "train", "predict", "evaluate", "split"])
    func everyCommandHasTheOutputOptions(_ name: String) throws {
        let command = try #require(HelpTests.allCommands().first { $0.path == "albumgenre \(name)" }?.type)
        let help = AlbumGenreCommand.helpMessage(for: command)
        #expect(help.contains("--json") && help.contains("--quiet") && help.contains("--verbose"), "\(name)")
    }
}
