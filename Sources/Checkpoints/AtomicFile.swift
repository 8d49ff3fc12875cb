import Foundation

/// Crash-safe file writes, shared by every target that writes files a run depends on (weights,
/// checkpoints, run records, the feature cache, ensembles).
public enum AtomicFile {
    /// Writes `data` to a temporary file in the destination's folder (created if needed), syncs it,
    /// then renames it over `url`: readers, and a machine that loses power, see the old file or the
    /// new one, never a partial one.
    public static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
                throw CheckpointError.io(path: temporary.path, reason: "cannot create a temporary file: \(String(cString: strerror(errno)))")
            }
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            if rename(temporary.path, url.path) != 0 {
                throw CheckpointError.io(path: url.path, reason: "rename failed: \(String(cString: strerror(errno)))")
            }
        } catch let error as CheckpointError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw CheckpointError.io(path: url.path, reason: error.localizedDescription)
        }
    }

    /// Appends `data` and syncs it (a kill loses at most the bytes being written; readers of
    /// line-oriented files skip a truncated last line).
    public static func append(_ data: Data, to url: URL) throws {
        if !FileManager.default.fileExists(atPath: url.path) {
            // A failure here surfaces as FileHandle's error just below, with the path.
            _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: data)
        try handle.synchronize()
    }
}
