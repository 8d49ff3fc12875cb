import Foundation
import TestSupport
import Testing

@testable import Reports

/// Renders each report in headless Chromium: it must load without console messages (uncaught
/// errors, CSP violations) and its screenshot must not be blank.
///
/// Blankness criterion: a PNG screenshot of an empty page of the same window size compresses to a
/// few kB (about 7 kB at 1000 × 1400 with Chromium 156); a report with charts, tables and covers has
/// far more detail. A screenshot passes when it is at least 4× the size of a blank page rendered in
/// the same run (a control), so the threshold adapts to the browser version.
@Suite(.enabled(if: HeadlessChromium.isInstalled, "chromium is not installed (apt-get install chromium)"), .serialized)
struct BrowserTests {
    static let sampleScreenshot = URL(fileURLWithPath: "/tmp/report-sample.png")

    private func blankControlSize(in directory: URL) async throws -> Int {
        let page = directory.appendingPathComponent("blank.html")
        try Data("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>blank</title></head><body></body></html>".utf8)
            .write(to: page)
        let shot = directory.appendingPathComponent("blank.png")
        let run = try await #require(HeadlessChromium.installed).run(page: page, screenshot: shot)
        #expect(!run.timedOut)
        return try Data(contentsOf: shot).count
    }

    private func check(_ document: ReportDocument, name: String, in directory: URL, keepScreenshotAt: URL? = nil) async throws {
        let chromium = try #require(HeadlessChromium.installed)
        let folder = directory.appendingPathComponent(name, isDirectory: true)
        let written = try ReportWriter(missingImages: .fail).write(document, to: folder)
        let shot = directory.appendingPathComponent("\(name).png")
        let run = try await chromium.run(page: written.indexFile, screenshot: shot)
        #expect(!run.timedOut, "chromium timed out on \(name)")
        #expect(run.consoleLines.isEmpty, "console messages for \(name): \(run.consoleLines)")
        let png = try Data(contentsOf: shot)
        let size = try #require(PNGInfo.size(of: png), "screenshot of \(name) is not a PNG")
        #expect(size.width == 1000 && size.height == 1400)
        let blank = try await blankControlSize(in: directory)
        #expect(png.count > 4 * blank, "\(name) screenshot is \(png.count) bytes, blank page \(blank) bytes")
        if let keepScreenshotAt {
            try? FileManager.default.removeItem(at: keepScreenshotAt)
            try FileManager.default.copyItem(at: shot, to: keepScreenshotAt)
        }

        let dom = try await chromium.run(page: written.indexFile, dumpDOM: true)
        #expect(dom.stdout.contains("<h1>"), "DOM of \(name) has no heading")
        #expect(dom.consoleLines.isEmpty)
    }

    @Test func trainingReportRendersCleanly() async throws {
        let directory = try TemporaryDirectory("browser-training")
        defer { directory.remove() }
        let report = try ReportFixtures.sampleTrainingReport(in: directory.url.appendingPathComponent("inputs"))
        try await check(try report.document(), name: "training", in: directory.url, keepScreenshotAt: Self.sampleScreenshot)
    }

    @Test func exploreReportRendersCleanly() async throws {
        let directory = try TemporaryDirectory("browser-explore")
        defer { directory.remove() }
        let report = try ReportFixtures.sampleExploreReport(in: directory.url.appendingPathComponent("inputs"))
        try await check(
            report.document(), name: "explore", in: directory.url, keepScreenshotAt: URL(fileURLWithPath: "/tmp/report-explore-sample.png"))
    }

    @Test func comparisonReportRendersCleanly() async throws {
        let directory = try TemporaryDirectory("browser-comparison")
        defer { directory.remove() }
        try await check(
            ReportFixtures.sampleComparisonReport().document(), name: "comparison", in: directory.url,
            keepScreenshotAt: URL(fileURLWithPath: "/tmp/report-comparison-sample.png"))
    }

    /// Negative control: the harness must see a script error and a blocked external resource, or
    /// the clean results above would mean nothing.
    @Test func harnessDetectsConsoleErrors() async throws {
        let chromium = try #require(HeadlessChromium.installed)
        let directory = try TemporaryDirectory("browser-control")
        defer { directory.remove() }
        let page = directory.url.appendingPathComponent("broken.html")
        try Data("<!DOCTYPE html><html><body><p>x</p><script>missingFunction();</script></body></html>".utf8).write(to: page)
        let run = try await chromium.run(page: page, dumpDOM: true)
        #expect(run.consoleLines.contains { $0.contains("Uncaught") })
    }
}
