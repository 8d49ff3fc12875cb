/// Base URLs of every service the collector talks to; tests point them at `FakeServices`.
public struct ServiceEndpoints: Sendable, Codable, Equatable {
    public var billboard = "https://www.billboard.com"
    public var spotifyAccounts = "https://accounts.spotify.com"
    public var spotifyAPI = "https://api.spotify.com/v1"
    public var musicBrainz = "https://musicbrainz.org"
    public var coverArtArchive = "https://coverartarchive.org"

    public init() {}
}

/// The six weekly genre album charts of the original study (data-sources.md §1.3).
public let defaultChartSlugs = ["rock-albums", "rap-albums", "country-albums", "jazz-albums", "holiday-albums", "latin-albums"]

/// The genre label of a chart slug: "rock-albums" → "rock", "traditional-jazz-albums" → "traditional-jazz".
public func genreLabel(forChart slug: String) -> String {
    var label = slug
    for suffix in ["-albums", "-songs"] where label.hasSuffix(suffix) { label.removeLast(suffix.count) }
    if label.hasPrefix("top-") { label.removeFirst(4) }
    return label
}

/// Everything one `albumgenre collect` run needs besides the catalog.
public struct CollectionConfiguration: Sendable {
    public var charts: [String] = defaultChartSlugs
    public var start = ChartDate(year: 2004, month: 1, day: 1)!
    public var end = ChartDate.today()
    public var endpoints = ServiceEndpoints()
    /// Cover sources in the order they are tried.
    public var sources: [CoverSourceKind] = [.spotify, .coverArtArchive]
    /// Spotify image width to download (640, 300 or 64; the study used 300).
    public var spotifyImageSize = 300
    /// Cover Art Archive thumbnail size (250, 500 or 1200).
    public var coverArtSize = 500
    /// False against fake servers: no pacing and millisecond backoffs.
    public var polite = true
    /// Contact put in the MusicBrainz User-Agent, as MusicBrainz requires.
    public var contact = "https://github.com/albumgenre/albumgenre"
    /// Skip the cover phase (charts only).
    public var collectCovers = true
    /// Concurrent cover lookups (each service stays paced by its own rate limiter).
    public var coverConcurrency = 4
    /// Look up again albums whose covers were recorded missing.
    public var retryMissingCovers = false

    /// Replaces every service's request timeout (tests use it to trip timeouts quickly).
    public var requestTimeout: Duration?

    public init() {}

    func withTimeout(_ politeness: Politeness) -> Politeness {
        var adjusted = politeness
        if let requestTimeout { adjusted.timeout = requestTimeout }
        return adjusted
    }

    func billboardPoliteness() -> Politeness {
        withTimeout(polite ? Politeness(minimumInterval: .milliseconds(1500)) : .none)
    }

    func spotifyPoliteness() -> Politeness {
        withTimeout(polite ? Politeness(minimumInterval: .milliseconds(200), maximumAttempts: 4, timeout: .seconds(10)) : .none)
    }

    func musicBrainzPoliteness() -> Politeness {
        withTimeout(polite ? Politeness(minimumInterval: .milliseconds(1050), timeout: .seconds(20)) : .none)
    }

    func imagePoliteness() -> Politeness {
        withTimeout(polite ? Politeness(minimumInterval: .milliseconds(100), maximumAttempts: 4, timeout: .seconds(20)) : .none)
    }
}
