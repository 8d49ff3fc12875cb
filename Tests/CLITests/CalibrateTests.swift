import Foundation
import Inference
import Models
import RunArtifacts
import Testing
import Training

@testable import CLI

/// `albumgenre calibrate`: a temperature fitted on validation, applied by evaluate and predict.
struct CalibrateTests {
    @Test func theTemperatureScalesProbabilitiesButNotPredictions() async throws {
        let (folder, runs, common) = try await RefitEnsembleTests.twoTrainedRuns()
        defer { try? FileManager.default.removeItem(at: folder) }
        let a = runs.appendingPathComponent("a")
        let cover = try #require(
            FileManager.default.enumerator(at: folder.appendingPathComponent("covers"), includingPropertiesForKeys: nil)?
                .compactMap { $0 as? URL }.first { $0.pathExtension == "jpg" })
        let rawPredictor = try GenrePredictor(runFolder: a)
        let raw = rawPredictor.predict([try rawPredictor.decode(contentsOf: cover)])[0]
        try await RefitEnsembleTests.run(["evaluate", "a"] + common)
        let rawValidation = try RunDirectory(url: a).readJSON(EvaluationRecord.self, from: a.appendingPathComponent("evaluation-val.json"))

        try await RefitEnsembleTests.run(["calibrate", "a"] + common)
        let record = try #require(try CalibrationRecord.read(in: a))
        #expect(abs(record.temperature - 1) > 0.05, "T = \(record.temperature): the checks below need a temperature that changes something")
        #expect((0.05...20).contains(record.temperature) && record.fittedOn == "a" && record.covers == rawValidation.metrics.count)
        #expect(abs(record.before.expectedCalibrationError - (rawValidation.metrics.expectedCalibrationError ?? -1)) < 1e-9)

        // evaluate: the same predictions, the temperature recorded.
        try await RefitEnsembleTests.run(["evaluate", "a"] + common)
        let calibrated = try RunDirectory(url: a).readJSON(EvaluationRecord.self, from: a.appendingPathComponent("evaluation-val.json"))
        #expect(calibrated.temperature == record.temperature && rawValidation.temperature == nil)
        #expect(calibrated.metrics.confusionMatrix == rawValidation.metrics.confusionMatrix)

        // predict: the raw probabilities at the temperature.
        let predictor = try GenrePredictor(runFolder: a)
        #expect(predictor.temperature == record.temperature)
        let scaled = predictor.predict([try predictor.decode(contentsOf: cover)])[0]
        let order = raw.scores.map(\.genre)
        let expected = TemperatureScaling.apply(
            order.map { g in Float(raw.scores.first { $0.genre == g }!.probability) }, classes: order.count, temperature: record.temperature)
        for (genre, probability) in zip(order, expected) {
            #expect(abs(scaled.scores.first { $0.genre == genre }!.probability - Double(probability)) < 1e-5, "\(genre)")
        }
        #expect(scaled.top.genre == raw.top.genre)

        // A final fit inherits its validated run's temperature; it cannot be fitted on validation, only given one.
        try await RefitEnsembleTests.run(["refit", "a"] + common)
        let inherited = try #require(try CalibrationRecord.read(in: runs.appendingPathComponent("a-final")), "refit keeps a's temperature")
        #expect(inherited.temperature == record.temperature && inherited.fittedOn == "a")
        try await RefitEnsembleTests.run(["calibrate", "a-final", "--remove"] + common)
        let refused = try await ErrorMessageTests.failure(["calibrate", "a-final"] + common)
        #expect(refused.status == 2 && refused.message.contains("--from"), "\(refused.message)")
        try await RefitEnsembleTests.run(["calibrate", "a-final", "--from", "a"] + common)
        #expect(try CalibrationRecord.read(in: runs.appendingPathComponent("a-final"))?.temperature == record.temperature)

        // A packaged model keeps its temperature.
        let package = folder.appendingPathComponent("package")
        try await RefitEnsembleTests.run(["package-model", "a", "--output", package.path, "--runs", runs.path])
        #expect(try CalibrationRecord.read(in: package)?.temperature == record.temperature)

        try await RefitEnsembleTests.run(["calibrate", "a", "--remove"] + common)
        #expect(try CalibrationRecord.read(in: a) == nil)
        #expect(try GenrePredictor(runFolder: a).temperature == nil)
    }
}
