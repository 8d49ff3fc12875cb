import Catalog
import Foundation
import Testing

@testable import DataCollection
@testable import FakeServices

struct ImageFolderTests {
    func makeTree(_ layout: [String: [UInt8]]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("imagefolder-\(UUID().uuidString)")
        for (relative, bytes) in layout {
            let url = root.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        return root
    }

    func jpeg(_ label: String) -> [UInt8] { FakeImages.jpeg(width: 300, height: 300, red: 9, green: 9, blue: 9, label: label) }

    @Test func importsTheSplitLayoutKeepingSplits() throws {
        let root = try makeTree([
            "train/rock/a.jpg": jpeg("a"), "train/pop/b.png": FakeImages.png(width: 64, height: 32, red: 1, green: 1, blue: 1, label: "b"),
            "val/rock/c.jpg": jpeg("c"), "test/pop/d.jpg": jpeg("d"), "test/pop/notes.txt": Array("x".utf8),
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let images = try ImageFolder.scan(root.path)
        #expect(images.map(\.split) == [.test, .train, .train, .val])
        #expect(images.map(\.genre) == ["pop", "pop", "rock", "rock"])
        #expect(images[1].width == 64 && images[1].height == 32)
        #expect(images[0].sha256 == ImageInspector.sha256Hex(jpeg("d")))
        let catalog = try Catalog.inMemory()
        #expect(try catalog.importImages(images) == 4)
        #expect(try catalog.statistics().splits == ["train": 2, "val": 1, "test": 1])
    }

    /// Many ImageFolder datasets name the validation split `valid` or `validation`.
    @Test(arguments: ["valid", "validation", "Validation"])
    func theValidationFolderMayBeNamedOtherwise(_ name: String) throws {
        let root = try makeTree(["train/rock/a.jpg": jpeg("a"), "\(name)/rock/c.jpg": jpeg("c"), "test/pop/d.jpg": jpeg("d")])
        defer { try? FileManager.default.removeItem(at: root) }
        let images = try ImageFolder.scan(root.path)
        #expect(images.map(\.split).sorted { $0!.rawValue < $1!.rawValue } == [.test, .train, .val])
        #expect(images.first { $0.split == .val }?.genre == "rock")
        #expect(ImageFolder.split(namedBy: "validate") == nil && ImageFolder.split(namedBy: "TRAIN") == .train)
    }

    @Test func importsTheFlatLayoutWithAManifest() throws {
        let root = try makeTree([
            "country/x.jpg": jpeg("x"), "country/y.jpg": jpeg("y"), "jazz/z.jpg": jpeg("z"),
            "manifest.csv": Array(
                """
                path,genre,sha256,width,height,group_id
                country/x.jpg,country,ignored,300,300,discogs_release:1
                country/y.jpg,country,ignored,300,300,discogs_release:1
                jazz/z.jpg,jazz,ignored,300,300,discogs_release:2

                """.utf8),
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let images = try ImageFolder.scan(root.path)
        #expect(images.map(\.group) == ["discogs_release:1", "discogs_release:1", "discogs_release:2"])
        #expect(images.allSatisfy { $0.split == nil })
        let catalog = try Catalog.inMemory()
        try catalog.importImages(images)
        let labelled = try catalog.labelledImages()
        #expect(labelled[0].albumID == labelled[1].albumID)
        #expect(labelled[0].albumID != labelled[2].albumID)
    }

    @Test func rejectsEmptyTreesAndFakeImages() throws {
        let empty = try makeTree(["rock/readme.txt": Array("x".utf8)])
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect(throws: ImageFolder.Failure.self) { try ImageFolder.scan(empty.path) }
        let fake = try makeTree(["rock/a.jpg": Array("<html>not an image</html>".utf8)])
        defer { try? FileManager.default.removeItem(at: fake) }
        #expect(throws: ImageFolder.Failure.self) { try ImageFolder.scan(fake.path) }
        #expect(throws: ImageFolder.Failure.self) { try ImageFolder.scan("/nonexistent/albumgenre") }
    }

    @Test func exportsBySplitAndImportsTheExportBack() throws {
        let source = try makeTree(["train/rock/a.jpg": jpeg("a"), "val/rap/b.jpg": jpeg("b"), "test/rock/c.jpg": jpeg("c")])
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: source)
            try? FileManager.default.removeItem(at: output)
        }
        let catalog = try Catalog.inMemory()
        try catalog.importImages(try ImageFolder.scan(source.path))
        let labelled = try catalog.labelledImages()
        #expect(try ImageFolder.export(labelled, to: output.path, bySplit: true) == 3)
        let again = try ImageFolder.scan(output.path)
        #expect(again.map(\.sha256).sorted() == labelled.map(\.sha256).sorted())
        #expect(Set(again.map { "\($0.split!.rawValue)/\($0.genre)" }) == ["train/rock", "val/rap", "test/rock"])
        let manifest = try String(contentsOf: output.appendingPathComponent("manifest.csv"), encoding: .utf8)
        #expect(manifest.hasPrefix("path,genre,sha256,width,height,group_id,album_id,artist,title,split\n"))
        // Without splits recorded, --by-split is refused.
        let unsplit = labelled.map { image -> LabelledImage in
            var copy = image
            copy.split = nil
            return copy
        }
        #expect(throws: ImageFolder.Failure.self) { try ImageFolder.export(unsplit, to: output.path, bySplit: true) }
    }

    @Test func csvQuotesWhatNeedsQuoting() {
        let line = CSV.line(["plain", "a,b", "say \"hi\"", "two\nlines"])
        #expect(line == "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"")
        #expect(CSV.parse(line + "\n") == [["plain", "a,b", "say \"hi\"", "two\nlines"]])
    }

    /// Cells a spreadsheet would run as formulas are written as text, and read back unchanged.
    @Test func csvDefusesFormulas() {
        let cells = ["=HYPERLINK(\"http://x\",\"y\").jpg", "+cmd", "-rm", "@SUM(A1)", "\tTab", "-0.5", "+1", "'quoted", "a=b", "'=x", "''@y"]
        let line = CSV.line(cells)
        #expect(line.hasPrefix("\"'=HYPERLINK("))
        // Numbers stay numbers (-0.5, +1): a spreadsheet reads them as values, not formulas.
        #expect(line.contains(",'+cmd,'-rm,'@SUM(A1),'\tTab,-0.5,+1,'quoted,a=b"), "\(line)")
        #expect(CSV.parse(line) == [cells])
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: ImageFolderTests.coversDev)))
    func importsTheSharedDevelopmentDataset() throws {
        let images = try ImageFolder.scan(Self.coversDev)
        #expect(images.count == 4452)
        #expect(Set(images.map(\.genre)) == ["country", "electronic", "hiphop", "pop", "rock"])
        #expect(images.allSatisfy { $0.group?.hasPrefix("discogs_release:") == true })
    }

    static let coversDev = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/datasets/covers-dev").path
}
