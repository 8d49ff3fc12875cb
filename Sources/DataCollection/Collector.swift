import Catalog
import Foundation
import Logging

/// Progress of a collection run, reported after each unit of work.
public struct CollectionProgress: Sendable {
    public enum Phase: String, Sendable { case charts, covers }
    public var phase: Phase
    /// Units done and expected in this phase (chart requests or albums).
    public var completed: Int
    public var total: Int
    public var detail: String
}

/// What a run did. Counts are for this run only; the catalog holds the totals.
public struct CollectionReport: Sendable, Codable, Equatable {
    public var chartRequests = 0
    public var chartRequestsSkipped = 0
    public var chartWeeksStored = 0
    public var chartPagesAbsent = 0
    public var chartFailures = 0
    public var coversFound = 0
    public var coversMissing = 0
    public var coverFailures = 0
    public var seconds = 0.0
    public var chartSeconds = 0.0
    public var coverSeconds = 0.0

    public var failures: Int { chartFailures + coverFailures }
}

/// Collects Billboard chart weeks and cover art into a catalog.
///
/// Charts: for each slug, walk requested dates from `start` by weeks. A request whose outcome is
/// already in the catalog is never repeated; otherwise the page is fetched and stored with its
/// request in one transaction. Because Billboard rounds a date up to the next chart, the walk
/// continues from the reported chart date + 7 days, so off-season holiday dates cost one request.
/// Covers: every album without a cover row is looked up in the configured sources in order.
/// An interrupted run (cancellation, kill) resumes where it stopped; transient failures are
/// recorded and retried by the next run.
public final class Collector: Sendable {
    let catalog: Catalog
    let configuration: CollectionConfiguration
    let billboard: BillboardClient
    let sources: [any CoverSource]
    let coverStore: CoverStore
    let logger: Logger
    let progress: @Sendable (CollectionProgress) -> Void

    public init(
        catalog: Catalog, configuration: CollectionConfiguration, fetcher: any HTTPFetching,
        credentials: SpotifyCredentials?, coversDirectory: String, logger: Logger,
        progress: @escaping @Sendable (CollectionProgress) -> Void = { _ in }
    ) throws {
        self.catalog = catalog
        self.configuration = configuration
        self.logger = logger
        self.progress = progress
        coverStore = CoverStore(directory: coversDirectory)
        billboard = BillboardClient(
            baseURL: configuration.endpoints.billboard,
            http: PoliteClient(
                fetcher: fetcher, politeness: configuration.billboardPoliteness(),
                userAgent: BillboardClient.browserUserAgent, logger: logger))
        let toolAgent = "AlbumGenre/0.1.0 ( \(configuration.contact) )"
        var sources: [any CoverSource] = []
        if configuration.collectCovers {
            for kind in configuration.sources {
                switch kind {
                case .spotify:
                    guard let credentials else { throw CollectorError.missingSpotifyCredentials }
                    sources.append(
                        SpotifyCoverSource(
                            accountsBaseURL: configuration.endpoints.spotifyAccounts, apiBaseURL: configuration.endpoints.spotifyAPI,
                            credentials: credentials,
                            api: PoliteClient(fetcher: fetcher, politeness: configuration.spotifyPoliteness(), userAgent: toolAgent, logger: logger),
                            images: PoliteClient(fetcher: fetcher, politeness: configuration.imagePoliteness(), userAgent: toolAgent, logger: logger),
                            preferredImageSize: configuration.spotifyImageSize))
                case .coverArtArchive:
                    sources.append(
                        CoverArtArchiveSource(
                            musicBrainzBaseURL: configuration.endpoints.musicBrainz, coverArtBaseURL: configuration.endpoints.coverArtArchive,
                            musicBrainz: PoliteClient(
                                fetcher: fetcher, politeness: configuration.musicBrainzPoliteness(), userAgent: toolAgent, logger: logger),
                            coverArt: PoliteClient(
                                fetcher: fetcher, politeness: configuration.imagePoliteness(), userAgent: toolAgent, logger: logger),
                            size: configuration.coverArtSize))
                }
            }
        }
        self.sources = sources
    }

