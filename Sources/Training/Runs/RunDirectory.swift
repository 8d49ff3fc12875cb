import AtomicFiles
import Checkpoints
import Foundation

/// A training run's folder, `runs/<name>/`:
///
///     config.json         everything needed to repeat the run (seed included)
///     split.json          the split the run was trained and selected on
///     metrics.jsonl       one JSON line per epoch (appended, flushed, survives a kill)
///     checkpoint/         the latest epoch's weights + optimizer state, replaced atomically
///     weights.safetensors the selected model (best validation macro-F1), with model.json
///     evaluation-*.json   scored splits, each recorded once
///     report/index.html   the training report
public struct RunDirectory: Sendable {
    public let url: URL

    public init(url: URL) { self.url = url }

    /// `runs/<name>` under `root`, created if needed.
    public static func create(named name: String, under root: URL) throws -> RunDirectory {
        let url = root.appendingPathComponent(name, isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return RunDirectory(url: url)
    }

    public var configurationURL: URL { url.appendingPathComponent("config.json") }
    public var splitURL: URL { url.appendingPathComponent("split.json") }
    public var metricsURL: URL { url.appendingPathComponent("metrics.jsonl") }
    public var checkpointURL: URL { url.appendingPathComponent("checkpoint", isDirectory: true) }
    public var weightsURL: URL { url.appendingPathComponent("weights.safetensors") }
    public var modelDescriptionURL: URL { url.appendingPathComponent("model.json") }
    public var reportURL: URL { url.appendingPathComponent("report", isDirectory: true) }
    public func evaluationURL(split: String) -> URL { url.appendingPathComponent("evaluation-\(split).json") }

    /// Writes `value` as pretty JSON, atomically (temporary file + rename).
    public func writeJSON<T: Encodable>(_ value: T, to target: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(encoder.encode(value), to: target)
    }

    public func readJSON<T: Decodable>(_ type: T.Type, from source: URL) throws -> T {
        try JSONDecoder().decode(type, from: Data(contentsOf: source))
    }

    /// Appends one JSON line to `metrics.jsonl` and flushes it to disk, so a kill loses at most the
    /// line being written (readers skip a truncated last line).
    public func appendMetrics<T: Encodable>(_ record: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var line = try encoder.encode(record)
        line.append(0x0A)
        try AtomicFile.append(line, to: metricsURL)
    }

    /// Every complete line of `metrics.jsonl` that decodes as `T`.
    public func readMetrics<T: Decodable>(_ type: T.Type) -> [T] {
        guard let data = try? Data(contentsOf: metricsURL) else { return [] }
        return data.split(separator: 0x0A).compactMap { try? JSONDecoder().decode(T.self, from: Data($0)) }
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
