import Foundation

/// Stores verified cover bytes once, under a content-addressed name `<sha256>.<jpg|png>`, written
/// to a temporary file in the same directory and renamed into place (atomic on POSIX), so an
/// interrupted download never leaves a partial cover.
public struct CoverStore: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// Verifies the bytes (magic bytes + header dimensions), stores them if not present, and
    /// returns what the catalog records.
    public func store(_ bytes: [UInt8], url: String) throws -> (fileName: String, sha256: String, info: ImageInfo) {
        let info: ImageInfo
        do {
            info = try ImageInspector.inspect(bytes)
        } catch {
            throw CollectorError.invalidImage(url: url, reason: error.description)
        }
        let digest = ImageInspector.sha256Hex(bytes)
        let fileName = "\(digest).\(info.fileExtension)"
        let target = URL(fileURLWithPath: directory).appendingPathComponent(fileName)
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            if !manager.fileExists(atPath: target.path) {
                let temporary = URL(fileURLWithPath: directory)
                    .appendingPathComponent(".\(fileName).\(UUID().uuidString).partial")
                try Data(bytes).write(to: temporary)
                if rename(temporary.path, target.path) != 0 {
                    let reason = String(cString: strerror(errno))
                    try? manager.removeItem(at: temporary)
                    throw CollectorError.fileSystem(path: target.path, reason: reason)
                }
            }
        } catch let error as CollectorError {
            throw error
        } catch {
            throw CollectorError.fileSystem(path: target.path, reason: error.localizedDescription)
        }
        return (fileName, digest, info)
    }
}
