import Checkpoints
import Foundation

/// What an evaluation of labelled covers from outside the catalog (`evaluate --images`) scored and
/// left out, recorded with its `EvaluationRecord`.
public struct ExternalSet: Codable, Sendable, Equatable {
    /// The ImageFolder tree that was scored (an absolute path).
    public var folder: String
    /// Identifies the labelled covers: see `fingerprint(of:)`.
    public var fingerprint: String
    /// Folder genres scored as one of the model's genres (`--relabel FOLDER=GENRE`).
    public var relabelled: [String: String]
    /// Whether covers the model had seen were looked for (false with `--skip-seen-check`).
    public var seenChecked: Bool
    /// Perceptual-hash distance (bits of 64) under which a cover counted as seen.
    public var nearDuplicateDistance: Int
    /// Covers left out because the model trained or was chosen on them, or on a near copy.
    public var seen: [SeenCovers.Match]
    /// Covers left out because their genre is not one of the model's.
    public var unknownGenre: [String]

    public init(folder: String, fingerprint: String, relabelled: [String: String], seenChecked: Bool, nearDuplicateDistance: Int, seen: [SeenCovers.Match], unknownGenre: [String]) {
        self.folder = folder
        self.fingerprint = fingerprint
        self.relabelled = relabelled
        self.seenChecked = seenChecked
        self.nearDuplicateDistance = nearDuplicateDistance
        self.seen = seen
        self.unknownGenre = unknownGenre
    }

    /// Covers found but not scored (unreadable ones aside, which the record lists as `skipped`).
    public var leftOut: Int { seen.count + unknownGenre.count }

    /// SHA-256 (hex) of the sorted lines `<genre> <sha256 of the file>`: the same covers with the
    /// same labels give the same fingerprint wherever they are, so they are scored once.
    public static func fingerprint(of labelledFiles: [(genre: String, sha256: String)]) -> String {
        let lines = labelledFiles.map { "\($0.genre) \($0.sha256)\n" }.sorted().joined()
        return SHA256.hex(Data(lines.utf8))
    }
}
