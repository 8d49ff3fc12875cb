import DataCollection
import Foundation
import Synchronization

/// A response from a fake service, independent of the HTTP server that sends it.
public struct FakeReply: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    static func json(_ status: Int, _ text: String) -> FakeReply {
        FakeReply(status: status, headers: [("Content-Type", "application/json; charset=utf-8")], body: Array(text.utf8))
    }

    static func html(_ text: String) -> FakeReply {
        FakeReply(status: 200, headers: [("Content-Type", "text/html; charset=utf-8")], body: Array(text.utf8))
    }

    static func status(_ status: Int, _ text: String = "") -> FakeReply {
        FakeReply(status: status, headers: [("Content-Type", "text/plain")], body: Array(text.utf8))
    }
}

/// One incoming request, as the responder sees it.
public struct FakeRequest: Sendable {
    public var method: String
    public var path: String
    /// Decoded query parameters (`+` and `%20` both decode to a space).
    public var query: [String: String]
    public var headers: [String: String]
    public var body: [UInt8]
    /// The raw URL text used to pick requests for fault injection.
    public var rawTarget: String

    public init(method: String, path: String, query: [String: String], headers: [String: String], body: [UInt8], rawTarget: String) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.rawTarget = rawTarget
    }
}

/// Routes requests to the fake Billboard, Spotify, MusicBrainz and Cover Art Archive services,
/// all under one origin: `/charts/…`, `/spotify-accounts/…`, `/spotify/v1/…`,
/// `/spotify-images/…`, `/musicbrainz/ws/2/…`, `/coverartarchive/…`, `/archive/…`.
public final class FakeResponder: Sendable {
    public let configuration: FakeConfiguration
    let index: FakeIndex
    let attempts = Mutex<[String: Int]>([:])
    let counters = Mutex<[String: Int]>([:])
    let issuedTokens = Mutex<Set<String>>([])
    /// Base URL of the server, for absolute links (`next`, image URLs, redirects).
    let origin = Mutex<String>("http://127.0.0.1")

    public init(configuration: FakeConfiguration = FakeConfiguration()) {
        self.configuration = configuration
        index = FakeIndex(world: configuration.world, configuration: configuration)
    }

    func setOrigin(_ value: String) { origin.withLock { $0 = value } }
    var base: String { origin.withLock { $0 } }

    /// Requests answered so far, by service (`billboard`, `spotify`, `musicbrainz`, `coverart`, `images`).
    public func requestCounts() -> [String: Int] { counters.withLock { $0 } }

    public func respond(_ request: FakeRequest) async -> FakeReply {
        let service = Self.service(of: request.path)
        counters.withLock { $0[service, default: 0] += 1 }
        let key = "\(request.method) \(request.rawTarget)"
        let attempt = attempts.withLock { table -> Int in
            table[key, default: 0] += 1
            return table[key]!
        }
        if configuration.responseLatencyMilliseconds > 0 {
            try? await Task.sleep(for: .milliseconds(configuration.responseLatencyMilliseconds))
        }
        if attempt == 1, let fault = await injectedFault(key: key, service: service) { return fault }
        switch service {
        case "billboard": return billboard(request, firstAttempt: attempt == 1, key: key)
        case "spotify-accounts": return token(request)
        case "spotify": return spotify(request, firstAttempt: attempt == 1, key: key)
        case "images": return spotifyImage(request)
        case "musicbrainz": return musicBrainz(request)
        case "coverart": return coverArt(request)
        case "archive": return archiveImage(request)
        default: return .status(404, "not found")
        }
    }

    static func service(of path: String) -> String {
        if path.hasPrefix("/charts/") || path == "/charts" { return "billboard" }
        if path.hasPrefix("/spotify-accounts/") { return "spotify-accounts" }
        if path.hasPrefix("/spotify/") { return "spotify" }
        if path.hasPrefix("/spotify-images/") { return "images" }
        if path.hasPrefix("/musicbrainz/") { return "musicbrainz" }
        if path.hasPrefix("/coverartarchive/") { return "coverart" }
        if path.hasPrefix("/archive/") { return "archive" }
        return "other"
    }

    func chosen(_ key: String, every: Int, salt: Int) -> Bool {
        every > 0 && configuration.world.hash(key, salt, 7) % UInt64(every) == 0
    }

    /// Transport-level faults shared by every service: 429 + Retry-After, 5xx, stalls.
    func injectedFault(key: String, service: String) async -> FakeReply? {
        guard service != "spotify-accounts" else { return nil }
        if chosen(key, every: configuration.rateLimitEvery, salt: 1) {
            var reply = FakeReply.json(429, #"{"error":{"status":429,"message":"API rate limit exceeded"}}"#)
            reply.headers.append(("Retry-After", String(configuration.retryAfterSeconds)))
            return reply
        }
        if chosen(key, every: configuration.serverErrorEvery, salt: 2) {
            let statuses = [500, 502, 503]
            return .status(statuses[Int(configuration.world.hash(key, 3, 3) % 3)], "upstream error")
        }
        if chosen(key, every: configuration.stallEvery, salt: 4) {
            try? await Task.sleep(for: .milliseconds(Int(configuration.stallSeconds * 1000)))
        }
        return nil
    }
}
