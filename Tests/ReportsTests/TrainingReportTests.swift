import Foundation
import RunArtifacts
import TestSupport
import Testing

@testable import Reports

/// The training report must show exactly the numbers of the run's metrics file. The test parses
/// the metrics file independently (JSONSerialization, not `MetricsLog`) and the rendered page as
/// XML, and compares each table cell's `data-value` with the file's number.
struct TrainingReportTests {
    /// Epoch → key → value, straight from the JSON lines (skipping an unterminated last line).
    private func independentlyParsed(_ url: URL) throws -> [Int: [String: Any]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        if !text.hasSuffix("\n") { lines.removeLast() }
        var result: [Int: [String: Any]] = [:]
        for line in lines where !line.isEmpty {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let epoch = try #require(object["epoch"] as? Int)
            result[epoch] = object
        }
        return result
    }

    private func render(_ report: TrainingReport) throws -> XMLCollector {
        let html = try ReportWriter(imageEmbedding: .inlineDataURIs, missingImages: .fail).render(try report.document()).html
        #expect(XMLCollector.wellFormednessError(html) == nil, "\(XMLCollector.wellFormednessError(html) ?? "")")
        return try #require(XMLCollector.parse(html))
    }

    @Test(arguments: [false, true])
    func epochTableEqualsMetricsFile(truncated: Bool) throws {
        let directory = try TemporaryDirectory("training-numbers")
        defer { directory.remove() }
        let report = try ReportFixtures.sampleTrainingReport(in: directory.url, truncatedTail: truncated)
        let expected = try independentlyParsed(directory.url.appendingPathComponent("metrics.jsonl"))
        #expect(expected.count == 30)
        let parsed = try render(report)

        let cells = parsed.elements.filter { $0.ancestors.contains("table") && $0.rowAttributes?["data-epoch"] != nil }
            .filter { $0.attributes["data-key"] != nil && ($0.name == "td" || $0.name == "th") }
        var seenEpochs = Set<Int>()
        var compared = 0
        for cell in cells {
            let epoch = try #require(Int(cell.rowAttributes?["data-epoch"] ?? ""))
            let key = try #require(cell.attributes["data-key"])
            seenEpochs.insert(epoch)
            let fileRow = try #require(expected[epoch], "epoch \(epoch) not in the file")
            if key == "phase" {
                #expect(cell.rowAttributes?["data-phase"] == fileRow["phase"] as? String)
                continue
            }
            let fileValue = try #require(fileRow[key] as? NSNumber, "\(key) missing for epoch \(epoch)").doubleValue
            let shown = try #require(Double(cell.attributes["data-value"] ?? ""), "\(key) of epoch \(epoch) has no data-value")
            #expect(shown == fileValue, "epoch \(epoch) \(key): table \(shown), file \(fileValue)")
            // The visible text is the same number rounded, not a different one.
            let visible = try #require(Double(cell.text.trimmingCharacters(in: .whitespaces)))
            #expect(abs(visible - fileValue) <= 0.051, "epoch \(epoch) \(key): shown \(cell.text)")
            compared += 1
        }
        #expect(seenEpochs == Set(expected.keys))
        #expect(compared == 30 * 8)
    }

    @Test func truncatedLogIsFlaggedInTheReport() throws {
        let directory = try TemporaryDirectory("training-truncated")
        defer { directory.remove() }
        let report = try ReportFixtures.sampleTrainingReport(in: directory.url, truncatedTail: true)
        #expect(report.metricsTruncatedTail != nil)
        let parsed = try render(report)
        #expect(parsed.elements.contains { $0.attributes["class"] == "callout warning" && $0.text.contains("incomplete line") })
    }

    @Test func evaluationTablesEqualTheEvaluation() throws {
        let directory = try TemporaryDirectory("training-eval")
        defer { directory.remove() }
        let report = try ReportFixtures.sampleTrainingReport(in: directory.url)
        let parsed = try render(report)
        let test = try #require(report.evaluations.first { $0.split == "test" })
        // One summary row per evaluation, in order (validation, then test).
        let summary = parsed.elements.filter { $0.attributes["data-key"] == "value" && $0.rowAttributes?["data-metric"] != nil }
        let testAccuracy = summary.filter { $0.rowAttributes?["data-metric"] == "accuracy" }.compactMap { Double($0.attributes["data-value"] ?? "") }
        #expect(testAccuracy == report.evaluations.map(\.accuracy))
        let macro = summary.filter { $0.rowAttributes?["data-metric"] == "macro_f1" }.compactMap { Double($0.attributes["data-value"] ?? "") }
        #expect(macro == report.evaluations.map(\.macroF1))
        let recalls = parsed.elements.filter { $0.attributes["data-key"] == "recall" && $0.rowAttributes?["data-class"] != nil }
            .compactMap { Double($0.attributes["data-value"] ?? "") }
        #expect(recalls == report.evaluations.flatMap { $0.perClass.map(\.recall) })
        #expect(test.accuracy == 249.0 / 416.0)
    }

