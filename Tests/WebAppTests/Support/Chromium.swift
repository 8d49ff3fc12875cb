import Foundation

/// The Debian `chromium` package, run headless with a time limit (tests skip when it is missing).
struct Chromium {
    let executable: URL

    static let installed: Chromium? = {
        for path in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        where FileManager.default.isExecutableFile(atPath: path) {
            return Chromium(executable: URL(fileURLWithPath: path))
        }
        return nil
    }()

    static var isInstalled: Bool { installed != nil }

    struct Run: Sendable {
        var timedOut: Bool
        var dom: String
        var stderr: String
    }

    /// Loads `url`, lets the page's scripts run for up to `virtualTime` ms of virtual time (which
    /// waits for pending network requests) and returns the serialised DOM. Waits off the
    /// cooperative thread pool, so an in-process server keeps answering the browser.
    func dumpDOM(of url: String, virtualTime: Int = 10_000, timeout: TimeInterval = 90) async throws -> Run {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("webapp-chromium-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("dom.html"), err = scratch.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)

        let process = Process()
        process.executableURL = executable
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--user-data-dir=\(scratch.appendingPathComponent("profile").path)", "--enable-logging=stderr", "--v=0",
            "--virtual-time-budget=\(virtualTime)", "--dump-dom", url,
        ]
        // Files rather than pipes: a chatty browser cannot block on a full pipe buffer.
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        let finished = AsyncStream<Void> { continuation in
            process.terminationHandler = { _ in continuation.yield(); continuation.finish() }
        }
        try process.run()
        let timedOut = await withTaskGroup(of: Bool.self) { group in
            group.addTask { for await _ in finished {}; return false }
            group.addTask {
                try? await Task.sleep(for: .seconds(timeout))
                return true
            }
            let first = await group.next() ?? true
            group.cancelAll()
            return first
        }
        if timedOut && process.isRunning {
            kill(process.processIdentifier, SIGKILL)  // only the process this test started
            process.waitUntilExit()
        }
        return Run(
            timedOut: timedOut, dom: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }
}
