import Catalog
import Foundation
import Logging
import Testing

@testable import DataCollection
@testable import FakeServices

/// Runs collections against an in-process fake server and compares catalogs.
struct CollectionHarness {
    let server: FakeServer
    let directory: URL

    static func start(_ configuration: FakeConfiguration = FakeConfiguration()) async throws -> CollectionHarness {
        let server = FakeServer(configuration: configuration)
        try await server.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("collect-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return CollectionHarness(server: server, directory: directory)
    }

    /// Removes the folder now and stops the server in the background. Tests call this from `defer`,
    /// which cannot await: a removal left to a task could outlive the test process, and did.
    func stop() {
        try? FileManager.default.removeItem(at: directory)
        Task { [server] in await server.stop() }
    }

    static let credentials = SpotifyCredentials(clientID: "fake-client-id", clientSecret: "fake-client-secret")

    func configuration(
        from start: String, to end: String, charts: [String] = defaultChartSlugs,
        sources: [CoverSourceKind] = [.spotify, .coverArtArchive]
    ) -> CollectionConfiguration {
        var configuration = CollectionConfiguration()
        configuration.charts = charts
        configuration.start = ChartDate(iso: start)!
        configuration.end = ChartDate(iso: end)!
        configuration.endpoints = server.endpoints
        configuration.sources = sources
        configuration.polite = false
        return configuration
    }

    func catalogPath(_ name: String) -> String { directory.appendingPathComponent("\(name).sqlite").path }
    func coversPath(_ name: String) -> String { directory.appendingPathComponent("\(name)-covers").path }

    /// One collection run into catalog `name`; progress events are passed to `onProgress`.
    func collect(
        _ name: String, _ configuration: CollectionConfiguration,
        credentials: SpotifyCredentials? = CollectionHarness.credentials,
        onProgress: @escaping @Sendable (CollectionProgress) -> Void = { _ in }
    ) async throws -> CollectionReport {
        let catalog = try Catalog(path: catalogPath(name))
        let fetcher = AsyncHTTPFetcher()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        do {
            let collector = try Collector(
                catalog: catalog, configuration: configuration, fetcher: fetcher, credentials: credentials,
                coversDirectory: coversPath(name), logger: logger, progress: onProgress)
            let report = try await collector.run()
            try await fetcher.shutdown()
            return report
        } catch {
            try? await fetcher.shutdown()
            throw error
        }
    }

    /// File names and SHA-256 of every stored cover (temporary files would show up here too).
    func coverFiles(_ name: String) throws -> [String: String] {
        let path = coversPath(name)
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        var files: [String: String] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: path) {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path).appendingPathComponent(file)))
            files[file] = ImageInspector.sha256Hex(bytes)
        }
        return files
    }

    func dump(_ name: String) throws -> [String: [String]] { try Catalog(path: catalogPath(name)).contentDump() }
}

/// A counter shared with progress callbacks.
final class EventCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
