import Foundation
import Testing

@testable import CLI

/// `albumgenre predict … --report DIR`: a page of the covers by predicted genre, and every prediction as CSV.
struct PredictReportTests {
    @Test func thePageShowsTheMostConfidentCoversAndTheCSVHoldsEveryOne() async throws {
        let (folder, runs, _) = try await RefitEnsembleTests.twoTrainedRuns()
        defer { try? FileManager.default.removeItem(at: folder) }
        let covers = folder.appendingPathComponent("covers"), report = folder.appendingPathComponent("report")
        try await RefitEnsembleTests.run([
            "predict", covers.path, "--model", "a", "--runs", runs.path, "--report", report.path, "--report-covers", "2", "--quiet",
        ])

        let csv = try String(contentsOf: report.appendingPathComponent("predictions.csv"), encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 1 + 6 * 8, "a header and one line per cover")
        #expect(
            csv[0]
                == "file,genre_1,probability_1,genre_2,probability_2,genre_3,probability_3,genre_4,probability_4,genre_5,probability_5,genre_6,probability_6"
        )
        let rows = csv.dropFirst().map { $0.split(separator: ",").map(String.init) }
        #expect(rows.allSatisfy { $0.count == 13 }, "a file and six genres with their probabilities")
        for row in rows {
            let total = stride(from: 2, to: 13, by: 2).reduce(0.0) { $0 + Double(row[$1])! }
            #expect(abs(total - 1) < 0.01, "\(row)")
        }

        // At most two covers per predicted genre on the page, each the most confident of its genre.
        let page = try String(contentsOf: report.appendingPathComponent("index.html"), encoding: .utf8)
        let shown = page.matches(of: /data-file="([^"]+)" data-genre="([a-z]+)"/).map { (String($0.1), String($0.2)) }
        let predicted = Dictionary(grouping: rows, by: { $0[1] })
        #expect(!shown.isEmpty)
        #expect(shown.count == predicted.values.reduce(0) { $0 + min(2, $1.count) })
        for (file, genre) in shown {
            let best = (predicted[genre] ?? []).map { Double($0[2])! }.sorted(by: >).prefix(2)
            let mine = try #require(rows.first { $0[0] == file }.map { Double($0[2])! })
            #expect(best.contains(mine), "\(file) is not among \(genre)'s two most confident")
        }
        #expect(!page.contains("Grad-CAM of"), "no heat maps unless asked")

        // --grad-cam: a heat map beside every cover shown; refused without --report.
        let explained = folder.appendingPathComponent("explained")
        try await RefitEnsembleTests.run([
            "predict", covers.path, "--model", "a", "--runs", runs.path, "--report", explained.path, "--report-covers", "2", "--grad-cam", "--quiet",
        ])
        let withMaps = try String(contentsOf: explained.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(withMaps.components(separatedBy: "alt=\"Grad-CAM of").count - 1 == shown.count)
        await #expect(throws: (any Error).self) {
            try await RefitEnsembleTests.run(["predict", covers.path, "--model", "a", "--runs", runs.path, "--grad-cam"])
        }
    }
}
