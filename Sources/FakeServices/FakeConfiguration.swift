import DataCollection

/// Behaviour switches and injected faults of the fake services. Faults are deterministic: a
/// request is chosen by a hash of its method and URL, and only its first attempt fails, so a
/// client that retries always gets through and two runs see the same world.
public struct FakeConfiguration: Sendable {
    public enum PrelaunchBehaviour: String, Sendable {
        /// Dates before launch or off-season round up to the next published chart.
        case roundUp
        /// Such dates answer 404 (what one third-party scraper reports).
        case notFound
    }

    public enum TemplateChoice: String, Sendable {
        /// 2021 template before 2025-07-01, 2025 template from then on (like the real site).
        case byDate
        case positional2021
        case labelled2025
    }

    public var world = FakeWorld()
    public var prelaunch = PrelaunchBehaviour.roundUp
    public var template = TemplateChoice.byDate
    public var awardColumn = true
    /// Answer 403 to dated chart URLs when the User-Agent does not look like a browser (2024).
    public var forbidNonBrowserUserAgents = true

    /// One request in N (by hash) gets 429 with `Retry-After` on its first attempt; 0 disables.
    public var rateLimitEvery = 0
    public var retryAfterSeconds = 1
    /// One request in N gets 500, 502 or 503 on its first attempt.
    public var serverErrorEvery = 0
    /// One request in N stalls for `stallSeconds` on its first attempt (to trip client timeouts).
    public var stallEvery = 0
    public var stallSeconds = 3.0
    /// Every answer waits this long first, like a service across a network (0: answer at once).
    public var responseLatencyMilliseconds = 0
    /// One Spotify search in N answers 401 "The access token expired" on its first attempt.
    public var tokenExpiryEvery = 0
    /// One chart page in N is a stripped 200 page without rows on its first attempt.
    public var malformedEvery = 0

    public var spotifyClientID = "fake-client-id"
    public var spotifyClientSecret = "fake-client-secret"
    public var tokenLifetimeSeconds = 3600
    /// Largest accepted search `limit` (10 since the 2026-02 Development Mode change).
    public var spotifySearchLimitMax = 10
    /// Percent of albums Spotify does not have.
    public var spotifyMissingPercent = 6
    /// Percent of albums with no Cover Art Archive image at all.
    public var coverArtMissingPercent = 10

    public init() {}
}
