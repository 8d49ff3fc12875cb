import Foundation
import TestSupport
import Testing

@testable import Reports

/// Report inputs are plain Codable data: they survive a JSON round trip unchanged, so a CLI can
/// save them next to a run and render later.
struct CodableTests {
    private func roundTrip<T: Codable>(_ value: T) throws -> (Data, Data) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let first = try encoder.encode(value)
        let second = try encoder.encode(try decoder.decode(T.self, from: first))
        return (first, second)
    }

    @Test func trainingReportRoundTrips() throws {
        let directory = try TemporaryDirectory("codable")
        defer { directory.remove() }
        let report = try ReportFixtures.sampleTrainingReport(in: directory.url, truncatedTail: true)
        let (first, second) = try roundTrip(report)
        #expect(first == second)
        // The phase is written as its plain string, as in metrics.jsonl.
        #expect(String(decoding: first, as: UTF8.self).contains("\"phase\":\"finetune\""))
    }

    @Test func exploreAndComparisonRoundTrip() throws {
        let directory = try TemporaryDirectory("codable-explore")
        defer { directory.remove() }
        let explore = try roundTrip(try ReportFixtures.sampleExploreReport(in: directory.url))
        #expect(explore.0 == explore.1)
        let comparison = try roundTrip(ReportFixtures.sampleComparisonReport())
        #expect(comparison.0 == comparison.1)
        #expect(String(decoding: comparison.0, as: UTF8.self).contains("\"genres\":[\"rap\",\"rock\"]"))
    }
}
