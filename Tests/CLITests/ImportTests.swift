import Catalog
import Testing

@testable import CLI

/// `albumgenre import`: what it tells about the labels it reads.
struct ImportTests {
    static func image(_ genre: String, _ file: String, group: String?) -> Catalog.ImportedImage {
        .init(
            genre: genre, filePath: "/covers/\(genre)/\(file)", sha256: file, width: 300, height: 300, split: nil, artist: "", title: file,
            group: group)
    }

    /// covers-dev files one Discogs release under pop and rock: such releases are named, with their genres.
    @Test func releasesFiledUnderSeveralGenresAreNamed() {
        let images = [
            Self.image("pop", "a.jpg", group: "discogs_release:1"), Self.image("rock", "a.jpg", group: "discogs_release:1"),
            Self.image("rock", "b.jpg", group: "discogs_release:2"), Self.image("rock", "b2.jpg", group: "discogs_release:2"),
            Self.image("jazz", "c.jpg", group: nil), Self.image("pop", "c.jpg", group: nil),
        ]
        #expect(AlbumGenreCommand.Import.releasesInSeveralGenres(images) == ["discogs_release:1": ["pop", "rock"]])
    }
}
