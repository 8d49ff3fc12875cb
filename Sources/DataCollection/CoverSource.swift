/// Downloaded cover bytes and where they came from.
public struct CoverDownload: Sendable {
    public var source: String
    public var sourceID: String?
    public var url: String
    public var bytes: [UInt8]
}

/// A cover-art service. `fetchCover` returns nil when the service has no matching art (a final
/// answer) and throws for failures worth retrying in a later run.
public protocol CoverSource: Sendable {
    var name: String { get }
    func fetchCover(for album: AlbumQuery) async throws -> CoverDownload?
}

/// What a cover source is asked to find.
public struct AlbumQuery: Sendable, Equatable {
    public var title: String
    public var artist: String
    public var isCompilation: Bool

    public init(title: String, artist: String, isCompilation: Bool) {
        self.title = title
        self.artist = artist
        self.isCompilation = isCompilation
    }
}

/// The cover sources `--sources` accepts.
public enum CoverSourceKind: String, Sendable, CaseIterable, Codable {
    case spotify
    /// MusicBrainz release-group search + Cover Art Archive front image (no account needed).
    case coverArtArchive = "coverartarchive"
}

/// Scores a service's candidate against the Billboard album (data-sources.md §3, step 5):
/// accepted when the normalised title similarity is ≥ 0.85 and some candidate artist matches some
/// Billboard artist part at ≥ 0.9; compilations skip the artist check. Returns the title score.
public enum CoverMatcher {
    public static func score(candidateTitle: String, candidateArtists: [String], for album: AlbumQuery) -> Double? {
        let wanted = AlbumNormalizer.title(album.title)
        let offered = AlbumNormalizer.title(candidateTitle)
        let titleScore = AlbumNormalizer.similarity(wanted, offered)
        guard titleScore >= 0.85 else { return nil }
        if album.isCompilation { return titleScore }
        let wantedArtists = AlbumNormalizer.artistParts(album.artist) + [AlbumNormalizer.fold(album.artist)]
        let offeredArtists = candidateArtists.flatMap { AlbumNormalizer.artistParts($0) + [AlbumNormalizer.fold($0)] }
        let artistMatches = wantedArtists.contains { wanted in
            offeredArtists.contains { AlbumNormalizer.similarity(wanted, $0) >= 0.9 }
        }
        return artistMatches ? titleScore : nil
    }

    /// Whether the raw name carries an edition keyword (deluxe, remaster, …): used to prefer the
    /// standard edition among equally good candidates.
    public static func isSpecialEdition(_ name: String) -> Bool {
        AlbumNormalizer.strippingVariantSuffixes(name) != name.trimmingWhitespace()
    }
}
