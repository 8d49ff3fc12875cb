import Foundation

/// Writes files so that readers see either the old or the complete new content, never a partial one.
enum AtomicFile {
    /// Writes `data` to a temporary file in the destination's folder, then renames it over `url`.
    static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try data.write(to: temporary)
            if rename(temporary.path, url.path) != 0 {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: temporary)
                throw CheckpointError.io(path: url.path, reason: "rename failed: \(reason)")
            }
        } catch let error as CheckpointError {
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw CheckpointError.io(path: url.path, reason: error.localizedDescription)
        }
    }
}
