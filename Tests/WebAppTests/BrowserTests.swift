import Foundation
import HummingbirdTesting
import TestSupport
import Testing

@testable import WebApp

/// The real page in headless Chromium against the app on a loopback socket: `/#example` makes the
/// page fetch the example cover and send it through its own `upload()`, exactly as a dropped file.
@Suite(.enabled(if: HeadlessChromium.isInstalled, "chromium is not installed (apt-get install chromium)"))
struct BrowserTests {
    @Test func pageUploadsTheExampleCoverAndShowsTheGenre() async throws {
        let chromium = try #require(HeadlessChromium.installed)
        try await TestApp.make().test(.live) { client in
            let port = try #require(client.port)
            let run = try await chromium.run("http://127.0.0.1:\(port)/#example", dumpDOM: true, virtualTime: 10_000)
            #expect(!run.timedOut, "chromium timed out")
            let verdict = try #require(
                run.stdout.firstMatch(of: /<p id="verdict">Looks like ([a-z-]+)<\/p>/)?.1,
                "no verdict in the DOM; stderr: \(run.stderr.suffix(2000))")
            #expect(TestModel.genres.contains(String(verdict)))
            // The same cover through the API directly gives the same genre.
            let direct = try TestApp.directPrediction(of: ExampleCover.jpeg)
            #expect(String(verdict) == direct.top.genre)
            #expect(run.stdout.contains("data:image/png;base64,"), "the Grad-CAM overlay is missing")
            #expect(run.stdout.contains("Model: cover-net on country, electronic, hiphop, pop, rock"))
        }
    }

    /// An ensemble's page names it and gives its members' validated figures, not one member's.
    @Test func pageDescribesAnEnsemble() async throws {
        let chromium = try #require(HeadlessChromium.installed)
        let (predictor, root) = try TestModel.ensemblePredictor()
        defer { try? FileManager.default.removeItem(at: root) }
        let app = buildApplication(configuration: WebConfiguration(host: "127.0.0.1", port: 0), predictor: predictor)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let run = try await chromium.run("http://127.0.0.1:\(port)/", dumpDOM: true, virtualTime: 3000)
            #expect(!run.timedOut)
            #expect(
                run.stdout.contains(
                    "Model: ensemble(cover-net + cover-net) on country, electronic, hiphop, pop, rock "
                        + "(ensemble of 2 runs; members' validated macro-F1 0.25–0.25)"), "stderr: \(run.stderr.suffix(2000))")
        }
    }

    /// Negative control: without the fragment the page waits for a file and shows no verdict, so the
    /// verdict above comes from the upload, not from the page's initial markup.
    @Test func pageWithoutFragmentShowsNoVerdict() async throws {
        let chromium = try #require(HeadlessChromium.installed)
        try await TestApp.make().test(.live) { client in
            let port = try #require(client.port)
            let run = try await chromium.run("http://127.0.0.1:\(port)/", dumpDOM: true, virtualTime: 3000)
            #expect(!run.timedOut)
            #expect(run.stdout.contains("<p id=\"verdict\"></p>"))
            #expect(run.stdout.firstMatch(of: /<p id="verdict">Looks like/) == nil)
            #expect(run.stdout.contains("Model: cover-net"), "the page's script did run")
        }
    }
}
