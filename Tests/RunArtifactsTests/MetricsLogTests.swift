import Foundation
import TestSupport
import Testing

@testable import RunArtifacts

struct MetricsLogTests {
    @Test func parsesCompleteLog() throws {
        let log = try MetricsLog.parse(Data(ReportFixtures.sampleMetricsJSONL().utf8))
        #expect(log.epochs.count == 30)
        #expect(log.truncatedTail == nil)
        #expect(log.epochs.first?.phase == .frozen)
        #expect(log.epochs.last?.phase == .finetune)
        #expect(log.epochs.map(\.epoch) == Array(1...30))
    }

    @Test func toleratesTruncatedLastLine() throws {
        let log = try MetricsLog.parse(Data(ReportFixtures.sampleMetricsJSONL(truncatedTail: true).utf8))
        #expect(log.epochs.count == 30)
        #expect(log.truncatedTail?.hasPrefix("{\"epoch\": 31") == true)
    }

    @Test func toleratesTruncatedMultibyteCharacter() throws {
        var data = Data(ReportFixtures.sampleMetricsJSONL().utf8)
        data.append(contentsOf: Array("{\"epoch\": 31, \"phase\": \"é".utf8).dropLast())
        let log = try MetricsLog.parse(data)
        #expect(log.epochs.count == 30)
        #expect(log.truncatedTail != nil)
    }

    @Test func rejectsMalformedMiddleLine() {
        let text = """
            {"epoch": 1, "phase": "scratch", "train_loss": 1.5, "train_accuracy": 0.3}
            {"epoch": 2, "phase": "scratch", "train_loss": 1.4
            {"epoch": 3, "phase": "scratch", "train_loss": 1.3, "train_accuracy": 0.4}

            """
        #expect(throws: MetricsLogError.self) { try MetricsLog.parse(Data(text.utf8)) }
        do {
            _ = try MetricsLog.parse(Data(text.utf8))
        } catch let error as MetricsLogError {
            guard case .malformedLine(let line, _) = error else {
                Issue.record("wrong case \(error)")
                return
            }
            #expect(line == 2)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func malformedLastLineWithNewlineIsAnError() {
        // A complete line ends with a newline, so this is corruption, not truncation.
        let text = "{\"epoch\": 1, \"phase\": \"scratch\", \"train_loss\": 1.5, \"train_accuracy\": 0.3}\n{\"epoch\": 2,\n"
        let error = #expect(throws: MetricsLogError.self) { try MetricsLog.parse(Data(text.utf8)) }
        guard case .malformedLine(let line, _)? = error else {
            Issue.record("wrong error \(String(describing: error))")
            return
        }
        #expect(line == 2)
    }

    @Test func missingRequiredKeyNamesTheKey() {
        let text = "{\"epoch\": 1, \"phase\": \"scratch\", \"train_accuracy\": 0.3}\n"
        do {
            _ = try MetricsLog.parse(Data(text.utf8))
            Issue.record("expected an error")
        } catch let error as MetricsLogError {
            #expect(error.description.contains("train_loss"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func optionalFieldsUnknownKeysAndBlankLines() throws {
        let text = "\n{\"epoch\": 1, \"phase\": \"warmup\", \"train_loss\": 2, \"train_accuracy\": 0.1, \"gpu\": \"none\"}\n\n"
        let log = try MetricsLog.parse(Data(text.utf8))
        let epoch = try #require(log.epochs.first)
        #expect(epoch.phase.rawValue == "warmup")
        #expect(epoch.phase.displayName == "warmup")
        #expect(epoch.validationAccuracy == nil)
        #expect(epoch.trainLoss == 2)
    }

    @Test func nonFiniteValues() throws {
        let text = """
            {"epoch": 1, "phase": "scratch", "train_loss": NaN, "train_accuracy": 0.1, "val_loss": Infinity}
            {"epoch": 2, "phase": "scratch", "train_loss": "NaN", "train_accuracy": 0.1, "val_loss": "-Infinity"}

            """
        let log = try MetricsLog.parse(Data(text.utf8))
        #expect(log.epochs.count == 2)
        #expect(log.epochs[0].trainLoss.isNaN)
        #expect(log.epochs[0].validationLoss == .infinity)
        #expect(log.epochs[1].trainLoss.isNaN)
        #expect(log.epochs[1].validationLoss == -.infinity)
    }

    @Test func lineRoundTrips() throws {
        let metrics = EpochRecord(
            phase: .finetune, epoch: 7, trainLoss: 0.123456789, trainAccuracy: 0.75, validationLoss: .nan,
            validationAccuracy: 0.5, validationMacroF1: 0.49, learningRate: 1e-5, imagesPerSecond: 41.5, seconds: 160.25)
        let line = try MetricsLog.line(for: metrics)
        #expect(!line.contains("\n"))
        #expect(line.contains("\"val_accuracy\":0.5"))
        let parsed = try #require(try MetricsLog.parse(Data((line + "\n").utf8)).epochs.first)
        #expect(parsed.trainLoss == metrics.trainLoss)
        #expect(parsed.validationLoss?.isNaN == true)
        #expect(parsed.learningRate == 1e-5)
    }

    @Test func unreadableFile() {
        #expect(throws: MetricsLogError.self) {
            try MetricsLog.read(from: URL(fileURLWithPath: "/nonexistent/metrics.jsonl"))
        }
    }
}
