import Foundation
import TestSupport
import Testing

@testable import Reports

/// `predict --report`: covers grouped by predicted genre, most confident first.
struct PredictionReportTests {
    static let png = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC")!

    static func cover(_ file: String, _ genre: String, _ p: Double, thumbnail: Bool = true) -> PredictionReport.Cover {
        let other = genre == "rock" ? "jazz" : "rock"
        return .init(file: "/covers/\(file)", scores: [(genre, p), (other, 1 - p)], thumbnail: thumbnail ? png : nil)
    }

    @Test func coversAreGroupedByGenreMostConfidentFirst() throws {
        let report = PredictionReport(
            model: "cover-net", classNames: ["jazz", "latin", "rock"],
            covers: [
                Self.cover("a.jpg", "rock", 0.6), Self.cover("b.jpg", "rock", 0.9), Self.cover("c.jpg", "jazz", 0.7),
                Self.cover("d.jpg", "rock", 0.8), Self.cover("e.jpg", "rock", 0.55, thumbnail: false),
            ],
            temperature: 1.5, coversPerGenre: 3, allPredictionsFile: "predictions.csv")
        let groups = report.byPredictedGenre
        #expect(groups.map(\.genre) == ["jazz", "latin", "rock"])
        #expect(
            groups.map { $0.covers.map { URL(fileURLWithPath: $0.file).lastPathComponent } } == [
                ["c.jpg"], [], ["b.jpg", "d.jpg", "a.jpg", "e.jpg"],
            ])
        #expect(Set(report.shownCovers.map(\.file)) == ["/covers/c.jpg", "/covers/b.jpg", "/covers/d.jpg", "/covers/a.jpg"])

        let html = try ReportWriter(imageEmbedding: .inlineDataURIs, missingImages: .fail).render(report.document()).html
        let parsed = try #require(XMLCollector.parse(html))
        let tiles = parsed.elements.compactMap { $0.attributes["data-file"] }
        #expect(
            tiles == ["/covers/c.jpg", "/covers/b.jpg", "/covers/d.jpg", "/covers/a.jpg"],
            "three rock covers at most, best first; no empty genre section")
        #expect(html.contains("rock: 4 covers (80") && html.contains("1 more is not shown") && !html.contains("latin: 0 covers"))
        #expect(html.contains("href=\"predictions.csv\"") && html.contains("temperature 1.50"))
    }
}