    /// An evaluation with calibration gets its ECE in the summary and a reliability diagram; one
    /// without (from a confusion matrix alone) gets neither.
    @Test func calibrationIsShownWhenMeasured() throws {
        let directory = try TemporaryDirectory("training-calibration")
        defer { directory.remove() }
        var report = try ReportFixtures.sampleTrainingReport(in: directory.url)
        let test = try #require(report.evaluations.firstIndex { $0.split == "test" })
        report.evaluations[test].metrics.expectedCalibrationError = 0.125
        report.evaluations[test].metrics.reliability = [
            .init(lower: 0.4, upper: 0.5, count: 10, meanConfidence: 0.45, accuracy: 0.3),
            .init(lower: 0.8, upper: 0.9, count: 5, meanConfidence: 0.85, accuracy: 0.8),
        ]
        let html = try ReportWriter(imageEmbedding: .inlineDataURIs, missingImages: .fail).render(try report.document()).html
        let parsed = try render(report)
        let ece = parsed.elements.filter { $0.attributes["data-key"] == "value" && $0.rowAttributes?["data-metric"] == "expected_calibration_error" }
        #expect(ece.map { $0.attributes["data-value"] } == [nil, "0.125"], "validation has no calibration, test 0.125")
        #expect(html.components(separatedBy: "covers per bin, lowest first").count == 2, "one diagram, for test")
        #expect(html.contains("Reliability diagram (test)") && html.contains("covers per bin, lowest first: 10, 5"))
    }

    @Test func comparisonSectionShowsTheOriginalStudy() throws {
        let directory = try TemporaryDirectory("training-comparison")
        defer { directory.remove() }
        let report = try ReportFixtures.sampleTrainingReport(in: directory.url)
        let parsed = try render(report)
        let rows = parsed.elements.filter { $0.name == "tr" && $0.attributes["data-source"] != nil && $0.ancestors.contains("table") }
        #expect(rows.filter { $0.attributes["data-source"] == "original" }.count == 4)
        #expect(rows.filter { $0.attributes["data-source"] == "albumgenre" }.count == 1)
        let originalValidation = parsed.elements
            .filter { $0.rowAttributes?["data-source"] == "original" && $0.attributes["data-key"] == "val_accuracy" }
            .compactMap { Double($0.attributes["data-value"] ?? "") }
        #expect(originalValidation == [0.382, 0.391, 0.491, 0.579])
        let originalTest = parsed.elements
            .filter { $0.rowAttributes?["data-source"] == "original" && $0.attributes["data-key"] == "test_accuracy" }
            .compactMap { Double($0.attributes["data-value"] ?? "") }
        #expect(originalTest == [0.5])
        let oursTest = parsed.elements
            .filter { $0.rowAttributes?["data-source"] == "albumgenre" && $0.attributes["data-key"] == "test_accuracy" }
            .compactMap { Double($0.attributes["data-value"] ?? "") }
        #expect(oursTest == [249.0 / 416.0])
    }

    @Test func phaseRegionsFollowTheLog() throws {
        let log = try MetricsLog.parse(Data(ReportFixtures.sampleMetricsJSONL().utf8))
        let report = TrainingReport(runName: "r", metricsLog: log)
        #expect(
            report.phaseRegions == [
                .init(label: "frozen base", range: 0.5...20.5), .init(label: "fine-tuning", range: 20.5...30.5),
            ])
        let scratchOnly = TrainingReport(
            runName: "s",
            epochs: [
                .init(phase: .scratch, epoch: 1, trainLoss: 1, trainAccuracy: 0.2),
                .init(phase: .scratch, epoch: 2, trainLoss: 0.9, trainAccuracy: 0.3),
            ])
        #expect(scratchOnly.phaseRegions.isEmpty)
    }

    @Test func hostileRunNameAndLabelsAreEscaped() throws {
        let hostile = #"<script>alert("pwn")</script>&'"#
        let evaluation = try EvaluationResult(split: hostile, classNames: [hostile, "rock"], confusionMatrix: [[1, 1], [0, 2]])
        let report = TrainingReport(
            runName: hostile, configuration: [.init(hostile, hostile)],
            epochs: [.init(phase: TrainingPhase(rawValue: hostile), epoch: 1, trainLoss: 1, trainAccuracy: 0.5)],
            evaluations: [evaluation], mistakes: [], modelDescription: hostile, notes: [hostile])
        let html = try ReportWriter().render(try report.document()).html
        #expect(!html.contains("<script"))
        #expect(XMLCollector.wellFormednessError(html) == nil, "\(XMLCollector.wellFormednessError(html) ?? "")")
        let parsed = try #require(XMLCollector.parse(html))
        #expect(parsed.elements.contains { $0.name == "h1" && $0.text == "Training report: " + hostile })
    }

    @Test func emptyLogStillRenders() throws {
        let report = TrainingReport(runName: "just-started", epochs: [])
        let html = try ReportWriter().render(try report.document()).html
        #expect(XMLCollector.wellFormednessError(html) == nil)
        #expect(html.contains("no complete epoch"))
    }

    @Test func anEnsembleReportNamesItsMembersAndHasNoLearningCurves() throws {
        let directory = try TemporaryDirectory("training-ensemble")
        defer { directory.remove() }
        var report = try ReportFixtures.sampleTrainingReport(in: directory.url)
        report.epochs = []
        report.ensembleMembers = ["lite0-a", "lite2-b"]
        let html = try ReportWriter().render(try report.document()).html
        #expect(XMLCollector.wellFormednessError(html) == nil)
        #expect(html.contains("mean of 2 trained runs") && html.contains("lite0-a, lite2-b"))
        #expect(!html.contains("no complete epoch") && !html.contains("Learning curves"))
        #expect(html.contains("Evaluation"))
    }

    @Test func inconsistentEvaluationIsATypedError() {
        var metrics = ClassificationMetrics(confusionMatrix: [[1, 0], [0, 1]], classNames: ["a", "b"])
        metrics.confusionMatrix = [[1, 0, 0], [0, 1, 0]]
        metrics.perClass = []
        let bad = EvaluationResult(split: "test", metrics: metrics)
        let report = TrainingReport(runName: "r", epochs: [], evaluations: [bad])
        #expect(throws: ReportError.self) { try report.document() }
    }
}
