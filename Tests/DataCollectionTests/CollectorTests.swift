import Catalog
import Foundation
import Testing

@testable import DataCollection
@testable import FakeServices

struct CollectorTests {
    @Test func collectsASeasonOfAllSixChartsWithCoversAndOverlap() async throws {
        let harness = try await CollectionHarness.start()
        defer { harness.stop() }
        let report = try await harness.collect("a", harness.configuration(from: "2008-09-01", to: "2009-02-28"))
        #expect(report.failures == 0)
        let catalog = try Catalog(path: harness.catalogPath("a"))
        let statistics = try catalog.statistics()
        // 26 Saturdays in the range for the five weekly charts; holiday only Oct…mid-Jan.
        let weeks = Dictionary(uniqueKeysWithValues: statistics.charts.map { ($0.slug, $0.weeks) })
        #expect(weeks["rock-albums"] == 26)
        #expect(weeks["rap-albums"] == 26)
        #expect(weeks["holiday-albums"] == 16)  // 2008-10-04 … 2009-01-10
        #expect(statistics.charts.first { $0.slug == "holiday-albums" }?.firstWeek == "2008-10-04")
        #expect(statistics.charts.first { $0.slug == "rap-albums" }?.appearances == 26 * 25)
        #expect(statistics.multiGenreAlbums > 0)
        #expect(statistics.coversFound > 0)
        #expect(statistics.coversPending == 0)
        #expect(statistics.coversFound + statistics.coversMissing == statistics.albums)
        // Every stored cover is a verified image file named by its SHA-256.
        for image in try catalog.labelledImages() {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: image.filePath)))
            #expect(ImageInspector.sha256Hex(bytes) == image.sha256)
            #expect(URL(fileURLWithPath: image.filePath).lastPathComponent.hasPrefix(image.sha256))
            let info = try ImageInspector.inspect(bytes)
            #expect(info.width == image.width && info.height == image.height)
        }
        // Holiday requests off-season round up: far fewer requests than calendar weeks.
        let counts = harness.server.responder.requestCounts()
        #expect((counts["billboard"] ?? 0) < 6 * 26)
    }

    @Test func theStudysImageSizeComesFromSpotifyAndTheRestFromCoverArtArchive() async throws {
        let harness = try await CollectionHarness.start()
        defer { harness.stop() }
        _ = try await harness.collect("a", harness.configuration(from: "2010-03-01", to: "2010-04-30", charts: ["jazz-albums"]))
        let catalog = try Catalog(path: harness.catalogPath("a"))
        let images = try catalog.labelledImages(multiGenre: .includeAsMultiLabel)
        #expect(!images.isEmpty)
        let sizes = Set(images.map { "\($0.width)x\($0.height)" })
        #expect(sizes.isSubset(of: ["300x300", "500x500"]))
        #expect(sizes.contains("300x300"))
    }

    @Test func coverArtArchiveAloneNeedsNoCredentials() async throws {
        let harness = try await CollectionHarness.start()
        defer { harness.stop() }
        let report = try await harness.collect(
            "a", harness.configuration(from: "2012-05-01", to: "2012-05-31", charts: ["country-albums"], sources: [.coverArtArchive]),
            credentials: nil)
        #expect(report.coversFound > 0)
        #expect(report.coversMissing > 0)  // the fake world has albums without art
        let images = try Catalog(path: harness.catalogPath("a")).labelledImages()
        #expect(images.allSatisfy { $0.width == 500 && $0.filePath.hasSuffix(".png") })
    }

    @Test func missingSpotifyCredentialsNameTheVariablesAndTheAlternative() async throws {
        let harness = try await CollectionHarness.start()
        defer { harness.stop() }
        await #expect(throws: CollectorError.missingSpotifyCredentials) {
            _ = try await harness.collect("a", harness.configuration(from: "2012-05-01", to: "2012-05-31"), credentials: nil)
        }
        let message = CollectorError.missingSpotifyCredentials.description
        #expect(message.contains("SPOTIFY_CLIENT_ID") && message.contains("SPOTIFY_CLIENT_SECRET") && message.contains("coverartarchive"))
        #expect(try harness.dump("a").values.allSatisfy(\.isEmpty))
    }

    @Test func wrongSpotifyCredentialsStopTheRunWithoutLeakingThem() async throws {
        let harness = try await CollectionHarness.start()
        defer { harness.stop() }
        let wrong = SpotifyCredentials(clientID: "someone", clientSecret: "s3cr3t-value")
        do {
            _ = try await harness.collect(
                "a", harness.configuration(from: "2012-05-01", to: "2012-05-20", charts: ["jazz-albums"]),
                credentials: wrong)
            Issue.record("expected an authentication error")
        } catch let error as CollectorError {
            guard case .spotifyAuthentication = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(!error.description.contains("s3cr3t-value"))
        }
        #expect(!"\(wrong)".contains("s3cr3t-value"))
    }

    @Test func withoutNetworkTheRunFailsAndLeavesTheCatalogAsItWas() async throws {
        let harness = try await CollectionHarness.start()
        defer { harness.stop() }
        _ = try await harness.collect("a", harness.configuration(from: "2012-05-01", to: "2012-05-20", charts: ["jazz-albums"]))
        let before = try harness.dump("a")
        var offline = harness.configuration(from: "2012-05-01", to: "2012-08-20", charts: ["jazz-albums"])
        var endpoints = ServiceEndpoints()
        for keyPath in [\ServiceEndpoints.billboard, \.spotifyAccounts, \.spotifyAPI, \.musicBrainz, \.coverArtArchive] {
            endpoints[keyPath: keyPath] = "http://127.0.0.1:9"  // discard port: connection refused
        }
        offline.endpoints = endpoints
        await #expect {
            _ = try await harness.collect("a", offline)
        } throws: { error in
            guard case .network = error as? CollectorError else { return false }
            return true
        }
        #expect(try harness.dump("a") == before)
    }

    @Test func prelaunchDatesThatAnswer404AreRecordedAsAbsent() async throws {
        var configuration = FakeConfiguration()
        configuration.prelaunch = .notFound
        let harness = try await CollectionHarness.start(configuration)
        defer { harness.stop() }
        let report = try await harness.collect(
            "a",
            harness.configuration(
                from: "2004-10-01", to: "2004-12-31", charts: ["rap-albums"], sources: [.coverArtArchive]))
        #expect(report.chartPagesAbsent == 6)  // Oct 1 … Nov 5; Nov 12 rounds up to the 2004-11-13 launch
        let statistics = try Catalog(path: harness.catalogPath("a")).statistics()
        #expect(statistics.charts.first?.firstWeek == "2004-11-13")
        #expect(statistics.charts.first?.weeks == 7)  // 2004-11-13 … 2004-12-25
        let again = try await harness.collect(
            "a",
            harness.configuration(
                from: "2004-10-01", to: "2004-12-31", charts: ["rap-albums"], sources: [.coverArtArchive]))
        #expect(again.chartRequests == 0)  // every request's outcome is already known
    }

    @Test func aMisspelledChartStopsAfterAFewRequests() async throws {
        let harness = try await CollectionHarness.start()
        defer { harness.stop() }
        await #expect(throws: CollectorError.unknownChart("top-rok-albums")) {
            _ = try await harness.collect("a", harness.configuration(from: "2004-01-01", to: "2025-12-31", charts: ["top-rok-albums"]))
        }
        #expect((harness.server.responder.requestCounts()["billboard"] ?? 0) <= 4)
    }

    @Test func strippedPagesAreFailuresThatTheNextRunRetries() async throws {
        var configuration = FakeConfiguration()
        configuration.malformedEvery = 4
        let harness = try await CollectionHarness.start(configuration)
        defer { harness.stop() }
        let range = harness.configuration(from: "2015-01-01", to: "2015-06-30", charts: ["latin-albums"], sources: [.coverArtArchive])
        let first = try await harness.collect("a", range)
        #expect(first.chartFailures > 0)
        let failures = try Catalog(path: harness.catalogPath("a")).failures()
        #expect(failures.count == first.chartFailures)
        #expect(failures.allSatisfy { $0.message.contains("no chart rows") })
        let second = try await harness.collect("a", range)
        #expect(second.failures == 0)
        #expect(try Catalog(path: harness.catalogPath("a")).failures().isEmpty)
        #expect(try Catalog(path: harness.catalogPath("a")).statistics().charts.first?.weeks == 26)
    }

    @Test func retriesRateLimitsServerErrorsExpiredTokensAndStalls() async throws {
        var configuration = FakeConfiguration()
        configuration.rateLimitEvery = 5
        configuration.serverErrorEvery = 7
        configuration.tokenExpiryEvery = 6
        configuration.stallEvery = 150
        configuration.stallSeconds = 5
        let harness = try await CollectionHarness.start(configuration)
        defer { harness.stop() }
        var range = harness.configuration(from: "2016-01-01", to: "2016-02-29", charts: ["rock-albums", "rap-albums"])
        range.requestTimeout = .seconds(2)  // shorter than the stalls
        let report = try await harness.collect("a", range)
        #expect(report.failures == 0)
        let statistics = try Catalog(path: harness.catalogPath("a")).statistics()
        #expect(statistics.charts.map(\.weeks) == [9, 9])
        #expect(statistics.coversPending == 0)
    }
}
