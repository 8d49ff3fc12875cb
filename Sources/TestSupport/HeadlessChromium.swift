import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The Debian `chromium` package, run headless against a page with a time limit (the report tests
/// and the web app's page tests; they skip when it is missing).
///
/// Console messages: with `--enable-logging=stderr --v=0` Chromium logs every page console message
/// (uncaught exceptions, CSP violations) as a stderr line containing `:CONSOLE`.
public struct HeadlessChromium: Sendable {
    public let executable: URL

    /// The installed browser, or nil.
    public static let installed: HeadlessChromium? = {
        for path in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        where FileManager.default.isExecutableFile(atPath: path) {
            return HeadlessChromium(executable: URL(fileURLWithPath: path))
        }
        return nil
    }()

    public static var isInstalled: Bool { installed != nil }

    public struct Run: Sendable {
        public var exitCode: Int32
        public var timedOut: Bool
        /// The serialised DOM with `dumpDOM`.
        public var stdout: String
        public var stderr: String
        /// Lines reporting page console messages.
        public var consoleLines: [String] {
            stderr.split(separator: "\n").map(String.init).filter { $0.contains(":CONSOLE") }
        }
    }

    /// Loads `page` (a file or http URL) in a `width × height` window and saves a screenshot and/or
    /// dumps the DOM. `virtualTime` (ms of virtual time, which waits for pending network requests)
    /// lets the page's scripts run first. Waits off the cooperative thread pool, so a server in the
    /// same process keeps answering the browser; after `timeout` seconds the browser is killed.
    public func run(
        _ page: String, screenshot: URL? = nil, dumpDOM: Bool = false, virtualTime: Int? = nil, width: Int = 1000, height: Int = 1400,
        timeout: TimeInterval = 90
    ) async throws -> Run {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("stdout.txt"), err = scratch.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)

        var arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--user-data-dir=\(scratch.appendingPathComponent("profile").path)", "--enable-logging=stderr", "--v=0",
            "--hide-scrollbars", "--window-size=\(width),\(height)",
        ]
        if let virtualTime { arguments.append("--virtual-time-budget=\(virtualTime)") }
        if let screenshot { arguments.append("--screenshot=\(screenshot.path)") }
        if dumpDOM { arguments.append("--dump-dom") }
        arguments.append(page)

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        // Files rather than pipes: a chatty browser cannot block on a full pipe buffer.
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        let finished = AsyncStream<Void> { continuation in
            process.terminationHandler = { _ in
                continuation.yield()
                continuation.finish()
            }
        }
        try process.run()
        let timedOut = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await _ in finished {}
                return false
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(timeout))
                return true
            }
            let first = await group.next() ?? true
            group.cancelAll()
            return first
        }
        if timedOut && process.isRunning {
            kill(process.processIdentifier, SIGKILL)  // only the process started here; its renderers go with it
        }
        process.waitUntilExit()
        return Run(
            exitCode: process.terminationStatus, timedOut: timedOut, stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    /// `run(_:)` on a local file.
    public func run(page: URL, screenshot: URL? = nil, dumpDOM: Bool = false, timeout: TimeInterval = 90) async throws -> Run {
        try await run(page.absoluteString, screenshot: screenshot, dumpDOM: dumpDOM, timeout: timeout)
    }
}
