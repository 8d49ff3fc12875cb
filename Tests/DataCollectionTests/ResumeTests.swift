import Catalog
import Foundation
import Testing

@testable import DataCollection
@testable import FakeServices

/// Holds the running collection task so a progress callback can cancel it.
final class TaskBox: @unchecked Sendable {
    private let lock = NSLock()
    private var task: Task<CollectionReport, any Error>?
    func set(_ task: Task<CollectionReport, any Error>) {
        lock.lock()
        self.task = task
        lock.unlock()
    }
    func cancel() {
        lock.lock()
        task?.cancel()
        lock.unlock()
    }
}

struct ResumeTests {
    /// Faults on the first attempt of some requests: 429 with Retry-After and 5xx.
    static func faultyServer() -> FakeConfiguration {
        var configuration = FakeConfiguration()
        configuration.rateLimitEvery = 9
        configuration.serverErrorEvery = 11
        configuration.tokenExpiryEvery = 13
        return configuration
    }

    static func withoutSettings(_ dump: [String: [String]]) -> [String: [String]] {
        dump.filter { $0.key != "meta" }  // the covers directory path differs between the two catalogs
    }

    /// Cancels runs at seeded moments (chart or cover phase), resumes each until done, and checks
    /// that the catalog and the cover files equal those of one uninterrupted run.
    @Test func interruptedRunsResumeToTheSameCatalog() async throws {
        let harness = try await CollectionHarness.start(Self.faultyServer())
        defer { harness.stop() }
        let range = harness.configuration(from: "2008-09-01", to: "2009-01-31", charts: ["rap-albums", "holiday-albums", "country-albums"])
        let reference = try await harness.collect("reference", range)
        #expect(reference.failures == 0)
        let referenceDump = Self.withoutSettings(try harness.dump("reference"))
        let referenceFiles = try harness.coverFiles("reference")
        #expect(!referenceFiles.isEmpty)

        var generator = SplitMix(seed: 20_040_101)
        let eventCount = 60 + reference.coversFound + reference.coversMissing  // chart events + cover events
        let moments = [2, 45] + (0..<2).map { _ in 80 + Int(generator.next() % UInt64(eventCount - 80)) }
        for (run, moment) in moments.enumerated() {
            let name = "interrupted-\(run)"
            let counter = EventCounter()
            let box = TaskBox()
            let task = Task {
                try await harness.collect(
                    name, range,
                    onProgress: { _ in
                        if counter.increment() == moment { box.cancel() }
                    })
            }
            box.set(task)
            let outcome = await task.result
            if case .success = outcome {
                Issue.record("run \(run) was not interrupted at event \(moment)")
            }
            let resumed = try await harness.collect(name, range)
            #expect(resumed.failures == 0)
            let dump = Self.withoutSettings(try harness.dump(name))
            #expect(dump == referenceDump, "catalog after interruption at event \(moment)")
            for table in referenceDump.keys.sorted() where dump[table] != referenceDump[table] {
                let missing = Set(referenceDump[table]!).subtracting(dump[table] ?? [])
                let extra = Set(dump[table] ?? []).subtracting(referenceDump[table]!)
                Issue.record(
                    "\(table): \(missing.count) rows missing, e.g. \(missing.sorted().prefix(2)); \(extra.count) extra, e.g. \(extra.sorted().prefix(2))"
                )
            }
            #expect(try harness.coverFiles(name) == referenceFiles, "cover files after interruption at event \(moment)")
        }
    }
}

/// A small seeded generator (SplitMix64) so the interruption moments are reproducible.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

struct FullCollectionTests {
    /// The whole study period, 2004 to 2025, for the six charts with covers, as `albumgenre
    /// collect` runs it by default (minus politeness) against the fake services.
    @Test func collectsTheSixChartsFrom2004To2025() async throws {
        let harness = try await CollectionHarness.start()
        defer { harness.stop() }
        let report = try await harness.collect("full", harness.configuration(from: "2004-01-01", to: "2025-12-31"))
        #expect(report.failures == 0)
        let statistics = try Catalog(path: harness.catalogPath("full")).statistics()
        let weeks = Dictionary(uniqueKeysWithValues: statistics.charts.map { ($0.slug, $0.weeks) })
        #expect(weeks["rock-albums"] == 1148)  // Saturdays 2004-01-03 … 2025-12-27
        #expect(weeks["rap-albums"] == 1103)  // from 2004-11-13
        #expect((weeks["holiday-albums"] ?? 0) > 300 && (weeks["holiday-albums"] ?? 0) < 400)
        #expect(statistics.coversPending == 0)
        #expect(statistics.multiGenreAlbums > 0)
        let holiday = try #require(statistics.genres.first { $0.genre == "holiday" })
        #expect(holiday.multiGenreAlbums > 0)
        print(
            "full collection: \(report.chartRequests) chart pages, \(statistics.albums) albums, "
                + "\(statistics.coversFound) covers in \(Int(report.seconds)) s")
    }
}
