import Foundation

/// A one-line progress bar with rate and ETA on stderr, drawn only when stderr is a terminal and
/// at most ten times a second.
final class ProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private let enabled: Bool
    private var phase = ""
    private var phaseStart = ContinuousClock.now
    private var lastDraw = ContinuousClock.now - .seconds(1)

    init(enabled: Bool = Console.stderrIsTerminal) { self.enabled = enabled }

    func update(phase: String, completed: Int, total: Int, detail: String) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = ContinuousClock.now
        if phase != self.phase {
            if !self.phase.isEmpty { FileHandle.standardError.write(Data("\n".utf8)) }
            self.phase = phase
            phaseStart = now
        }
        guard now - lastDraw >= .milliseconds(100) || completed >= total else { return }
        lastDraw = now
        let elapsed = max(0.001, Double((now - phaseStart).components.seconds) + Double((now - phaseStart).components.attoseconds) * 1e-18)
        let rate = Double(completed) / elapsed
        let remaining = rate > 0 ? Double(max(0, total - completed)) / rate : 0
        let width = 28
        let fraction = total > 0 ? min(1, Double(completed) / Double(total)) : 0
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let rateText = String(Double(Int(rate * 10)) / 10)
        let line = "\r\u{1B}[2K\(phase) \(bar) \(completed)/\(total) \(rateText)/s ETA \(Self.format(seconds: remaining)) \(detail.prefix(40))"
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        if !phase.isEmpty { FileHandle.standardError.write(Data("\n".utf8)) }
        phase = ""
    }

    static func format(seconds: Double) -> String {
        let total = Int(seconds.rounded())
        if total >= 3600 { return "\(total / 3600)h\(total % 3600 / 60)m" }
        if total >= 60 { return "\(total / 60)m\(total % 60)s" }
        return "\(total)s"
    }
}
