import Foundation
import Testing

@testable import AtomicFiles

/// Crash-safe writes: the destination holds the old bytes or the new ones, and nothing is left behind.
struct AtomicFileTests {
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-file-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func entries(_ folder: URL) -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted() }

    @Test func writeCreatesTheFolderAndReplacesTheFileLeavingNoTemporaryFile() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("nested/record.json")
        try AtomicFile.write(Data("old".utf8), to: url)
        try AtomicFile.write(Data("new".utf8), to: url)
        #expect(try Data(contentsOf: url) == Data("new".utf8))
        #expect(Self.entries(url.deletingLastPathComponent()) == ["record.json"])
    }

    @Test func aFailedWriteKeepsTheOldFileAndSaysWhere() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A folder where the file should be: rename(2) cannot replace a non-empty directory by a file
        // (and root, which CI runs as, ignores permissions, so they cannot make a write fail).
        let blocked = folder.appendingPathComponent("blocked")
        try FileManager.default.createDirectory(at: blocked.appendingPathComponent("inside"), withIntermediateDirectories: true)
        let error = #expect(throws: AtomicFileError.self) { try AtomicFile.write(Data("new".utf8), to: blocked) }
        #expect(error?.path == blocked.path && error?.description.contains("rename failed") == true, "\(String(describing: error))")
        #expect(Self.entries(folder) == ["blocked"], "the temporary file is removed")
        #expect(Self.entries(blocked) == ["inside"])
    }

    @Test func copyReplacesAtomicallyAndAMissingSourceChangesNothing() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = folder.appendingPathComponent("source.bin"), target = folder.appendingPathComponent("copies/target.bin")
        try Data([1, 2, 3]).write(to: source)
        try AtomicFile.copy(source, to: target)
        #expect(try Data(contentsOf: target) == Data([1, 2, 3]))
        #expect(throws: AtomicFileError.self) { try AtomicFile.copy(folder.appendingPathComponent("missing.bin"), to: target) }
        #expect(try Data(contentsOf: target) == Data([1, 2, 3]))
        #expect(Self.entries(target.deletingLastPathComponent()) == ["target.bin"])
    }

    @Test func appendAddsToTheEnd() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("metrics.jsonl")
        try AtomicFile.append(Data("a\n".utf8), to: url)
        try AtomicFile.append(Data("b\n".utf8), to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == "a\nb\n")
        #expect(throws: AtomicFileError.self) { try AtomicFile.append(Data("c".utf8), to: folder.appendingPathComponent("no/such/folder.jsonl")) }
    }
}
