/// Value types the catalog reads and writes. All are plain `Sendable` structs; SQL stays inside
/// the `Catalog` target.

/// A dataset split.
public enum Split: String, Sendable, Codable, CaseIterable {
    case train, val, test
}

/// One entry of a parsed chart week, ready to store.
public struct ChartEntryRecord: Sendable, Equatable {
    public var rank: Int
    public var title: String
    public var artist: String
    /// Normalised `(title, primary artist)` key that identifies the album across charts and weeks.
    public var albumKey: String
    public var normalizedTitle: String
    public var normalizedArtist: String
    public var isCompilation: Bool
    public var imageURL: String?
    public var lastPosition: Int?
    public var peakPosition: Int?
    public var weeksOnChart: Int?

    public init(
        rank: Int, title: String, artist: String, albumKey: String, normalizedTitle: String,
        normalizedArtist: String, isCompilation: Bool, imageURL: String?, lastPosition: Int?,
        peakPosition: Int?, weeksOnChart: Int?
    ) {
        self.rank = rank
        self.title = title
        self.artist = artist
        self.albumKey = albumKey
        self.normalizedTitle = normalizedTitle
        self.normalizedArtist = normalizedArtist
        self.isCompilation = isCompilation
        self.imageURL = imageURL
        self.lastPosition = lastPosition
        self.peakPosition = peakPosition
        self.weeksOnChart = weeksOnChart
    }
}

/// An album that still needs a cover lookup.
public struct AlbumReference: Sendable, Equatable {
    public var id: Int64
    public var title: String
    public var artist: String
    public var isCompilation: Bool
}

/// A cover that was downloaded, verified and stored in the covers directory.
public struct CoverRecord: Sendable, Equatable {
    public var source: String
    public var sourceID: String?
    public var url: String
    /// File name inside the covers directory: `<sha256>.<jpg|png>`.
    public var fileName: String
    public var sha256: String
    public var width: Int
    public var height: Int
    /// `jpeg` or `png`.
    public var format: String
    public var byteCount: Int

    public init(
        source: String, sourceID: String?, url: String, fileName: String, sha256: String, width: Int,
        height: Int, format: String, byteCount: Int
    ) {
        self.source = source
        self.sourceID = sourceID
        self.url = url
        self.fileName = fileName
        self.sha256 = sha256
        self.width = width
        self.height = height
        self.format = format
        self.byteCount = byteCount
    }
}

/// A labelled image for training: one album, its genre(s) and its cover file.
public struct LabelledImage: Sendable, Equatable, Codable {
    public var albumID: Int64
    public var artist: String
    public var title: String
    /// The single genre label. For multi-genre albums included as multi-label, the first genre
    /// in alphabetical order; `genres` holds all of them.
    public var genre: String
    /// All genres of the album, sorted. One element for single-genre albums.
    public var genres: [String]
    /// Absolute path of the image file.
    public var filePath: String
    public var sha256: String
    public var width: Int
    public var height: Int
    /// The recorded split, or nil when none was recorded.
    public var split: Split?

    public init(
        albumID: Int64, artist: String, title: String, genre: String, genres: [String], filePath: String, sha256: String, width: Int, height: Int,
        split: Split?
    ) {
        self.albumID = albumID
        self.artist = artist
        self.title = title
        self.genre = genre
        self.genres = genres
        self.filePath = filePath
        self.sha256 = sha256
        self.width = width
        self.height = height
        self.split = split
    }
}

/// What `labelledImages` does with albums that appear on more than one genre chart.
public enum MultiGenrePolicy: Sendable {
    /// Leave them out (the study's choice: single-genre datasets).
    case exclude
    /// Keep them, with every genre in `LabelledImage.genres`.
    case includeAsMultiLabel
}

/// A transient failure recorded for a retry by the next run.
public struct FailureRecord: Sendable, Equatable, Codable {
    public var stage: String
    public var subject: String
    public var message: String
    public var attempts: Int
}

/// Catalog-wide counts for `albumgenre catalog`.
public struct CatalogStatistics: Sendable, Equatable, Codable {
    public struct GenreCount: Sendable, Equatable, Codable {
        public var genre: String
        /// Albums that appear on this genre's chart(s) only.
        public var singleGenreAlbums: Int
        /// Single-genre albums with a stored cover.
        public var singleGenreWithCover: Int
        /// Albums on this genre's chart that also appear on another genre's chart.
        public var multiGenreAlbums: Int
        /// Images imported from an ImageFolder dataset with this label.
        public var importedImages: Int
    }
    public struct ChartCount: Sendable, Equatable, Codable {
        public var slug: String
        public var genre: String
        public var weeks: Int
        public var firstWeek: String?
        public var lastWeek: String?
        public var appearances: Int
    }
    public var charts: [ChartCount]
    public var genres: [GenreCount]
    public var albums: Int
    public var multiGenreAlbums: Int
    /// Albums on exactly two, three, … genre charts: key = number of genres.
    public var albumsByGenreCount: [String: Int]
    public var coversFound: Int
    public var coversMissing: Int
    public var coversPending: Int
    public var failures: Int
    public var importedImages: Int
    public var splits: [String: Int]
}
