import Foundation
import Reports

/// The demo's front page: links to the explore report and each run's report, and the results
/// side by side with the original study's table.
public enum DemoIndex {
    public static func write(to folder: URL, explore: URL, results: [DemoResult], isSynthetic: Bool, classNames: [String]) throws -> URL {
        func link(_ target: String, _ text: String) -> HTMLNode {
            let relative = target.hasPrefix(folder.path + "/") ? String(target.dropFirst(folder.path.count + 1)) : target
            return HTML.element("a", attributes: [("href", relative)], [.text(text)])
        }
        var links: [HTMLNode] = [HTML.element("li", [link(explore.path, "Explore the data")])]
        for result in results {
            links.append(HTML.element("li", [link(result.report, "Training report: \(result.model)")]))
        }
        let task = StudyTask(genres: classNames)
        let comparison = ComparisonReport(
            title: "Results",
            results: results.map {
                ComparisonReport.RunResult(
                    task: task, model: $0.model, runName: URL(fileURLWithPath: $0.run).lastPathComponent, validationMacroF1: $0.validationMacroF1,
                    testAccuracy: $0.testAccuracy, testMacroF1: $0.testMacroF1,
                    note: isSynthetic ? "synthetic covers" : nil)
            })
        var sections = [ReportSection(id: "reports", title: "Reports", content: [HTML.element("ul", links)])]
        sections += comparison.document().sections
        let document = ReportDocument(
            title: isSynthetic ? "AlbumGenre demo (synthetic covers)" : "AlbumGenre demo",
            subtitle: isSynthetic
                ? "The covers in this demo are SYNTHETIC, drawn procedurally: real album art is copyrighted and cannot ship. Run `albumgenre demo --data DIR` on real covers."
                : nil,
            metadata: [("genres", classNames.joined(separator: ", "))], sections: sections)
        return try ReportWriter().write(document, to: folder).indexFile
    }
}

/// One trained model of the demo, as its front page lists it.
public struct DemoResult: Codable, Sendable {
    public var model: String
    public var run: String
    public var validationMacroF1: Double?
    public var testAccuracy: Double
    public var testMacroF1: Double
    public var report: String

    public init(model: String, run: String, validationMacroF1: Double?, testAccuracy: Double, testMacroF1: Double, report: String) {
        self.model = model
        self.run = run
        self.validationMacroF1 = validationMacroF1
        self.testAccuracy = testAccuracy
        self.testMacroF1 = testMacroF1
        self.report = report
    }
}
