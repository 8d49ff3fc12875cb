import ArgumentParser
import Foundation
import Models
import RunArtifacts
import Training

/// `albumgenre runs`: every run under --runs in one table.
struct ListRuns: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List the runs under --runs with their validation and test figures.",
        usage: "albumgenre runs [--runs <dir>] [--sort <sort>] [<options>]",
        discussion: """
            One line per run or ensemble: what it is (a run chosen on validation, a final fit trained \
            on train + validation, an ensemble, or a run still training), its model, the validation \
            figures it was chosen by, the test figures `evaluate --split test` recorded (if it was \
            scored), its calibration error on validation and its temperature (`albumgenre calibrate`). \
            Reads only the run folders' JSON files: nothing is scored. Cross-validations are named \
            at the end.

            Examples:
              albumgenre runs
              albumgenre runs --sort val --json
            """)

    enum Order: String, ExpressibleByArgument, CaseIterable {
        case name, val, test
    }

    @OptionGroup var runsOption: RunsOption
    @OptionGroup var output: OutputOptions

    @Option(help: "Order: name, val (validation macro-F1, best first) or test (test macro-F1, best first).")
    var sort: Order = .name

    /// Accuracy, macro-F1 and calibration error of one recorded evaluation.
    struct Figures: Codable, Equatable {
        var accuracy: Double?
        var macroF1: Double
        var calibrationError: Double?
    }

    struct Summary: Codable, Equatable {
        var name: String
        /// `run`, `final fit`, `ensemble` or `training` (no selected model yet).
        var kind: String
        /// The architecture, or `ensemble of N`.
        var model: String
        var genres: [String]
        /// Figures on validation (nil for a final fit, which trained on it); for a calibrated run the
        /// calibration error is the cross-fitted one `calibrate` measured.
        var validation: Figures?
        /// Figures recorded on the test split, nil when it was not scored.
        var test: Figures?
        var temperature: Double?
        /// Epochs finished (from metrics.jsonl), nil for an ensemble.
        var epochs: Int?
    }

    struct Listing: Codable, Equatable {
        var runs: [Summary]
        /// Folders made by `albumgenre crossvalidate` (their folds are runs inside them).
        var crossValidations: [String]
    }

    func run() throws {
        let root = runsOption.root
        guard FileManager.default.fileExists(atPath: root.path) else {
            throw Console.fail("no runs folder \(root.path): train a model with `albumgenre train`, or pass --runs DIR", status: ExitStatus.failure)
        }
        var listing = try Self.listing(in: root)
        let key: (Summary) -> Double? = { sort == .val ? $0.validation?.macroF1 : $0.test?.macroF1 }
        if sort != .name { listing.runs.sort { (key($0) ?? -1, $1.name) > (key($1) ?? -1, $0.name) } }
        if output.json { return try Console.printJSON(listing) }
        Console.print(Self.table(listing))
    }

    /// Every run, final fit and ensemble directly under `root`, by name.
    static func listing(in root: URL) throws -> Listing {
        let names = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { !$0.hasPrefix(".") }.sorted()
        var runs: [Summary] = [], crossValidations: [String] = []
        for name in names {
            let folder = root.appendingPathComponent(name, isDirectory: true)
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(RunDirectory.FileName.crossValidation).path) {
                crossValidations.append(name)
            } else if let summary = summary(of: folder) {
                runs.append(summary)
            }
        }
        return Listing(runs: runs, crossValidations: crossValidations)
    }

    /// What the folder's JSON files say, or nil for a folder that holds no run.
    static func summary(of folder: URL) -> Summary? {
        let run = RunDirectory(url: folder)
        let name = folder.lastPathComponent
        func recorded(_ split: String) -> Figures? {
            (try? run.readJSON(EvaluationRecord.self, from: run.evaluationURL(split: split))).map {
                Figures(accuracy: $0.metrics.accuracy, macroF1: $0.metrics.macroF1, calibrationError: $0.metrics.expectedCalibrationError)
            }
        }
        let calibration = (try? CalibrationRecord.read(in: folder)) ?? nil
        let temperature = calibration?.temperature
        // A calibrated run's validation record was scored at its temperature, fitted on those very
        // covers: its cross-fitted error is the honest figure.
        func figures(_ split: String) -> Figures? {
            guard var result = recorded(split) else { return nil }
            if split == "val", let calibration { result.calibrationError = calibration.crossFitted.expectedCalibrationError }
            return result
        }
        let epochs = (try? String(contentsOf: run.metricsURL, encoding: .utf8)).map { $0.split(separator: "\n").count }
        if let ensemble = try? ModelArchive.ensembleDescription(in: folder) {
            let finalFits = ensemble.members.contains { member in
                (try? run.readJSON(ModelDescription.self, from: folder.appendingPathComponent("\(member)/model.json")))?.trainedOnValidation == true
            }
            return Summary(
                name: name, kind: finalFits ? "ensemble of final fits" : "ensemble", model: "ensemble of \(ensemble.members.count)",
                genres: ensemble.classNames, validation: finalFits ? nil : figures("val"), test: figures("test"), temperature: temperature,
                epochs: nil)
        }
        if let description = try? run.readJSON(ModelDescription.self, from: run.modelDescriptionURL) {
            let finalFit = description.trainedOnValidation == true
            let validation = finalFit ? nil : figures("val") ?? Figures(accuracy: nil, macroF1: description.validationMacroF1, calibrationError: nil)
            return Summary(
                name: name, kind: finalFit ? "final fit" : "run", model: description.model.rawValue, genres: description.classNames,
                validation: validation, test: figures("test"), temperature: temperature, epochs: epochs)
        }
        if let configuration = try? run.readJSON(TrainingConfiguration.self, from: run.configurationURL) {
            return Summary(
                name: name, kind: "training", model: configuration.model.rawValue, genres: configuration.genres, validation: nil, test: nil,
                temperature: nil, epochs: epochs ?? 0)
        }
        return nil
    }

    /// The listing as a plain-text table (– where a figure is missing).
    static func table(_ listing: Listing) -> String {
        func cell(_ value: Double?, _ width: Int = 7) -> String {
            (value.map { String(format: "%.3f", $0) } ?? "–").leftPadded(width)
        }
        let nameWidth = min(40, max(4, listing.runs.map(\.name.count).max() ?? 4))
        var lines = [
            "run".padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  kind                    model                     "
                + "val acc  val F1  test acc test F1  val ECE      T"
        ]
        for run in listing.runs {
            lines.append(
                String(run.name.prefix(nameWidth)).padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  "
                    + run.kind.padding(toLength: 22, withPad: " ", startingAt: 0) + "  "
                    + run.model.padding(toLength: 24, withPad: " ", startingAt: 0)
                    + cell(run.validation?.accuracy) + cell(run.validation?.macroF1, 8) + cell(run.test?.accuracy, 10) + cell(run.test?.macroF1, 8)
                    + cell(run.validation?.calibrationError, 9) + cell(run.temperature))
        }
        if listing.runs.isEmpty { lines.append("(no runs)") }
        if !listing.crossValidations.isEmpty { lines.append("cross-validations: " + listing.crossValidations.joined(separator: ", ")) }
        return lines.joined(separator: "\n")
    }
}