    /// Runs both phases. Throws when a service is unreachable before anything was stored, when
    /// Spotify rejects the credentials, or on cancellation; per-item failures are only counted.
    public func run() async throws -> CollectionReport {
        let started = ContinuousClock.now
        var report = CollectionReport()
        try await collectCharts(into: &report)
        report.chartSeconds = (ContinuousClock.now - started).seconds
        if configuration.collectCovers {
            let coversStarted = ContinuousClock.now
            try await collectCovers(into: &report)
            report.coverSeconds = (ContinuousClock.now - coversStarted).seconds
        }
        report.seconds = (ContinuousClock.now - started).seconds
        return report
    }

    // MARK: - Charts

    func collectCharts(into report: inout CollectionReport) async throws {
        let weeksPerChart = max(1, (configuration.end.dayNumber - configuration.start.dayNumber) / 7 + 1)
        let total = weeksPerChart * configuration.charts.count
        var completed = 0
        var registered = false
        var consecutiveNetworkFailures = 0
        var identities: [IdentityKey: AlbumNormalizer.Identity] = [:]
        var prefetch = ChartPagePrefetch(billboard: billboard)
        defer { prefetch.cancel() }
        for slug in configuration.charts {
            var requested = configuration.start
            var consecutiveAbsent = 0
            var knownToExist = false
            while requested <= configuration.end {
                try Task.checkCancellation()
                let walked = requested
                switch try catalog.chartRequest(slug: slug, requestedDate: requested.iso) {
                case .found(let chartDate)?:
                    report.chartRequestsSkipped += 1
                    requested = Self.nextRequest(after: requested, chartDate: ChartDate(iso: chartDate))
                case .absent?:
                    report.chartRequestsSkipped += 1
                    requested = requested.adding(days: 7)
                case nil:
                    report.chartRequests += 1
                    do {
                        let response = try await prefetch.response(slug: slug, date: requested)
                        // Ask for the walk's usual next week now, so the service answers while this
                        // page is parsed and stored. Wrong only after a jump in the chart dates. Not
                        // after a 404 of a chart not yet seen: that may be a misspelled slug.
                        let guess = requested.adding(days: 7)
                        if guess <= configuration.end, response.html != nil || knownToExist,
                            try catalog.chartRequest(slug: slug, requestedDate: guess.iso) == nil
                        {
                            prefetch.start(slug: slug, date: guess)
                        }
                        let page = try billboard.page(from: response)
                        if !registered {
                            try catalog.registerCharts(configuration.charts.map { ($0, genreLabel(forChart: $0)) })
                            registered = true
                        }
                        consecutiveNetworkFailures = 0
                        switch page {
                        case .absent:
                            consecutiveAbsent += 1
                            if consecutiveAbsent == 3 && !knownToExist {
                                // A misspelled slug would otherwise cost one 404 per week of the range.
                                guard try await billboard.chartExists(slug: slug) else { throw CollectorError.unknownChart(slug) }
                                knownToExist = true
                            }
                            try catalog.recordAbsentChart(slug: slug, requestedDate: requested.iso)
                            report.chartPagesAbsent += 1
                            requested = requested.adding(days: 7)
                        case .chart(let chart):
                            consecutiveAbsent = 0
                            knownToExist = true
                            let isNew = try !catalog.hasChartWeek(slug: slug, chartDate: chart.date)
                            try catalog.recordChartWeek(
                                slug: slug, title: chart.title, requestedDate: requested.iso, chartDate: chart.date,
                                entries: chart.entries.map { Self.record($0, identities: &identities) })
                            if isNew { report.chartWeeksStored += 1 }
                            requested = Self.nextRequest(after: requested, chartDate: ChartDate(iso: chart.date))
                        }
                    } catch let error as CollectorError {
                        try handleFailure(
                            error, stage: "chart", subject: "\(slug)/\(requested.iso)",
                            storedAnything: registered, consecutive: &consecutiveNetworkFailures)
                        report.chartFailures += 1
                        requested = requested.adding(days: 7)
                    }
                }
                completed += max(1, (requested.dayNumber - walked.dayNumber) / 7)
                progress(CollectionProgress(phase: .charts, completed: min(completed, total), total: total, detail: slug))
            }
        }
    }

