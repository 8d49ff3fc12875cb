/// One chart week as read from a Billboard page.
public struct BillboardChart: Sendable, Equatable {
    /// Human-readable chart name from `og:title` (e.g. "Top Rap Albums"), when present.
    public var title: String?
    /// The chart date the page reports (`YYYY-MM-DD`): the key for the week, never the URL date.
    public var date: String
    public var entries: [BillboardEntry]
    /// Which markup template was recognised.
    public var template: BillboardTemplate
}

/// The page templates the parser understands.
public enum BillboardTemplate: String, Sendable, Equatable {
    /// 2018-07 → 2021-11 pages with a `<table>` and `div.chart-list-item` rows.
    case oldStyle2018
    /// 2019-09 → 2021-11 "new UI" pages with `li.chart-list__element` rows.
    case newUI2019
    /// pmc-billboard-2021 (2021-11 →): positional LW/PEAK/WEEKS cells.
    case positional2021
    /// 2025 refresh: LW/PEAK/WEEKS cells carry `span.c-span` labels.
    case labelled2025
}

/// One row of a chart. Field meanings follow billboard.py 7.1.0 (`ChartEntry`).
public struct BillboardEntry: Sendable, Equatable {
    public var rank: Int
    public var title: String
    public var artist: String
    /// Billboard's own thumbnail URL, nil when absent or the lazy-load fallback GIF.
    public var imageURL: String?
    /// Last week's position; 0 when the album was not on last week's chart ("-").
    public var lastPosition: Int
    /// Peak position, nil when the page shows "-".
    public var peakPosition: Int?
    /// Weeks on chart; 1 when the page shows "-".
    public var weeksOnChart: Int

    public init(
        rank: Int, title: String, artist: String, imageURL: String?, lastPosition: Int, peakPosition: Int?,
        weeksOnChart: Int
    ) {
        self.rank = rank
        self.title = title
        self.artist = artist
        self.imageURL = imageURL
        self.lastPosition = lastPosition
        self.peakPosition = peakPosition
        self.weeksOnChart = weeksOnChart
    }

    /// billboard.py's `isNew`: true exactly when this is the first week on the chart.
    public var isNew: Bool { weeksOnChart == 1 }
}

/// Why a Billboard page could not be read.
public enum BillboardParseError: Error, Equatable, CustomStringConvertible, Sendable {
    /// No chart date on the page (`#chart-date-picker[data-date]` or older equivalents).
    case missingDate
    /// A 200 page with no chart rows: a markup change or a stripped bot page, never an empty week.
    case noRows
    case badRank(String)
    case badStatistic(String)
    case badDate(String)

    public var description: String {
        switch self {
        case .missingDate: "the page has no chart date (markup changed or a bot page)"
        case .noRows: "the page has no chart rows (markup changed or a stripped bot page)"
        case .badRank(let text): "failed to parse rank from '\(text)'"
        case .badStatistic(let text): "failed to parse chart statistic '\(text)'"
        case .badDate(let text): "failed to parse chart date '\(text)'"
        }
    }
}
