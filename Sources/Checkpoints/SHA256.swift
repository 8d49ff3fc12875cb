import Crypto
import Foundation

/// SHA-256 digests in lower-case hex, for verifying downloaded weight files and fingerprinting
/// datasets: swift-crypto's SHA-256 (the project's one implementation; DataCollection hashes
/// covers with it too), with a file read in 1 MiB chunks.
public enum SHA256Digest {
    /// Lower-case hex digest of `data`.
    public static func hex(_ data: Data) -> String {
        Crypto.SHA256.hash(data: data).hexString
    }

    /// Lower-case hex digest of a file, read in 1 MiB chunks.
    public static func hex(fileAt url: URL) throws -> String {
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw CheckpointError.io(path: url.path, reason: "cannot open for reading")
        }
        defer { try? handle.close() }
        var hasher = Crypto.SHA256()
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: 1 << 20) ?? Data() } catch {
                throw CheckpointError.io(path: url.path, reason: error.localizedDescription)
            }
            if chunk.isEmpty { break }
            hasher.update(data: chunk)
        }
        return hasher.finalize().hexString
    }
}

extension Crypto.SHA256.Digest {
    /// The digest as 64 lower-case hex digits.
    public var hexString: String { map { String(format: "%02x", $0) }.joined() }
}
