import Foundation
import Logging

/// How a `PoliteClient` paces and retries requests to one service.
public struct Politeness: Sendable {
    /// Minimum time between two requests to the service (MusicBrainz: 1 s).
    public var minimumInterval: Duration
    /// Attempts per request, the first included.
    public var maximumAttempts: Int
    /// First backoff; attempt n waits a random time in [0, base × 2ⁿ] ("full jitter"), capped.
    public var backoffBase: Duration
    public var backoffCap: Duration
    /// Longest Retry-After we wait; a longer one fails the request so a later run resumes.
    public var maximumRetryAfter: Duration
    /// Retry-After values are multiplied by this (1 for real services; near 0 against fakes).
    public var retryAfterScale: Double
    public var timeout: Duration

    public init(
        minimumInterval: Duration, maximumAttempts: Int = 6, backoffBase: Duration = .seconds(1),
        backoffCap: Duration = .seconds(60), maximumRetryAfter: Duration = .seconds(300),
        retryAfterScale: Double = 1, timeout: Duration = .seconds(25)
    ) {
        self.minimumInterval = minimumInterval
        self.maximumAttempts = maximumAttempts
        self.backoffBase = backoffBase
        self.backoffCap = backoffCap
        self.maximumRetryAfter = maximumRetryAfter
        self.retryAfterScale = retryAfterScale
        self.timeout = timeout
    }

    /// For local fake servers: no pacing, millisecond backoffs and Retry-After waits. The timeout
    /// stays generous because a loaded test machine can be slow to answer.
    public static let none = Politeness(
        minimumInterval: .zero, maximumAttempts: 6, backoffBase: .milliseconds(20), backoffCap: .milliseconds(500),
        maximumRetryAfter: .seconds(300), retryAfterScale: 0.001, timeout: .seconds(15))
}

/// Spaces requests to one service at least `interval` apart, across concurrent callers.
actor RateLimiter {
    private let interval: Duration
    private var nextSlot: ContinuousClock.Instant?

    init(interval: Duration) { self.interval = interval }

    func waitForTurn() async throws {
        guard interval > .zero else { return }
        let now = ContinuousClock.now
        let slot = max(now, nextSlot ?? now)
        nextSlot = slot + interval
        if slot > now { try await Task.sleep(until: slot, clock: .continuous) }
    }
}

/// An HTTP client for one service with pacing, timeouts and retries: connection errors and
/// 429/500/502/503/504 are retried with `Retry-After` when given (seconds or HTTP date) and
/// exponential backoff with full jitter otherwise. Other statuses are returned to the caller.
public struct PoliteClient: Sendable {
    let fetcher: any HTTPFetching
    let politeness: Politeness
    let limiter: RateLimiter
    let userAgent: String
    let logger: Logger

    public init(fetcher: any HTTPFetching, politeness: Politeness, userAgent: String, logger: Logger) {
        self.fetcher = fetcher
        self.politeness = politeness
        self.limiter = RateLimiter(interval: politeness.minimumInterval)
        self.userAgent = userAgent
        self.logger = logger
    }

    static let retriedStatuses: Set<Int> = [429, 500, 502, 503, 504]

    /// Sends the request, retrying as described; returns the first non-retried response or the last
    /// retried one once attempts are exhausted. Throws `CollectorError` for transport failures.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var request = request
        if !request.headers.contains(where: { $0.0.lowercased() == "user-agent" }) {
            request.headers.append(("User-Agent", userAgent))
        }
        var attempt = 0
        while true {
            attempt += 1
            try await limiter.waitForTurn()
            let wait: Duration
            do {
                let response = try await fetcher.send(request, timeout: politeness.timeout)
                guard Self.retriedStatuses.contains(response.status), attempt < politeness.maximumAttempts else {
                    return response
                }
                if let retryAfter = Self.retryAfter(response.header("Retry-After")) {
                    if retryAfter > politeness.maximumRetryAfter {
                        throw CollectorError.rateLimited(url: request.url, retryAfterSeconds: retryAfter.seconds)
                    }
                    wait = retryAfter * politeness.retryAfterScale
                } else {
                    wait = backoff(attempt: attempt)
                }
                logger.debug("HTTP \(response.status), retrying", metadata: ["url": "\(request.url)", "attempt": "\(attempt)"])
            } catch let error as CollectorError {
                guard case .network = error, attempt < politeness.maximumAttempts else { throw error }
                wait = backoff(attempt: attempt)
                logger.debug("network error, retrying", metadata: ["url": "\(request.url)", "attempt": "\(attempt)"])
            }
            try await Task.sleep(for: wait)
        }
    }

    func backoff(attempt: Int) -> Duration {
        let ceiling = min(politeness.backoffCap.seconds, politeness.backoffBase.seconds * pow(2, Double(attempt - 1)))
        return .milliseconds(Int64(Double.random(in: 0...ceiling) * 1000))
    }

    /// The longest Retry-After a header can mean here: any longer value, and `inf`, is clamped to it
    /// before any integer conversion (a service can send `1e20`). It is far above every
    /// `maximumRetryAfter`, so such a request fails as rate-limited and a later run resumes.
    static let retryAfterCeilingSeconds: Double = 86_400

    /// Retry-After as delta-seconds or an HTTP date (RFC 9110 §10.2.3), clamped to
    /// [0, `retryAfterCeilingSeconds`]; nil for what is neither (and for NaN or an over-long header).
    static func retryAfter(_ value: String?) -> Duration? {
        guard let value = value?.trimmingWhitespace(), !value.isEmpty, value.utf8.count <= 64 else { return nil }
        if let seconds = Double(value) { return seconds.isNaN ? nil : clampedDuration(seconds: seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return clampedDuration(seconds: date.timeIntervalSinceNow)
    }

    private static func clampedDuration(seconds: Double) -> Duration {
        .milliseconds(Int64((min(max(seconds, 0), retryAfterCeilingSeconds) * 1000).rounded()))
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
