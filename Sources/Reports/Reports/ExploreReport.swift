/// What the dataset looks like before any training: genre balance, years, chart overlap, image
/// sizes, colour statistics, duplicate covers and a contact sheet per genre. Plain data computed
/// by the catalog/imaging code; this type only presents it.
public struct ExploreReport: Codable, Sendable {
    /// A count of albums for one genre.
    public struct GenreCount: Codable, Sendable, Equatable {
        public var genre: String
        public var count: Int
        public init(genre: String, count: Int) {
            self.genre = genre
            self.count = count
        }
    }

    /// Albums of one genre in one (chart) year.
    public struct YearGenreCount: Codable, Sendable, Equatable {
        public var year: Int
        public var genre: String
        public var count: Int
        public init(year: Int, genre: String, count: Int) {
            self.year = year
            self.genre = genre
            self.count = count
        }
    }

    /// Albums that appeared on more than one genre chart (the original study dropped them).
    public struct ChartOverlap: Codable, Sendable, Equatable {
        public struct Pair: Codable, Sendable, Equatable {
            public var first: String
            public var second: String
            public var count: Int
            public init(first: String, second: String, count: Int) {
                self.first = first
                self.second = second
                self.count = count
            }
        }
        public var albumsOnTwoCharts: Int
        public var albumsOnThreeOrMoreCharts: Int
        /// Pairs of charts sharing albums (an album on three charts counts in three pairs).
        public var pairs: [Pair]
        public init(albumsOnTwoCharts: Int, albumsOnThreeOrMoreCharts: Int, pairs: [Pair]) {
            self.albumsOnTwoCharts = albumsOnTwoCharts
            self.albumsOnThreeOrMoreCharts = albumsOnThreeOrMoreCharts
            self.pairs = pairs
        }
    }

    /// Pixel sizes of the images.
    public struct ImageSizeStats: Codable, Sendable, Equatable {
        public struct SizeCount: Codable, Sendable, Equatable {
            public var width: Int
            public var height: Int
            public var count: Int
            public init(width: Int, height: Int, count: Int) {
                self.width = width
                self.height = height
                self.count = count
            }
        }
        public var imageCount: Int
        public var unreadableCount: Int
        public var nonSquareCount: Int
        public var minimumWidth: Int
        public var minimumHeight: Int
        public var medianWidth: Int
        public var medianHeight: Int
        public var maximumWidth: Int
        public var maximumHeight: Int
        /// Most frequent sizes, most frequent first.
        public var commonSizes: [SizeCount]
        public init(
            imageCount: Int, unreadableCount: Int, nonSquareCount: Int, minimumWidth: Int, minimumHeight: Int,
            medianWidth: Int, medianHeight: Int, maximumWidth: Int, maximumHeight: Int, commonSizes: [SizeCount]
        ) {
            self.imageCount = imageCount
            self.unreadableCount = unreadableCount
            self.nonSquareCount = nonSquareCount
            self.minimumWidth = minimumWidth
            self.minimumHeight = minimumHeight
            self.medianWidth = medianWidth
            self.medianHeight = medianHeight
            self.maximumWidth = maximumWidth
            self.maximumHeight = maximumHeight
            self.commonSizes = commonSizes
        }
    }

    /// Counts over equal-width bins of [lowerBound, upperBound].
    public struct BinnedHistogram: Codable, Sendable, Equatable {
        public var lowerBound: Double
        public var upperBound: Double
        public var counts: [Int]
        public init(lowerBound: Double, upperBound: Double, counts: [Int]) {
            self.lowerBound = lowerBound
            self.upperBound = upperBound
            self.counts = counts
        }
    }

    /// Pixel colour distributions of one genre's covers: hue in degrees [0, 360), saturation and
    /// brightness (HSV value) in [0, 1].
    public struct GenreColourStats: Codable, Sendable, Equatable {
        public var genre: String
        public var imageCount: Int
        public var hue: BinnedHistogram
        public var saturation: BinnedHistogram
        public var brightness: BinnedHistogram
        public init(genre: String, imageCount: Int, hue: BinnedHistogram, saturation: BinnedHistogram, brightness: BinnedHistogram) {
            self.genre = genre
            self.imageCount = imageCount
            self.hue = hue
            self.saturation = saturation
            self.brightness = brightness
        }
    }

    /// Images that are (near-)identical, e.g. by perceptual hash.
    public struct DuplicateCluster: Codable, Sendable, Equatable {
        public var imagePaths: [String]
        /// Genre label of each image, in the same order, if known (duplicates across genres are label noise).
        public var genres: [String]?
        public init(imagePaths: [String], genres: [String]? = nil) {
            self.imagePaths = imagePaths
            self.genres = genres
        }
    }

    /// Sample covers of one genre.
    public struct ContactSheet: Codable, Sendable, Equatable {
        public var genre: String
        public var imagePaths: [String]
        public init(genre: String, imagePaths: [String]) {
            self.genre = genre
            self.imagePaths = imagePaths
        }
    }

    public var datasetName: String
    public var albumsPerGenre: [GenreCount]
    public var albumsPerYear: [YearGenreCount]
    public var chartOverlap: ChartOverlap?
    public var imageSizes: ImageSizeStats?
    public var colourStats: [GenreColourStats]
    public var duplicateClusters: [DuplicateCluster]
    public var contactSheets: [ContactSheet]
    public var notes: [String]

    public init(
        datasetName: String, albumsPerGenre: [GenreCount], albumsPerYear: [YearGenreCount] = [],
        chartOverlap: ChartOverlap? = nil, imageSizes: ImageSizeStats? = nil, colourStats: [GenreColourStats] = [],
        duplicateClusters: [DuplicateCluster] = [], contactSheets: [ContactSheet] = [], notes: [String] = []
    ) {
        self.datasetName = datasetName
        self.albumsPerGenre = albumsPerGenre
        self.albumsPerYear = albumsPerYear
        self.chartOverlap = chartOverlap
        self.imageSizes = imageSizes
        self.colourStats = colourStats
        self.duplicateClusters = duplicateClusters
        self.contactSheets = contactSheets
        self.notes = notes
    }

    /// Genres in display order: by album count, largest first, then any genre only seen elsewhere.
    public var genres: [String] {
        var order = albumsPerGenre.sorted { $0.count != $1.count ? $0.count > $1.count : $0.genre < $1.genre }.map(\.genre)
        for genre in albumsPerYear.map(\.genre) + colourStats.map(\.genre) + contactSheets.map(\.genre) where !order.contains(genre) {
            order.append(genre)
        }
        return order
    }
}
