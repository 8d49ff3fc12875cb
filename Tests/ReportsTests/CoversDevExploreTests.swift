import Foundation
import TestSupport
import Testing

@testable import Reports

/// An explore report over the real covers-dev set (copyrighted: read in place, copied only into a
/// temporary report folder that is deleted afterwards). Skips when the data set is absent.
enum CoversDev {
    /// `<repo>/../shared/datasets/covers-dev`, located from this file's path.
    static let root: URL? = {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let url = repository.deletingLastPathComponent().appendingPathComponent("shared/datasets/covers-dev")
        return FileManager.default.fileExists(atPath: url.appendingPathComponent("manifest.csv").path) ? url : nil
    }()
}

@Suite(.enabled(if: CoversDev.root != nil, "shared/datasets/covers-dev is absent"))
struct CoversDevExploreTests {
    struct Row {
        var path: String
        var genre: String
        var width: Int
        var height: Int
        var group: String
    }

    static func manifest(_ root: URL) throws -> [Row] {
        let text = try String(contentsOf: root.appendingPathComponent("manifest.csv"), encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).dropFirst().compactMap { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 6, let width = Int(fields[3]), let height = Int(fields[4]) else { return nil }
            return Row(path: fields[0], genre: fields[1], width: width, height: height, group: fields[5])
        }
    }

    @Test func exploreReportOfCoversDev() async throws {
        let root = try #require(CoversDev.root)
        let rows = try Self.manifest(root)
        try #require(rows.count > 4000)
        let genres = Array(Set(rows.map(\.genre))).sorted()
        let widths = rows.map(\.width).sorted(), heights = rows.map(\.height).sorted()
        var sizeCounts: [String: (Int, Int, Int)] = [:]
        for row in rows { sizeCounts["\(row.width)x\(row.height)", default: (row.width, row.height, 0)].2 += 1 }
        let groups = Dictionary(grouping: rows, by: \.group).values.filter { $0.count > 1 }.prefix(3)
        let report = ExploreReport(
            datasetName: "covers-dev",
            albumsPerGenre: genres.map { genre in .init(genre: genre, count: rows.filter { $0.genre == genre }.count) },
            imageSizes: .init(
                imageCount: rows.count, unreadableCount: 0, nonSquareCount: rows.filter { $0.width != $0.height }.count,
                minimumWidth: widths.first ?? 0, minimumHeight: heights.first ?? 0,
                medianWidth: widths[widths.count / 2], medianHeight: heights[heights.count / 2],
                maximumWidth: widths.last ?? 0, maximumHeight: heights.last ?? 0,
                commonSizes: sizeCounts.values.sorted { $0.2 > $1.2 }.prefix(5).map { .init(width: $0.0, height: $0.1, count: $0.2) }),
            duplicateClusters: groups.map { .init(imagePaths: $0.map(\.path), genres: $0.map(\.genre)) },
            contactSheets: genres.map { genre in
                .init(genre: genre, imagePaths: rows.filter { $0.genre == genre }.map(\.path).sorted().prefix(12).map { $0 })
            })

        let directory = try TemporaryDirectory("covers-dev-explore")
        defer { directory.remove() }
        let written = try ReportWriter(missingImages: .fail, imageBaseDirectory: root)
            .write(report.document(), to: directory.url.appendingPathComponent("explore"))
        #expect(written.missingImages.isEmpty)
        #expect(written.assetPaths.count >= genres.count * 12)
        #expect(written.assetPaths.allSatisfy { $0.hasSuffix(".jpg") })
        let html = try String(contentsOf: written.indexFile, encoding: .utf8)
        #expect(XMLCollector.wellFormednessError(html) == nil)
        // Unknown genres (pop, electronic, hiphop) get distinct colours alongside rock and country.
        let palette = Palette(classNames: genres)
        #expect(Set(genres.map(palette.colour(for:))).count == genres.count)

        if let chromium = HeadlessChromium.installed {
            let shot = directory.url.appendingPathComponent("explore.png")
            let run = try await chromium.run(page: written.indexFile, screenshot: shot)
            #expect(!run.timedOut)
            #expect(run.consoleLines.isEmpty, "\(run.consoleLines)")
            #expect(PNGInfo.size(of: try Data(contentsOf: shot)) != nil)
        }
    }
}
