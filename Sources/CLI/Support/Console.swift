import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// The one console of every command: results on stdout (one JSON document with `--json`), messages,
/// warnings, progress and logs on stderr, in the running command's `mode`.
enum Console {
    /// How the running command talks: one JSON document on stdout, no progress or information,
    /// debug logs. Bound by `AlbumGenreCommand.execute` for the command's whole run.
    struct Mode: Sendable {
        var json = false
        var quiet = false
        var verbose = false
    }

    @TaskLocal static var mode = Mode()

    nonisolated(unsafe) private static var bootstrapped = false

    /// Sends logs to stderr at the chosen level (debug with `--verbose`).
    static func makeLogger(verbose: Bool = mode.verbose) -> Logger {
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
    static func fail(_ message: String, status: Int32, json: Bool = mode.json) -> CommandFailure {
        error(message)
        if json {
            struct Failure: Encodable {
                var error: String
                var exitStatus: Int32
            }
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

/// Results on stdout, everything else on stderr, so `albumgenre … --json | jq` always works.
extension Console {
    /// Whether stderr is a terminal (progress bars are drawn only then).
    static var isInteractive: Bool { stderrIsTerminal }

    static func info(_ message: String, quiet: Bool = false) {
        guard !quiet else { return }
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    static func warning(_ message: String) {
        FileHandle.standardError.write(Data(("warning: " + message + "\n").utf8))
    }

    static func print(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}

func formatDuration(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "?" }
    let s = Int(seconds.rounded())
    return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
}
