/// Errors from collecting charts and covers. Messages never contain credentials or tokens.
public enum CollectorError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A non-success status that retries did not cure (or that is never retried, such as 403).
    case httpStatus(Int, url: String)
    /// No connection, DNS failure, reset, or a timeout, after retries.
    case network(url: String, reason: String)
    /// The service asked us to wait longer than the configured maximum.
    case rateLimited(url: String, retryAfterSeconds: Double)
    /// SPOTIFY_CLIENT_ID / SPOTIFY_CLIENT_SECRET are not set.
    case missingSpotifyCredentials
    /// Spotify refused the client credentials.
    case spotifyAuthentication(String)
    /// A response body that could not be decoded.
    case badResponse(url: String, reason: String)
    /// A chart page that could not be parsed.
    case chartPage(url: String, BillboardParseError)
    /// Downloaded bytes that are not a JPEG or PNG with readable dimensions.
    case invalidImage(url: String, reason: String)
    /// A local file operation failed.
    case fileSystem(path: String, reason: String)
    /// An unknown cover source name.
    case unknownSource(String)
    /// Billboard has no chart with this slug (even the latest page is 404).
    case unknownChart(String)

    public var description: String {
        switch self {
        case .httpStatus(let status, let url): "HTTP \(status) from \(url)"
        case .network(let url, let reason): "network error for \(url): \(reason)"
        case .rateLimited(let url, let seconds):
            "rate limited by \(url): the service asks to wait \(Int(seconds)) s; run again later to resume"
        case .missingSpotifyCredentials:
            """
            Spotify credentials are missing: set SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET (a Spotify \
            developer app's client credentials), or use MusicBrainz + Cover Art Archive, which need no \
            account: --sources coverartarchive
            """
        case .spotifyAuthentication(let reason): "Spotify refused the client credentials: \(reason)"
        case .badResponse(let url, let reason): "unexpected response from \(url): \(reason)"
        case .chartPage(let url, let error): "cannot read chart page \(url): \(error)"
        case .invalidImage(let url, let reason): "invalid image from \(url): \(reason)"
        case .fileSystem(let path, let reason): "file error at \(path): \(reason)"
        case .unknownSource(let name): "unknown cover source '\(name)' (expected spotify or coverartarchive)"
        case .unknownChart(let slug):
            "Billboard has no chart '\(slug)' (404 even for the latest chart); check the slug, e.g. rock-albums, rap-albums"
        }
    }

    /// Whether a later run may succeed (network, rate limits, 5xx) as opposed to a permanent answer.
    public var isTransient: Bool {
        switch self {
        case .network, .rateLimited: true
        case .httpStatus(let status, _): status == 429 || status >= 500
        default: false
        }
    }
}
