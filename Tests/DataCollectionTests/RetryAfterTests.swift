import Foundation
import Logging
import Testing

@testable import DataCollection

/// `Retry-After` from a service is bounded before it becomes a wait: hostile or broken values (`1e20`,
/// `inf`, a date centuries away) make the request fail as rate-limited instead of trapping on the
/// Double → Int64 conversion.
struct RetryAfterTests {
    /// Answers every request with 429 and the given Retry-After.
    struct RateLimitingFetcher: HTTPFetching {
        let retryAfter: String
        func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
            HTTPResponse(status: 429, headers: [("Retry-After", retryAfter)], body: [])
        }
    }

    @Test("delta-seconds and dates parse; out-of-range values clamp to the ceiling; garbage and NaN are ignored")
    func parsing() {
        let ceiling = Duration.seconds(PoliteClient.retryAfterCeilingSeconds)
        #expect(PoliteClient.retryAfter("120") == .seconds(120))
        #expect(PoliteClient.retryAfter(" 1.5 ") == .milliseconds(1500))
        #expect(PoliteClient.retryAfter("-3") == .zero)
        for huge in ["1e20", "inf", "Infinity", "1e308", "99999999999999999999999"] {
            #expect(PoliteClient.retryAfter(huge) == ceiling, "\(huge)")
        }
        for ignored in ["nan", "soon", "", String(repeating: "9", count: 100)] {
            #expect(PoliteClient.retryAfter(ignored) == nil, "\(ignored)")
        }
        #expect(PoliteClient.retryAfter("Fri, 31 Dec 9999 23:59:59 GMT") == ceiling)
        #expect(PoliteClient.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT") == .zero, "a date in the past means now")
    }

    @Test(
        "a 429 with Retry-After 1e20 or inf fails the request as rate-limited (no trap, no wait)",
        arguments: ["1e20", "inf"])
    func hostileRetryAfterFailsTheRequest(_ value: String) async throws {
        let client = PoliteClient(
            fetcher: RateLimitingFetcher(retryAfter: value),
            politeness: Politeness(minimumInterval: .zero), userAgent: "test", logger: Logger(label: "test"))
        let started = ContinuousClock.now
        await #expect(throws: CollectorError.self) { try await client.send(HTTPRequest(url: "http://127.0.0.1:9/x")) }
        #expect(ContinuousClock.now - started < .seconds(5))
        do {
            _ = try await client.send(HTTPRequest(url: "http://127.0.0.1:9/x"))
        } catch let CollectorError.rateLimited(_, seconds) {
            #expect(seconds == PoliteClient.retryAfterCeilingSeconds)
        }
    }
}
