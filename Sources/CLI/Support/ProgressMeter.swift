import Foundation

/// A one-line progress bar on stderr with rate and ETA, redrawn at most 10 times a second; when
/// stderr is not a terminal (a log file, CI) it logs a line every 10 % instead. Safe to update from
/// several threads (collect's concurrent downloads).
final class ProgressMeter: @unchecked Sendable {
    let label: String
    let unit: String
    private let quiet: Bool
    private let interactive: Bool
    private let lock = NSLock()
    private var total: Int
    private let started = Date()
    private var lastDraw = Date.distantPast
    private var lastDecile = -1
    /// A bar is on screen without its newline yet.
    private var lineOpen = false
    private var drewFinished = false
    /// Work that was already done when the meter started (cached features, a resumed run): it is
    /// reported in the count but left out of the rate, which would otherwise be absurd.
    private var alreadyDone: Int?

    init(_ label: String, total: Int, unit: String = "images", quiet: Bool = false, interactive: Bool = Console.isInteractive) {
        self.label = label
        self.total = max(total, 1)
        self.unit = unit
        self.quiet = quiet
        self.interactive = interactive
    }

    /// `done` of the total so far; `total` replaces the total when the work turns out larger or
    /// smaller than announced; `suffix` (at most 40 characters shown) follows the ETA.
    func update(_ done: Int, total newTotal: Int? = nil, suffix: String = "") {
        guard !quiet else { return }
        lock.withLock {
            if let newTotal { total = max(newTotal, 1) }
            let now = Date()
            let elapsed = now.timeIntervalSince(started)
            if alreadyDone == nil { alreadyDone = elapsed < 0.05 ? done : 0 }
            let rate = elapsed > 0 ? Double(done - (alreadyDone ?? 0)) / elapsed : 0
            let eta = rate > 0 ? Double(max(0, total - done)) / rate : 0
            let fraction = min(1, Double(done) / Double(total))
            let figures = "\(done)/\(total) \(String(format: "%.1f", rate)) \(unit)/s ETA \(formatDuration(eta)) \(suffix.prefix(40))"
            if interactive {
                // The finished bar is drawn once (callers may report the last item more than once).
                guard !drewFinished, now.timeIntervalSince(lastDraw) > 0.1 || done >= total else { return }
                lastDraw = now
                drewFinished = done >= total
                let width = 28
                let filled = Int(fraction * Double(width))
                let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
                // ESC[2K clears the line first, so a shorter suffix leaves no stale characters.
                FileHandle.standardError.write(Data("\r\u{1B}[2K\(label) \(bar) \(figures)".utf8))
                lineOpen = done < total
                if !lineOpen { FileHandle.standardError.write(Data("\n".utf8)) }
            } else {
                let decile = Int(fraction * 10)
                guard decile != lastDecile else { return }
                lastDecile = decile
                Console.info(
                    "\(label): \(done)/\(total) (\(Int(fraction * 100)) %), \(String(format: "%.1f", rate)) \(unit)/s, ETA \(formatDuration(eta)) \(suffix.prefix(40))"
                )
            }
        }
    }

    /// Ends a bar left unfinished (an error, or a phase that ended early) so the next line starts clean.
    func finish() {
        lock.withLock {
            if lineOpen { FileHandle.standardError.write(Data("\n".utf8)) }
            lineOpen = false
        }
    }
}

/// Progress of a job that runs in phases (collect: chart pages, then covers): one `ProgressMeter`
/// per phase, a new one whenever the phase changes.
final class PhasedProgress: @unchecked Sendable {
    /// The unit counted in each phase (e.g. "charts": "pages"); "items" for others.
    private let units: [String: String]
    private let quiet: Bool
    private let lock = NSLock()
    private var current: (phase: String, meter: ProgressMeter)?

    init(units: [String: String] = [:], quiet: Bool = false) {
        self.units = units
        self.quiet = quiet
    }

    func update(phase: String, completed: Int, total: Int, detail: String) {
        let meter: ProgressMeter = lock.withLock {
            if let current, current.phase == phase { return current.meter }
            current?.meter.finish()
            let meter = ProgressMeter(phase, total: total, unit: units[phase] ?? "items", quiet: quiet)
            current = (phase, meter)
            return meter
        }
        meter.update(completed, total: total, suffix: detail)
    }

    func finish() { lock.withLock { current?.meter.finish() } }
}
