import Checkpoints
import Foundation
import RunArtifacts

extension ExternalSet {
    /// SHA-256 (hex) of the sorted lines `<genre> <sha256 of the file>`: the same covers with the
    /// same labels give the same fingerprint wherever they are, so they are scored once.
    public static func fingerprint(of labelledFiles: [(genre: String, sha256: String)]) -> String {
        let lines = labelledFiles.map { "\($0.genre) \($0.sha256)\n" }.sorted().joined()
        return SHA256Digest.hex(Data(lines.utf8))
    }
}
