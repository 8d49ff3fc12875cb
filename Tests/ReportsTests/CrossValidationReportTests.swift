import Foundation
import Testing

@testable import Reports

/// The cross-validation page plots every fold of every configuration and tabulates the given figures.
struct CrossValidationReportTests {
    static let average = CrossValidationReport.Configuration(
        name: "lite0-frozen", accuracy: [0.431, 0.415, 0.42], macroF1: [0.43, 0.393, 0.403],
        accuracySpread: .init(mean: 0.422, standardDeviation: 0.008), macroF1Spread: .init(mean: 0.409, standardDeviation: 0.019))
    static let statistics = CrossValidationReport.Configuration(
        name: "lite0stats-frozen", accuracy: [0.424, 0.413, 0.408], macroF1: [0.418, 0.39, 0.392],
        accuracySpread: .init(mean: 0.415, standardDeviation: 0.008), macroF1Spread: .init(mean: 0.4, standardDeviation: 0.016))

    private func render(_ report: CrossValidationReport) throws -> XMLCollector {
        let html = try ReportWriter(imageEmbedding: .inlineDataURIs, missingImages: .fail).render(report.document()).html
        #expect(XMLCollector.wellFormednessError(html) == nil, "\(XMLCollector.wellFormednessError(html) ?? "")")
        return try #require(XMLCollector.parse(html))
    }

    @Test func everyFoldOfEveryConfigurationIsPlottedAndTheFiguresTabulated() throws {
        let difference = CrossValidationReport.Difference(
            name: "lite0stats-frozen", macroF1: .init(mean: -0.0087, standardDeviation: 0.0035), foldsBetter: 0, foldsWorse: 3)
        let page = try render(CrossValidationReport(configurations: [Self.average, Self.statistics], differences: [difference], coverCount: 3783))
        // Two charts (macro-F1 and accuracy), each with one marker per fold and configuration.
        let charts = page.elements(named: "svg")
        #expect(charts.count == 2)
        let markers = page.elements(named: "circle").filter { $0.ancestors.contains("svg") }
        #expect(markers.count == 2 * 2 * 3)
        #expect(markers.contains { $0.text.contains("lite0stats-frozen at 3: 0.3920") })
        let values = page.elements.filter { $0.ancestors.contains("table") }.compactMap { $0.attributes["data-value"] }
        for expected in ["0.422", "0.019", "0.4", "-0.0087", "0.0035"] { #expect(values.contains(expected), "\(expected)") }
        #expect(page.elements(named: "table").count == 2)
    }

    @Test func oneConfigurationHasNoComparison() throws {
        let page = try render(CrossValidationReport(configurations: [Self.average], differences: [], coverCount: 3783))
        #expect(page.elements(named: "svg").count == 1 && page.elements(named: "table").count == 1)
    }
}
