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

/// The page's empty state laid out in Chromium at phone and desktop widths: no result section (and
/// so no empty images) before an upload, the drop zone clear of the lines above and below it, no
/// sideways scrolling. (Before the fix the result grid showed two broken images, and the drop zone,
/// an inline label, overlapped the lead line and the example link.)
@Suite(.enabled(if: HeadlessChromium.isInstalled, "chromium is not installed (apt-get install chromium)"))
struct PageLayoutTests {
    @Test(arguments: [390, 1100])
    func theEmptyPageHasNoResultAndNothingOverlaps(width: Int) async throws {
        let chromium = try #require(HeadlessChromium.installed)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("page-layout-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // The page as served, with a probe that writes the layout into the DOM once it is laid out.
        let probe = """
            <script>
            window.addEventListener("load", function () {
              function box(e) { const r = e.getBoundingClientRect(); return [r.top, r.bottom, r.left, r.right]; }
              const result = document.getElementById("result");
              const drop = box(document.getElementById("drop"));
              const lead = box(document.querySelector("p.lead"));
              const example = box(document.getElementById("example"));
              const shownImages = Array.from(document.images).filter(function (i) { return i.getClientRects().length > 0; }).length;
              const pre = document.createElement("pre");
              pre.id = "layout";
              pre.textContent = JSON.stringify({ resultDisplay: getComputedStyle(result).display, shownImages: shownImages,
                drop: drop, lead: lead, example: example, scrollWidth: document.documentElement.scrollWidth, viewport: window.innerWidth });
              document.body.appendChild(pre);
            });
            </script>
            """
        let page = folder.appendingPathComponent("index.html")
        try PredictionPage.html.replacingOccurrences(of: "</body>", with: probe + "</body>").write(to: page, atomically: true, encoding: .utf8)
        let run = try await chromium.run(page.absoluteString, dumpDOM: true, virtualTime: 2000, width: width, height: 900)
        #expect(!run.timedOut)
        let json = try #require(run.stdout.firstMatch(of: /<pre id="layout">(.*?)<\/pre>/)?.1, "no layout probe; stderr: \(run.stderr.suffix(1500))")
        struct Layout: Decodable {
            var resultDisplay: String
            var shownImages: Int
            var drop: [Double]
            var lead: [Double]
            var example: [Double]
            var scrollWidth: Double
            var viewport: Double
        }
        let layout = try JSONDecoder().decode(Layout.self, from: Data(String(json).replacingOccurrences(of: "&quot;", with: "\"").utf8))
        #expect(layout.resultDisplay == "none" && layout.shownImages == 0, "\(width) px: the result section shows before any upload")
        #expect(layout.lead[1] <= layout.drop[0], "\(width) px: the drop zone overlaps the line above it: \(layout)")
        #expect(layout.drop[1] <= layout.example[0], "\(width) px: the drop zone overlaps the example link: \(layout)")
        // Headless Chromium's window is at least 500 px wide, so the phone case is laid out at 500 px.
        #expect(layout.viewport <= Double(max(width, 500)) && layout.scrollWidth <= layout.viewport, "\(width) px: the page scrolls sideways")
    }
}
