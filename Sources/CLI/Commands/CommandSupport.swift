import ArgumentParser
import Catalog
import Foundation
import Logging

/// Options every catalog command shares.
struct CatalogOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("SQLite catalog to use.", valueName: "path"))
    var catalog: String = "albumgenre.sqlite"

    @Flag(name: .long, help: "Print one JSON document on stdout (logs stay on stderr).")
    var json = false

    @Flag(name: .long, help: "Log debug details on stderr.")
    var verbose = false
}

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
    /// Like ArgumentParser's `main`, but with exit status 2 for usage errors (instead of 64) and
    /// our own statuses for reported failures.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
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

enum Console {
    nonisolated(unsafe) private static var bootstrapped = false

    /// Sends logs to stderr at the chosen level.
    static func makeLogger(verbose: Bool) -> Logger {
        if !bootstrapped {
            LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
            bootstrapped = true
        }
        var logger = Logger(label: "albumgenre")
        logger.logLevel = verbose ? .debug : .info
        return logger
    }

    static func error(_ message: String) {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    }

    /// Reports a failure on stderr (and as `{"error": …, "exitStatus": …}` on stdout with --json)
    /// and returns the error that ends the command with `status`.
    static func fail(_ message: String, status: Int32, json: Bool) -> CommandFailure {
        error(message)
        if json {
            struct Failure: Encodable { var error: String; var exitStatus: Int32 }
            try? printJSON(Failure(error: message, exitStatus: status))
        }
        return CommandFailure(status: status, message: message)
    }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data("\(message)\n".utf8))
    }

    /// Prints a value as one pretty JSON document on stdout.
    static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }

    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}

/// Fails with the command to run when the catalog has no train/val/test split yet.
func requireSplits(_ catalog: Catalog, path: String, json: Bool = false) throws {
    guard try catalog.splits().isEmpty else { return }
    throw Console.fail("\(path) has no train/val/test split yet: run `albumgenre split --catalog \(path)` first",
                       status: ExitStatus.usage, json: json)
}

/// Opens a catalog for a command, reporting failures as `CommandFailure`.
func openCatalog(_ path: String, mustExist: Bool, json: Bool = false) throws -> Catalog {
    if mustExist && !FileManager.default.fileExists(atPath: path) {
        throw Console.fail("no catalog at \(path): pass --catalog PATH, or create one with `albumgenre import DIR --catalog \(path)` (or `albumgenre collect`)",
                           status: ExitStatus.failure, json: json)
    }
    do {
        return try Catalog(path: path)
    } catch {
        throw Console.fail("\(error)", status: ExitStatus.failure, json: json)
    }
}
