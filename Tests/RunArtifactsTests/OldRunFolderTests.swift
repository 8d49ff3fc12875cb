import Foundation
import Testing

@testable import RunArtifacts

/// A run folder written by the code of commit b5782fc (`train --model cover-net --resolution 32`,
/// `calibrate`, `evaluate` on validation and test; weights left out to keep the fixture small) is
/// read by today's types, and today's writer writes its metrics lines byte for byte as they were.
struct OldRunFolderTests {
    static let folder = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/run-b5782fc", isDirectory: true)
    let run = RunDirectory(url: Self.folder)

    @Test func itsMetricsReadAndAreWrittenAgainByteForByte() throws {
        let epochs = run.readMetrics()
        #expect(epochs.count == 3)
        #expect(epochs.map(\.phase) == [.scratch, .scratch, .scratch] && epochs.map(\.epoch) == [1, 2, 3])
        #expect(epochs[0].isBest && epochs.allSatisfy { $0.validationMacroF1 != nil && $0.learningRate != nil })
        let log = try MetricsLog.read(from: run.metricsURL)
        #expect(log.epochs == epochs && log.truncatedTail == nil)
        let written = try epochs.map { try MetricsLog.line(for: $0) + "\n" }.joined()
        #expect(written == (try String(contentsOf: run.metricsURL, encoding: .utf8)))
    }

    @Test func itsEvaluationsReadAndTheirFiguresFollowFromTheirConfusionMatrices() throws {
        for (split, covers) in [("val", 12), ("test", 6)] {
            let record = try run.readJSON(EvaluationRecord.self, from: run.evaluationURL(split: split))
            #expect(record.split == split && record.modelEpoch == 1 && record.temperature != nil)
            let m = record.metrics
            #expect(m.classNames == ["country", "holiday", "jazz", "latin", "rap", "rock"] && m.count == covers)
            let recomputed = ClassificationMetrics(confusionMatrix: m.confusionMatrix, classNames: m.classNames)
            #expect(recomputed.accuracy == m.accuracy && recomputed.macroF1 == m.macroF1 && recomputed.balancedAccuracy == m.balancedAccuracy)
            #expect(recomputed.perClass == m.perClass)
            #expect(m.reliability?.isEmpty == false && m.expectedCalibrationError != nil)
            #expect(
                record.mistakes.count == covers - m.confusionMatrix.indices.reduce(0) { $0 + m.confusionMatrix[$1][$1] }
                    && record.mistakes.allSatisfy { $0.trueGenre != $0.predictedGenre })
        }
    }

    @Test func everyFileItHoldsHasItsNameInTheLayout() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).sorted()
        let layout = [
            run.configurationURL, run.splitURL, run.metricsURL, run.modelDescriptionURL, run.calibrationURL,
            run.evaluationURL(split: "val"), run.evaluationURL(split: "test"),
        ].map(\.lastPathComponent).sorted()
        #expect(names == layout)
    }
}
