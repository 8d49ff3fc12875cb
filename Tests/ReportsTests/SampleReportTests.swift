import Foundation
import TestSupport
import Testing

@testable import Reports

/// Writes the three sample reports to /tmp/albumgenre-report-samples/ so people can open them
/// (`file:///tmp/albumgenre-report-samples/training/index.html`), and checks the folders are
/// self-contained: every `src`/`href` is an existing relative file, a fragment, or a data URI.
struct SampleReportTests {
    static let root = URL(fileURLWithPath: "/tmp/albumgenre-report-samples", isDirectory: true)

    @Test func sampleReportsAreSelfContained() throws {
        let inputs = Self.root.appendingPathComponent("inputs", isDirectory: true)
        let documents: [(String, ReportDocument)] = [
            ("training", try ReportFixtures.sampleTrainingReport(in: inputs.appendingPathComponent("training")).document()),
            ("explore", try ReportFixtures.sampleExploreReport(in: inputs.appendingPathComponent("explore")).document()),
            ("comparison", ReportFixtures.sampleComparisonReport().document()),
        ]
        for (name, document) in documents {
            let folder = Self.root.appendingPathComponent(name, isDirectory: true)
            let written = try ReportWriter(missingImages: .fail).write(document, to: folder)
            let html = try String(contentsOf: written.indexFile, encoding: .utf8)
            #expect(XMLCollector.wellFormednessError(html) == nil, "\(name): \(XMLCollector.wellFormednessError(html) ?? "")")
            let parsed = try #require(XMLCollector.parse(html))
            for element in parsed.elements {
                for attribute in ["src", "href"] {
                    guard let reference = element.attributes[attribute] else { continue }
                    if reference.hasPrefix("#") || reference.hasPrefix("data:image/") { continue }
                    #expect(!reference.contains(":"), "\(name): external reference \(reference)")
                    #expect(
                        FileManager.default.fileExists(atPath: folder.appendingPathComponent(reference).path),
                        "\(name): missing file \(reference)")
                }
            }
            #expect(
                !html.contains("http://")
                    || html.components(separatedBy: "http://").count == html.components(separatedBy: "http://www.w3.org/2000/svg").count,
                "\(name): only the SVG namespace may mention http://")
            #expect(!html.contains("<script"), "\(name): reports need no scripts")
            let ids = parsed.elements.compactMap { $0.attributes["id"] }
            #expect(ids.count == Set(ids).count, "\(name): duplicate ids \(Dictionary(grouping: ids, by: { $0 }).filter { $0.value.count > 1 }.keys)")
            // Every table-of-contents link points at an existing section.
            for link in parsed.elements(named: "a") {
                guard let href = link.attributes["href"], href.hasPrefix("#") else { continue }
                #expect(ids.contains(String(href.dropFirst())), "\(name): dangling link \(href)")
            }
        }
    }
}
