import Foundation
import GRDB
import Testing

@testable import Catalog

/// Builds a chart entry whose album key is given explicitly (normalisation is DataCollection's job).
func entry(_ rank: Int, _ title: String, _ artist: String, key: String? = nil) -> ChartEntryRecord {
    ChartEntryRecord(
        rank: rank, title: title, artist: artist, albumKey: key ?? "\(title.lowercased())|\(artist.lowercased())",
        normalizedTitle: title.lowercased(), normalizedArtist: artist.lowercased(), isCompilation: false,
        imageURL: nil, lastPosition: nil, peakPosition: rank, weeksOnChart: 1)
}

func cover(_ digest: String) -> CoverRecord {
    CoverRecord(
        source: "spotify", sourceID: "id", url: "http://x/\(digest)", fileName: "\(digest).jpg", sha256: digest,
        width: 300, height: 300, format: "jpeg", byteCount: 1000)
}

func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

struct CatalogTests {
    /// rock: A, B; country: B, C; holiday: D. B is multi-genre.
    func sampleCatalog() throws -> Catalog {
        let catalog = try Catalog.inMemory()
        try catalog.registerCharts([("rock-albums", "rock"), ("country-albums", "country"), ("holiday-albums", "holiday")])
        try catalog.recordChartWeek(
            slug: "rock-albums", title: "Top Rock Albums", requestedDate: "2010-01-01",
            chartDate: "2010-01-02", entries: [entry(1, "A", "X"), entry(2, "B", "Y")])
        try catalog.recordChartWeek(
            slug: "rock-albums", title: nil, requestedDate: "2010-01-09",
            chartDate: "2010-01-09", entries: [entry(1, "B", "Y"), entry(2, "A", "X")])
        try catalog.recordChartWeek(
            slug: "country-albums", title: nil, requestedDate: "2010-01-01",
            chartDate: "2010-01-02", entries: [entry(1, "B", "Y"), entry(2, "C", "Z")])
        try catalog.recordChartWeek(
            slug: "holiday-albums", title: nil, requestedDate: "2010-01-01",
            chartDate: "2010-10-09", entries: [entry(1, "D", "W")])
        return catalog
    }

    @Test func storesWeeksAlbumsAndAppearancesOnce() throws {
        let catalog = try sampleCatalog()
        // Another requested date that rounds to a stored week records only the request.
        try catalog.recordChartWeek(
            slug: "holiday-albums", title: nil, requestedDate: "2010-01-08",
            chartDate: "2010-10-09", entries: [entry(1, "D", "W")])
        #expect(try catalog.chartRequest(slug: "holiday-albums", requestedDate: "2010-01-08") == .found(chartDate: "2010-10-09"))
        #expect(try catalog.chartRequest(slug: "holiday-albums", requestedDate: "2010-01-15") == nil)
        let statistics = try catalog.statistics()
        #expect(statistics.albums == 4)
        #expect(statistics.multiGenreAlbums == 1)
        #expect(statistics.albumsByGenreCount == ["1": 3, "2": 1])
        #expect(statistics.charts.map(\.weeks) == [1, 1, 2])  // country, holiday, rock (sorted by slug)
        #expect(statistics.charts.first { $0.slug == "rock-albums" }?.appearances == 4)
        let rock = try #require(statistics.genres.first { $0.genre == "rock" })
        #expect(rock.singleGenreAlbums == 1)
        #expect(rock.multiGenreAlbums == 1)
        #expect(statistics.coversPending == 4)
    }

    @Test func singleGenreDatasetsLeaveMultiGenreAlbumsOut() throws {
        let catalog = try sampleCatalog()
        for (index, album) in try catalog.albumsNeedingCovers().enumerated() {
            try catalog.recordCover(albumID: album.id, cover(String(repeating: "\(index)", count: 64)))
        }
        let single = try catalog.labelledImages()
        #expect(single.map(\.title) == ["A", "C", "D"])
        #expect(single.map(\.genre) == ["rock", "country", "holiday"])
        let multi = try catalog.labelledImages(multiGenre: .includeAsMultiLabel)
        #expect(multi.map(\.title) == ["A", "B", "C", "D"])
        #expect(multi[1].genres == ["country", "rock"])
        #expect(try catalog.albumsNeedingCovers().isEmpty)
        #expect(try catalog.statistics().coversFound == 4)
    }

