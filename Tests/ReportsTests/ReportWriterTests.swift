import Foundation
import TestSupport
import Testing

@testable import Reports

struct ReportWriterTests {
    private func document(images: [ImageSource]) -> ReportDocument {
        let tiles = images.enumerated().map { ImageGrid.Tile(image: $1, alt: "image \($0)", captionLines: ["caption \($0)"]) }
        return ReportDocument(title: "t", sections: [ReportSection(id: "s", title: "S", content: [ImageGrid(tiles: tiles).node])])
    }

    private func sources(_ html: String) throws -> [String] {
        try #require(XMLCollector.parse(html)).elements(named: "img").compactMap { $0.attributes["src"] }
    }

    @Test func copiesImagesIntoAssetsAndDeduplicates() throws {
        let directory = try TemporaryDirectory("writer-copy")
        defer { directory.remove() }
        let png = SyntheticImage.cover(seed: 1, colour: "#D55E00")
        let file = directory.url.appendingPathComponent("cover.png")
        try png.write(to: file)
        let folder = directory.url.appendingPathComponent("report")
        let written = try ReportWriter(missingImages: .placeholder).write(
            document(images: [.file(file.path), .data(png, name: "same bytes"), .file("cover-\(UUID().uuidString).png")]),
            to: folder)
        // The third, relative path resolves against the working directory (no base directory) and is missing.
        #expect(written.assetPaths.count == 1)
        let html = try String(contentsOf: written.indexFile, encoding: .utf8)
        let srcs = try sources(html)
        #expect(srcs.count == 2)
        #expect(Set(srcs).count == 1)
        let asset = folder.appendingPathComponent(try #require(srcs.first))
        #expect(try Data(contentsOf: asset) == png)
        #expect(asset.pathExtension == "png")
        #expect(written.missingImages.count == 1)
        #expect(html.contains("missing-image"))
    }

    @Test func resolvesRelativePathsAgainstBaseDirectory() throws {
        let directory = try TemporaryDirectory("writer-relative")
        defer { directory.remove() }
        let jpegLike = Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]) + Data(repeating: 7, count: 64)
        try FileManager.default.createDirectory(at: directory.url.appendingPathComponent("rock"), withIntermediateDirectories: true)
        try jpegLike.write(to: directory.url.appendingPathComponent("rock/a.jpg"))
        let writer = ReportWriter(missingImages: .fail, imageBaseDirectory: directory.url)
        let rendered = try writer.render(document(images: [.file("rock/a.jpg")]))
        #expect(rendered.assets.count == 1)
        #expect(rendered.assets.keys.first?.hasSuffix(".jpg") == true)
    }

    @Test func inlinesDataURIs() throws {
        let png = SyntheticImage.cover(seed: 2, colour: "#0072B2", size: 8)
        let rendered = try ReportWriter(imageEmbedding: .inlineDataURIs).render(document(images: [.data(png, name: "x")]))
        #expect(rendered.assets.isEmpty)
        let src = try #require(try sources(rendered.html).first)
        #expect(src == "data:image/png;base64," + png.base64EncodedString())
    }

    @Test func missingImagePolicy() throws {
        let missing = ImageSource.file("/nonexistent/\(UUID().uuidString).jpg")
        #expect(throws: ReportError.self) {
            try ReportWriter(missingImages: .fail).render(document(images: [missing]))
        }
        let rendered = try ReportWriter(missingImages: .placeholder).render(document(images: [missing]))
        #expect(rendered.missingImages.count == 1)
        #expect(try sources(rendered.html).isEmpty)
        #expect(rendered.html.contains("image missing"))
    }

    @Test func rejectsNonImageBytes() {
        let text = ImageSource.data(Data("<svg onload=alert(1)>".utf8), name: "evil.svg")
        #expect(throws: ReportError.unsupportedImage(name: "evil.svg")) {
            try ReportWriter(missingImages: .fail).render(document(images: [text]))
        }
    }

    @Test func sniffsFormats() {
        #expect(ImageFormat(sniffing: SyntheticImage.cover(seed: 3, colour: "#000000", size: 4)) == .png)
        #expect(ImageFormat(sniffing: Data([0xFF, 0xD8, 0xFF, 0xDB])) == .jpeg)
        #expect(ImageFormat(sniffing: Data("GIF89a".utf8)) == .gif)
        #expect(ImageFormat(sniffing: Data("RIFF\0\0\0\0WEBPVP8 ".utf8)) == .webp)
        #expect(ImageFormat(sniffing: Data("hello".utf8)) == nil)
        #expect(ImageFormat(sniffing: Data()) == nil)
    }

    @Test func rewritesAtomicallyAndPrunesStaleAssets() throws {
        let directory = try TemporaryDirectory("writer-rewrite")
        defer { directory.remove() }
        let folder = directory.url.appendingPathComponent("report")
        let first = SyntheticImage.cover(seed: 4, colour: "#009E73", size: 16)
        let second = SyntheticImage.cover(seed: 5, colour: "#CC79A7", size: 16)
        let writer = ReportWriter(missingImages: .fail)
        let a = try writer.write(document(images: [.data(first, name: "a")]), to: folder)
        let b = try writer.write(document(images: [.data(second, name: "b")]), to: folder)
        #expect(a.assetPaths != b.assetPaths)
        let assets = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("assets").path)
        #expect(assets == b.assetPaths.map { ($0 as NSString).lastPathComponent })
        // No temporary files are left behind.
        let all = try FileManager.default.subpathsOfDirectory(atPath: folder.path)
        #expect(!all.contains { $0.hasSuffix(".tmp") })
        #expect(try String(contentsOf: b.indexFile, encoding: .utf8).contains(b.assetPaths[0]))
    }

    @Test func unwritableFolderIsATypedError() throws {
        let directory = try TemporaryDirectory("writer-unwritable")
        defer { directory.remove() }
        let blocker = directory.url.appendingPathComponent("file")
        try Data("x".utf8).write(to: blocker)
        // A regular file where the report folder should be.
        #expect(throws: ReportError.self) {
            try ReportWriter().write(ReportDocument(title: "t", sections: []), to: blocker.appendingPathComponent("report"))
        }
    }

    @Test func pageIsWellFormedAndOffline() throws {
        let rendered = try ReportWriter().render(ReportFixtures.sampleComparisonReport().document())
        #expect(XMLCollector.wellFormednessError(rendered.html) == nil)
        #expect(rendered.html.contains("Content-Security-Policy"))
        let parsed = try #require(XMLCollector.parse(rendered.html))
        let policy = parsed.elements.first { $0.attributes["http-equiv"] == "Content-Security-Policy" }?.attributes["content"]
        #expect(policy?.hasPrefix("default-src 'none';") == true)
        #expect(!rendered.html.contains("<script"))
        #expect(!rendered.html.contains("<link"))
        #expect(!rendered.html.contains("@import"))
        #expect(!rendered.html.contains("url("))
    }

    @Test func tableCellsAlignNumbersAndCarryExactValues() throws {
        let table = DataTable(
            columns: [.init("name"), .init("value", numeric: true, key: "v"), .init("missing", numeric: true)],
            rows: [.init([.text("a & b"), .number(0.1 + 0.2, decimals: 2), .empty])])
        let rendered = try ReportWriter().render(ReportDocument(title: "t", sections: [.init(id: "s", title: "s", content: [table.node])]))
        let parsed = try #require(XMLCollector.parse(rendered.html))
        let cell = try #require(parsed.elements.first { $0.attributes["data-key"] == "v" })
        #expect(cell.attributes["class"] == "num")
        #expect(cell.text == "0.30")
        #expect(Double(cell.attributes["data-value"] ?? "") == 0.1 + 0.2)
        let header = try #require(parsed.elements.first { $0.name == "th" && $0.attributes["scope"] == "row" })
        #expect(header.text == "a & b")
        #expect(parsed.elements.contains { $0.name == "td" && $0.attributes["class"] == "num" && $0.text == "–" })
    }
}
