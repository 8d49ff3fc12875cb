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

/// A one-line progress bar on stderr with rate and ETA, redrawn at most 10 times a second; when
/// stderr is not a terminal it logs a line every 10 %.
final class ProgressMeter {
    let label: String
    let total: Int
    let unit: String
    private let quiet: Bool
    private let started = Date()
    private var lastDraw = Date.distantPast
    private var lastDecile = -1

    init(_ label: String, total: Int, unit: String = "images", quiet: Bool = false) {
        self.label = label
        self.total = max(total, 1)
        self.unit = unit
        self.quiet = quiet
    }

    /// Work that was already done when the meter started (cached features, a resumed run): it is
    /// reported in the count but left out of the rate, which would otherwise be absurd.
    private var alreadyDone: Int?

    func update(_ done: Int, suffix: String = "") {
        guard !quiet else { return }
        let now = Date()
        let elapsed = now.timeIntervalSince(started)
        if alreadyDone == nil { alreadyDone = elapsed < 0.05 ? done : 0 }
        let rate = elapsed > 0 ? Double(done - (alreadyDone ?? 0)) / elapsed : 0
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let fraction = min(1, Double(done) / Double(total))
        if Console.isInteractive {
            guard now.timeIntervalSince(lastDraw) > 0.1 || done >= total else { return }
            lastDraw = now
            let width = 28
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            let line = "\r\(label) \(bar) \(done)/\(total) \(String(format: "%.1f", rate)) \(unit)/s ETA \(formatDuration(eta)) \(suffix)"
            FileHandle.standardError.write(Data(line.utf8))
            if done >= total { FileHandle.standardError.write(Data("\n".utf8)) }
        } else {
            let decile = Int(fraction * 10)
            guard decile != lastDecile else { return }
            lastDecile = decile
            Console.info("\(label): \(done)/\(total) (\(Int(fraction * 100)) %), \(String(format: "%.1f", rate)) \(unit)/s, ETA \(formatDuration(eta)) \(suffix)")
        }
    }
}

func formatDuration(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "?" }
    let s = Int(seconds.rounded())
    return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
}
