import AtomicFiles
import Foundation

/// A training run's folder, `runs/<name>/`:
///
///     config.json         everything needed to repeat the run (seed included)
///     split.json          the split the run was trained and selected on
///     metrics.jsonl       one JSON line per epoch (appended, flushed, survives a kill)
///     checkpoint/         the latest epoch's weights + optimizer state, replaced atomically
///     weights.safetensors the selected model (best validation macro-F1), with model.json
///     evaluation-*.json   scored splits (`EvaluationRecord`), each recorded once; outside sets
///                         scored by `evaluate --images` as evaluation-external-<fingerprint>.json
///     calibration.json    the temperature `calibrate` fitted (optional)
///     ensemble.json       for an ensemble: its members, copied under members/
///     report/index.html   the training report; gradcam/ its Grad-CAM overlays
///
/// Every file name of a run folder is written here and nowhere else.
public struct RunDirectory: Sendable {
    /// The file names, for code that works on a folder it does not hold as a `RunDirectory`.
    public enum FileName {
        public static let configuration = "config.json"
        public static let split = "split.json"
        public static let metrics = "metrics.jsonl"
        public static let checkpoint = "checkpoint"
        /// Inside `checkpoint/epoch-<n>/`: the optimizer's moments and the loop's position.
        public static let optimizer = "optimizer.safetensors"
        public static let state = "state.json"
        /// A cross-validation's folder (`runs/<run>-cv/`) holds this instead of a model.
        public static let crossValidation = "crossvalidation.json"
        public static let weights = "weights.safetensors"
        public static let model = "model.json"
        public static let calibration = "calibration.json"
        public static let ensemble = "ensemble.json"
        public static let members = "members"
        public static let report = "report"
        public static let gradCAM = "gradcam"
        public static func evaluation(split: String) -> String { "evaluation-\(split).json" }
        public static let externalEvaluationPrefix = "evaluation-external-"
    }

    public let url: URL

    public init(url: URL) { self.url = url }

    /// `runs/<name>` under `root`, created if needed.
    public static func create(named name: String, under root: URL) throws -> RunDirectory {
        let url = root.appendingPathComponent(name, isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return RunDirectory(url: url)
    }

    public var configurationURL: URL { url.appendingPathComponent(FileName.configuration) }
    public var splitURL: URL { url.appendingPathComponent(FileName.split) }
    public var metricsURL: URL { url.appendingPathComponent(FileName.metrics) }
    public var checkpointURL: URL { url.appendingPathComponent(FileName.checkpoint, isDirectory: true) }
    public var weightsURL: URL { url.appendingPathComponent(FileName.weights) }
    public var modelDescriptionURL: URL { url.appendingPathComponent(FileName.model) }
    public var calibrationURL: URL { url.appendingPathComponent(FileName.calibration) }
    public var ensembleURL: URL { url.appendingPathComponent(FileName.ensemble) }
    public var membersURL: URL { url.appendingPathComponent(FileName.members, isDirectory: true) }
    public var reportURL: URL { url.appendingPathComponent(FileName.report, isDirectory: true) }
    public var gradCAMURL: URL { url.appendingPathComponent(FileName.gradCAM, isDirectory: true) }
    public func evaluationURL(split: String) -> URL { url.appendingPathComponent(FileName.evaluation(split: split)) }

    /// The outside sets scored by `evaluate --images`, in no particular order.
    public var externalEvaluationURLs: [URL] {
        ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? [])
            .filter { $0.hasPrefix(FileName.externalEvaluationPrefix) && $0.hasSuffix(".json") }
            .map { url.appendingPathComponent($0) }
    }

    /// Writes `value` as pretty JSON, atomically (temporary file + rename).
    public func writeJSON<T: Encodable>(_ value: T, to target: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(encoder.encode(value), to: target)
    }

    public func readJSON<T: Decodable>(_ type: T.Type, from source: URL) throws -> T {
        try JSONDecoder().decode(type, from: Data(contentsOf: source))
    }

    /// Appends one epoch to `metrics.jsonl` (`MetricsLog.line`) and flushes it to disk, so a kill
    /// loses at most the line being written (readers skip a truncated last line).
    public func appendMetrics(_ record: EpochRecord) throws {
        try AtomicFile.append(Data((try MetricsLog.line(for: record) + "\n").utf8), to: metricsURL)
    }

    /// Every line of `metrics.jsonl` that reads as an epoch, in file order; lines that do not are
    /// skipped (for the trainer's own bookkeeping; the report reads with `MetricsLog.read`, which
    /// names a malformed line instead).
    public func readMetrics() -> [EpochRecord] {
        guard let data = try? Data(contentsOf: metricsURL) else { return [] }
        return data.split(separator: 0x0A).compactMap { MetricsLog.epoch(fromLine: Data($0)) }
    }

    /// Rewrites `metrics.jsonl` keeping only the records `keep` accepts (used on resume, to drop
    /// epochs after the checkpoint being resumed from).
    public func truncateMetrics(keepingLines keep: (Data) -> Bool) throws {
        guard let data = try? Data(contentsOf: metricsURL) else { return }
        var kept = Data()
        for line in data.split(separator: 0x0A) where keep(Data(line)) {
            kept.append(contentsOf: line)
            kept.append(0x0A)
        }
        try AtomicFile.write(kept, to: metricsURL)
    }
}
