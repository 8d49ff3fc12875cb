import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Console helpers used by the training-side commands (the rest of `Console` is in
/// Commands/CommandSupport.swift): results on stdout, everything else on stderr, so
/// `albumgenre … --json | jq` always works.
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