    /// At most one chart page fetched ahead: once a page has arrived, the next week's request is
    /// sent while the page is parsed and stored, so the service's response time and our CPU time
    /// overlap. The guess (a week later) is the walk's next step except after a jump in chart
    /// dates (the first page of a chart, off-season holiday dates); then the answer is dropped.
    /// Still one request in flight at a time, paced by the same `PoliteClient` as every other.
    struct ChartPagePrefetch {
        let billboard: BillboardClient
        private var pending: (slug: String, date: ChartDate, task: Task<BillboardClient.Response, any Error>)?

        init(billboard: BillboardClient) { self.billboard = billboard }

        mutating func response(slug: String, date: ChartDate) async throws -> BillboardClient.Response {
            if let pending, pending.slug == slug, pending.date == date {
                self.pending = nil
                return try await pending.task.value
            }
            cancel()
            return try await billboard.response(slug: slug, date: date)
        }

        mutating func start(slug: String, date: ChartDate) {
            cancel()
            let billboard = billboard
            pending = (slug, date, Task { try await billboard.response(slug: slug, date: date) })
        }

        mutating func cancel() {
            pending?.task.cancel()
            pending = nil
        }
    }

    /// Billboard rounds up: the next useful request is a week after the reported chart date.
    static func nextRequest(after requested: ChartDate, chartDate: ChartDate?) -> ChartDate {
        guard let chartDate, chartDate >= requested else { return requested.adding(days: 7) }
        return chartDate.adding(days: 7)
    }

    /// The catalog row for a chart entry. Identities are memoised per (title, artist): an album
    /// stays on a chart for weeks, so most rows of a page were normalised on an earlier page.
    static func record(_ entry: BillboardEntry, identities: inout [IdentityKey: AlbumNormalizer.Identity]) -> ChartEntryRecord {
        let identityKey = IdentityKey(title: entry.title, artist: entry.artist)
        let identity: AlbumNormalizer.Identity
        if let known = identities[identityKey] {
            identity = known
        } else {
            identity = AlbumNormalizer.identity(title: entry.title, artist: entry.artist)
            identities[identityKey] = identity
        }
        return ChartEntryRecord(
            rank: entry.rank, title: entry.title, artist: entry.artist, albumKey: identity.key,
            normalizedTitle: identity.title, normalizedArtist: identity.primaryArtist,
            isCompilation: identity.isCompilation, imageURL: entry.imageURL, lastPosition: entry.lastPosition,
            peakPosition: entry.peakPosition, weeksOnChart: entry.weeksOnChart)
    }

    struct IdentityKey: Hashable {
        var title: String
        var artist: String
    }

    /// Records a per-item failure, or throws when the service looks unreachable: at the very
    /// first request (so a run without network leaves the catalog untouched) or after 5
    /// network failures in a row.
    func handleFailure(
        _ error: CollectorError, stage: String, subject: String, storedAnything: Bool,
        consecutive: inout Int
    ) throws {
        if case .network = error {
            consecutive += 1
            if !storedAnything || consecutive >= 5 { throw error }
        }
        switch error {
        case .rateLimited, .unknownChart, .spotifyAuthentication: throw error
        default: break
        }
        logger.warning("\(stage) failed: \(error)", metadata: ["subject": "\(subject)"])
        try catalog.recordFailure(stage: stage, subject: subject, message: error.description)
    }
}