    @Test func recordsSplitsAndRejectsUnknownAlbums() throws {
        let catalog = try sampleCatalog()
        let ids = try catalog.albumsNeedingCovers().map(\.id)
        try catalog.recordSplits([ids[0]: .train, ids[1]: .val, ids[2]: .test])
        #expect(try catalog.splits() == [ids[0]: .train, ids[1]: .val, ids[2]: .test])
        #expect(throws: CatalogError.self) { try catalog.recordSplits([9999: .train]) }
        // The failed transaction left the earlier splits untouched.
        #expect(try catalog.splits().count == 3)
        #expect(try catalog.statistics().splits == ["train": 1, "val": 1, "test": 1])
    }

    @Test func importsImageFolderImagesWithGroupsAndSplits() throws {
        let catalog = try Catalog.inMemory()
        let images = [
            Catalog.ImportedImage(
                genre: "rock", filePath: "/d/train/rock/a.jpg", sha256: "aa", width: 300, height: 300,
                split: .train, artist: "", title: "a", group: "release:1"),
            Catalog.ImportedImage(
                genre: "rock", filePath: "/d/train/rock/b.jpg", sha256: "bb", width: 300, height: 300,
                split: .train, artist: "", title: "b", group: "release:1"),
            Catalog.ImportedImage(
                genre: "pop", filePath: "/d/test/pop/c.png", sha256: "cc", width: 64, height: 64,
                split: .test, artist: "P", title: "c"),
        ]
        #expect(try catalog.importImages(images) == 3)
        #expect(try catalog.importImages(images) == 0)  // idempotent
        let labelled = try catalog.labelledImages()
        #expect(labelled.map(\.filePath) == ["/d/train/rock/a.jpg", "/d/train/rock/b.jpg", "/d/test/pop/c.png"])
        #expect(labelled[0].albumID == labelled[1].albumID)  // one group, one album: splits never separate it
        #expect(labelled.map(\.split) == [.train, .train, .test])
        let statistics = try catalog.statistics()
        #expect(statistics.importedImages == 3)
        #expect(statistics.albums == 0)  // imports are not collected albums
        #expect(statistics.genres.map(\.importedImages) == [1, 2])
    }

    @Test func failuresAreCountedAndClearedBySuccess() throws {
        let catalog = try sampleCatalog()
        try catalog.recordFailure(stage: "chart", subject: "rock-albums/2010-01-16", message: "HTTP 503")
        try catalog.recordFailure(stage: "chart", subject: "rock-albums/2010-01-16", message: "HTTP 503")
        #expect(try catalog.failures() == [FailureRecord(stage: "chart", subject: "rock-albums/2010-01-16", message: "HTTP 503", attempts: 2)])
        try catalog.recordAbsentChart(slug: "rock-albums", requestedDate: "2010-01-16")
        #expect(try catalog.failures().isEmpty)
        #expect(try catalog.chartRequest(slug: "rock-albums", requestedDate: "2010-01-16") == .absent)
    }

    @Test func reopensAFileAndRefusesNewerSchemas() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("sub/c.sqlite").path
        do {
            let catalog = try Catalog(path: path)
            try catalog.registerCharts([("rock-albums", "rock")])
            try catalog.setCoversDirectory(directory.appendingPathComponent("covers").path)
        }
        let reopened = try Catalog(path: path)
        #expect(try reopened.statistics().charts.map(\.slug) == ["rock-albums"])
        #expect(try reopened.coversDirectory() == directory.appendingPathComponent("covers").standardizedFileURL.path)
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations(identifier) VALUES ('v99-from-the-future')") }
        #expect(throws: CatalogError.self) { try Catalog(path: path) }
    }

    @Test func refusesFilesThatAreNotCatalogs() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("not.sqlite").path
        try Data("this is not sqlite, just text that is long enough to look like a header".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: CatalogError.self) { try Catalog(path: path) }
    }

    @Test func contentDumpsDifferWhenRowsDiffer() throws {
        let a = try sampleCatalog(), b = try sampleCatalog()
        #expect(try a.contentDump() == b.contentDump())
        try b.recordMissingCover(albumID: 1)
        #expect(try a.contentDump() != b.contentDump())
    }
}
