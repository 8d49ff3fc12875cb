import Foundation
import Models
import RunArtifacts
import Testing
import Training

@testable import CLI

/// `albumgenre runs`: what each folder under --runs is, and its recorded figures.
struct ListRunsTests {
    @Test func runsFinalFitsEnsemblesAndCrossValidationsAreTold() async throws {
        let (folder, runs, common) = try await RefitEnsembleTests.twoTrainedRuns()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await RefitEnsembleTests.run(["evaluate", "a", "--split", "test"] + common)
        try await RefitEnsembleTests.run(["calibrate", "b"] + common)
        try await RefitEnsembleTests.run(["refit", "a"] + common)
        try await RefitEnsembleTests.run(["ensemble", "pair", "a", "b"] + common)
        // A run that has started but selected no model yet, and a folder that is no run.
        try FileManager.default.createDirectory(at: runs.appendingPathComponent("started"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: runs.appendingPathComponent("a/config.json"), to: runs.appendingPathComponent("started/config.json"))
        try FileManager.default.createDirectory(at: runs.appendingPathComponent("notes"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: runs.appendingPathComponent("a-cv"), withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: runs.appendingPathComponent("a-cv/crossvalidation.json"))

        let listing = try ListRuns.listing(in: runs)
        #expect(listing.runs.map(\.name) == ["a", "a-final", "b", "pair", "started"])
        #expect(listing.runs.map(\.kind) == ["run", "final fit", "run", "ensemble", "training"])
        #expect(listing.crossValidations == ["a-cv"])
        let byName = Dictionary(uniqueKeysWithValues: listing.runs.map { ($0.name, $0) })

        let a = try #require(byName["a"])
        let aTest = try RunDirectory(url: runs.appendingPathComponent("a")).readJSON(
            EvaluationRecord.self, from: runs.appendingPathComponent("a/evaluation-test.json"))
        #expect(a.test?.accuracy == aTest.metrics.accuracy && a.test?.macroF1 == aTest.metrics.macroF1)
        #expect(a.validation?.macroF1 != nil && a.temperature == nil && a.epochs == 2 && a.model == "cover-net")
        #expect(byName["a-final"]?.validation == nil, "a final fit has no validation figures")
        let b = try #require(byName["b"])
        let calibration = try #require(try CalibrationRecord.read(in: runs.appendingPathComponent("b")))
        #expect(b.temperature == calibration.temperature && b.validation?.calibrationError == calibration.crossFitted.expectedCalibrationError)
        #expect(byName["pair"]?.model == "ensemble of 2" && byName["pair"]?.validation?.accuracy != nil && byName["pair"]?.epochs == nil)
        #expect(byName["started"]?.epochs == 0 && byName["started"]?.validation == nil)

        let table = ListRuns.table(listing)
        #expect(table.split(separator: "\n").count == 1 + 5 + 1, "a header, five runs, the cross-validations")
        #expect(table.contains("cross-validations: a-cv"))
    }
}
