import Foundation

/// Errors reading a `metrics.jsonl` file.
public enum MetricsLogError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// A complete line (1-based `line`) is not a valid epoch record.
    case malformedLine(line: Int, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read metrics log \(path): \(reason)"
        case .malformedLine(let line, let reason): "metrics log line \(line) is not a valid epoch record: \(reason)"
        }
    }
}

/// The epochs of a training run, read from its `metrics.jsonl` (one JSON object per line, one line
/// per finished epoch, appended as training runs).
///
/// A run may be killed while writing a line, so the reader tolerates a **truncated last line**: if
/// the file does not end with a newline and its last line does not parse, that line is dropped and
/// kept in `truncatedTail`. Any other malformed line is an error naming its line number, because
/// skipping it silently would make a report disagree with its log. Blank lines are ignored; lines
/// are kept in file order (a resumed run may repeat an epoch number).
public struct MetricsLog: Sendable, Equatable {
    public var epochs: [EpochRecord]
    /// The unparsable partial last line, if the file ended mid-line.
    public var truncatedTail: String?

    public init(epochs: [EpochRecord], truncatedTail: String? = nil) {
        self.epochs = epochs
        self.truncatedTail = truncatedTail
    }

    /// Reads and parses the file at `url`.
    public static func read(from url: URL) throws -> MetricsLog {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw MetricsLogError.unreadable(path: url.path, reason: error.localizedDescription)
        }
        return try parse(data)
    }

    /// Parses the contents of a metrics file.
    public static func parse(_ data: Data) throws -> MetricsLog {
        guard let text = String(data: data, encoding: .utf8) else {
            // A kill mid-way through a multi-byte character leaves invalid UTF-8 at the very end.
            return try parseRecoveringInvalidTail(data)
        }
        let endsWithNewline = text.hasSuffix("\n")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var epochs: [EpochRecord] = []
        let decoder = Self.decoder
        for (index, rawLine) in lines.enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !line.isEmpty else { continue }
            let isLastLine = index == lines.count - 1
            do {
                epochs.append(try decoder.decode(EpochRecord.self, from: Data(line.utf8)))
            } catch {
                if isLastLine && !endsWithNewline {
                    return MetricsLog(epochs: epochs, truncatedTail: line)
                }
                throw MetricsLogError.malformedLine(line: index + 1, reason: Self.describe(error))
            }
        }
        return MetricsLog(epochs: epochs)
    }

    /// One line decoded as an epoch, nil when it does not read as one.
    public static func epoch(fromLine line: Data) -> EpochRecord? {
        try? decoder.decode(EpochRecord.self, from: line)
    }

    /// Encodes one epoch as a metrics line (without the newline), in the format `parse` reads.
    /// Non-finite values are written as the strings "NaN", "Infinity", "-Infinity".
    public static func line(for metrics: EpochRecord) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return String(decoding: try encoder.encode(metrics), as: UTF8.self)
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.allowsJSON5 = true
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return decoder
    }

    private static func parseRecoveringInvalidTail(_ data: Data) throws -> MetricsLog {
        guard let lastNewline = data.lastIndex(of: UInt8(ascii: "\n")) else {
            return MetricsLog(epochs: [], truncatedTail: String(decoding: data, as: UTF8.self))
        }
        let head = data[data.startIndex...lastNewline]
        guard String(data: head, encoding: .utf8) != nil else {
            throw MetricsLogError.malformedLine(line: 0, reason: "file is not valid UTF-8")
        }
        var log = try parse(Data(head))
        log.truncatedTail = String(decoding: data[(lastNewline + 1)...], as: UTF8.self)
        return log
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "missing key \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "wrong type at \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\""
        case DecodingError.dataCorrupted(let context): "invalid JSON (\(context.debugDescription))"
        default: "\(error)"
        }
    }
}
