import ArgumentParser
import Catalog
import Foundation
import Logging

/// Exit codes scripts can rely on.
enum ExitStatus {
    static let success: Int32 = 0
    /// The command failed (network, service, file or catalog error).
    static let failure: Int32 = 1
    /// Bad usage or configuration: invalid options, missing credentials.
    static let usage: Int32 = 2
    /// The command finished but some items failed; running it again retries them.
    static let partial: Int32 = 3
}

/// An error already reported to the user, carrying the exit status.
struct CommandFailure: Error {
    var status: Int32
    /// What was reported on stderr (empty when the command printed its own output).
    var message = ""
}

extension AlbumGenreCommand {
    /// Parses `arguments` and runs the command with its output mode (`--json`, `--quiet`,
    /// `--verbose`) in `Console.mode`: what `main` does, and what tests call.
    static func execute(_ arguments: [String]) async throws {
        var command = try parseAsRoot(arguments)
        let mode =
            Mirror(reflecting: command).children.lazy.compactMap { ($0.value as? OptionGroup<OutputOptions>)?.wrappedValue.mode }.first
            ?? Console.Mode()
        try await Console.$mode.withValue(mode) {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        }
    }

    /// Like ArgumentParser's `main`, but with exit status 2 for usage errors (instead of 64) and
    /// our own statuses for reported failures.
    static func main() async {
        do {
            try await execute(CommandLine.arguments.dropFirst().map { $0 })
        } catch let failure as CommandFailure {
            Foundation.exit(failure.status)
        } catch let validation as ValidationError {
            // Raised by a command's run() after parsing: the root usage ArgumentParser would add
            // ("albumgenre <subcommand>") says nothing useful here, the message does.
            FileHandle.standardError.write(Data("Error: \(validation.message)\n".utf8))
            Foundation.exit(ExitStatus.usage)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)
            }
            let message = fullMessage(for: error)
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            Foundation.exit(code == .validationFailure ? ExitStatus.usage : code.rawValue)
        }
    }
}

/// Fails with the command to run when the catalog has no train/val/test split yet.
func requireSplits(_ catalog: Catalog, path: String, json: Bool = Console.mode.json) throws {
    guard try catalog.splits().isEmpty else { return }
    throw Console.fail(
        "\(path) has no train/val/test split yet: run `albumgenre split --catalog \(path)` first",
        status: ExitStatus.usage, json: json)
}

/// Opens a catalog for a command, reporting failures as `CommandFailure`.
func openCatalog(_ path: String, mustExist: Bool, json: Bool = Console.mode.json) throws -> Catalog {
    if mustExist && !FileManager.default.fileExists(atPath: path) {
        throw Console.fail(
            "no catalog at \(path): pass --catalog PATH, or create one with `albumgenre import DIR --catalog \(path)` (or `albumgenre collect`)",
            status: ExitStatus.failure, json: json)
    }
    do {
        return try Catalog(path: path)
    } catch {
        throw Console.fail("\(error)", status: ExitStatus.failure, json: json)
    }
}
