import Catalog
import DataCollection
import Foundation
import Imaging
import ReportAssembly
import RunArtifacts
import SyntheticCovers
import Testing

/// The report of a run folder written by the code of commit b5782fc (the fixture of
/// RunArtifactsTests) is built from its files by today's code.
struct OldRunFolderReportTests {
    @Test func anOldRunFolderGetsItsReport() throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("RunArtifactsTests/Fixtures/run-b5782fc", isDirectory: true)
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("old-run-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: copy) }
        try FileManager.default.copyItem(at: fixture, to: copy)
        let index = try RunReporting.writeTrainingReport(run: RunDirectory(url: copy), gradCAM: false)
        let html = try String(contentsOfFile: index, encoding: .utf8)
        #expect(html.contains("Evaluation: validation") && html.contains("Evaluation: test"))
        #expect(html.contains("cover-net"))
    }
}

/// The explore page's statistics, computed from a catalog of synthetic covers.
struct ExploreStatisticsTests {
    @Test func everyGenreIsCountedSampledAndMeasured() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("explore-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let styles = Array(CoverStyle.allCases.prefix(3))
        let painter = CoverPainter(size: 96)
        var generator = SystemRandomNumberGenerator()
        for style in styles {
            let folder = root.appendingPathComponent("covers/\(style.rawValue)", isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for index in 0..<5 {
                let canvas = painter.paint(style, generator: &generator)
                try RGBImage(width: canvas.width, height: canvas.height, pixels: canvas.pixels)
                    .write(to: folder.appendingPathComponent("\(style.rawValue)-\(index).jpg"), jpegQuality: 90)
            }
        }
        let catalog = try Catalog(path: root.appendingPathComponent("covers.sqlite").path)
        _ = try catalog.importImages(try ImageFolder.scan(root.appendingPathComponent("covers").path))
        var builder = ExploreBuilder()
        builder.samplesPerGenre = 2
        var calls = 0
        let report = try builder.build(catalog: catalog, name: "synthetic", thumbnails: root.appendingPathComponent("thumbs")) { _, _ in calls += 1 }
        #expect(report.albumsPerGenre.map(\.genre) == styles.map(\.rawValue).sorted())
        #expect(report.albumsPerGenre.map(\.count) == [5, 5, 5])
        #expect(report.colourStats.count == styles.count && calls > 0)
        #expect(report.imageSizes?.imageCount == 15 && report.imageSizes?.unreadableCount == 0)
        let thumbnails = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("thumbs").path)
        #expect(thumbnails.count == 2 * styles.count)
    }
}
