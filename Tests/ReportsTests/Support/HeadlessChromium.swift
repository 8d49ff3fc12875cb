import Foundation

/// Runs the Debian `chromium` package headless against a local file, with a time limit.
///
/// Console messages: with `--enable-logging=stderr --v=0` Chromium logs every page console message
/// (including uncaught exceptions and CSP violations) as a line containing `:CONSOLE`; reports
/// contain no scripts, so any such line is a failure.
struct HeadlessChromium {
    let executable: URL

    /// The installed browser, or `nil` (tests then skip).
    static let installed: HeadlessChromium? = {
        for path in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        where FileManager.default.isExecutableFile(atPath: path) {
            return HeadlessChromium(executable: URL(fileURLWithPath: path))
        }
        return nil
    }()

    static var isInstalled: Bool { installed != nil }

    struct Run {
        var exitCode: Int32
        var timedOut: Bool
        var stdout: String
        var stderr: String
        /// Lines reporting page console messages.
        var consoleLines: [String] {
            stderr.split(separator: "\n").map(String.init).filter { $0.contains(":CONSOLE") }
        }
    }

    /// Loads `page` and dumps its DOM and/or saves a screenshot of `width × height` pixels.
    func run(page: URL, screenshot: URL? = nil, dumpDOM: Bool = false, width: Int = 1000, height: Int = 1400,
             timeout: TimeInterval = 90) throws -> Run {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-profile-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        var arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--user-data-dir=\(profile.path)", "--enable-logging=stderr", "--v=0", "--hide-scrollbars",
            "--window-size=\(width),\(height)",
        ]
        if let screenshot { arguments.append("--screenshot=\(screenshot.path)") }
        if dumpDOM { arguments.append("--dump-dom") }
        arguments.append(page.absoluteString)

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString).out")
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        // Files rather than pipes: a chatty browser cannot block on a full pipe buffer.
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
        }
        let timedOut = process.isRunning
        if timedOut {
            // Kill only the process we started (and it takes its renderer children with it).
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        return Run(
            exitCode: process.terminationStatus, timedOut: timedOut,
            stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }
}

/// Minimal PNG inspection for screenshot checks, without decoding pixels.
enum PNGInfo {
    /// Width and height from the IHDR chunk, or `nil` if `data` is not a PNG.
    static func size(of data: Data) -> (width: Int, height: Int)? {
        let bytes = [UInt8](data.prefix(24))
        guard bytes.count == 24, bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
              Array(bytes[12..<16]) == Array("IHDR".utf8) else { return nil }
        func be32(_ offset: Int) -> Int {
            Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
        }
        return (be32(16), be32(20))
    }
}
