import AtomicFiles
import Foundation

/// Stores verified cover bytes once, under a content-addressed name `<sha256>.<jpg|png>`, written
/// atomically (`AtomicFile`), so an interrupted download never leaves a partial cover.
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
        if !FileManager.default.fileExists(atPath: target.path) {
            do {
                try AtomicFile.write(Data(bytes), to: target)
            } catch {
                throw CollectorError.fileSystem(path: error.path, reason: error.reason)
            }
        }
        return (fileName, digest, info)
    }
}
