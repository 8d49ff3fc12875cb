import Foundation

/// A file that could not be written, with the path and the operating system's reason.
public struct AtomicFileError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let reason: String

    public var description: String { "cannot write \(path): \(reason)" }
}

/// Crash-safe file writes, shared by every target that writes files something depends on (weights,
/// checkpoints, run records, the feature cache, ensembles, downloaded covers, reports, images).
///
/// The file is written beside its destination under a hidden temporary name, synced, then renamed
/// over the destination, and the folder is synced. rename(2) is atomic within one file system, so readers,
/// and a machine that loses power, see the old file or the new one, never a partial one.
public enum AtomicFile {
    /// Writes `data` to `url` atomically, creating the folder if needed.
    public static func write(_ data: Data, to url: URL) throws(AtomicFileError) {
        try replace(url) { temporary in
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
                throw AtomicFileError(path: temporary.path, reason: "cannot create a temporary file: \(String(cString: strerror(errno)))")
            }
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try handle.write(contentsOf: data)
            try handle.synchronize()
        }
    }

    /// Copies the file at `source` to `url` atomically, creating the folder if needed.
    public static func copy(_ source: URL, to url: URL) throws(AtomicFileError) {
        try replace(url) { temporary in
            try FileManager.default.copyItem(at: source, to: temporary)
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try handle.synchronize()
        }
    }

    /// Appends `data` and syncs it (a kill loses at most the bytes being written; readers of
    /// line-oriented files skip a truncated last line).
    public static func append(_ data: Data, to url: URL) throws(AtomicFileError) {
        do {
            if !FileManager.default.fileExists(atPath: url.path) {
                // A failure here surfaces as FileHandle's error just below, with the path.
                _ = FileManager.default.createFile(atPath: url.path, contents: nil)
            }
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: data)
            try handle.synchronize()
        } catch {
            throw AtomicFileError(path: url.path, reason: (error as NSError).localizedDescription)
        }
    }

    /// Flushes a folder's entries to disk, so that a rename in it survives a power loss too (the file's
    /// own sync does not cover its directory entry). Best effort: some file systems refuse fsync on a
    /// directory, and the rename has happened either way.
    static func syncDirectory(_ directory: URL) {
        let descriptor = open(directory.path, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    /// Lets `fill` write a temporary file beside `url`, then renames it over `url`; the temporary
    /// file is removed on any failure.
    private static func replace(_ url: URL, fill: (URL) throws -> Void) throws(AtomicFileError) {
        let directory = url.deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try fill(temporary)
            if rename(temporary.path, url.path) != 0 {
                throw AtomicFileError(path: url.path, reason: "rename failed: \(String(cString: strerror(errno)))")
            }
            syncDirectory(directory)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error as? AtomicFileError ?? AtomicFileError(path: url.path, reason: (error as NSError).localizedDescription)
        }
    }
}
