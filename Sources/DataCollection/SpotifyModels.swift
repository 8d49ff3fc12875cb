/// Spotify Web API payloads, decoded leniently: fields removed for Development Mode apps
/// (2026) and nullable sizes are optional (data-sources.md §2.4).
struct SpotifyTokenResponse: Decodable {
    var access_token: String
    var token_type: String?
    var expires_in: Int?
}

struct SpotifyAuthError: Decodable {
    var error: String?
    var error_description: String?
}

struct SpotifySearchResponse: Decodable {
    struct Paging: Decodable {
        var items: [SpotifyAlbum]
        var next: String?
        var total: Int?
    }
    var albums: Paging?
}

public struct SpotifyAlbum: Decodable, Sendable, Equatable {
    public struct Image: Decodable, Sendable, Equatable {
        public var url: String
        public var width: Int?
        public var height: Int?
    }
    public struct Artist: Decodable, Sendable, Equatable {
        public var name: String
        public var id: String?
    }
    public var id: String
    public var name: String
    public var album_type: String?
    public var release_date: String?
    public var images: [Image]?
    public var artists: [Artist]?
}

/// Spotify client credentials. `description` never shows the secret.
public struct SpotifyCredentials: Sendable, CustomStringConvertible {
    public var clientID: String
    public var clientSecret: String

    public init(clientID: String, clientSecret: String) {
        self.clientID = clientID
        self.clientSecret = clientSecret
    }

    /// From SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET; nil when either is missing or empty.
    public static func fromEnvironment(_ environment: [String: String]) -> SpotifyCredentials? {
        guard let id = environment["SPOTIFY_CLIENT_ID"], !id.isEmpty,
            let secret = environment["SPOTIFY_CLIENT_SECRET"], !secret.isEmpty
        else { return nil }
        return SpotifyCredentials(clientID: id, clientSecret: secret)
    }

    public var description: String { "SpotifyCredentials(clientID: <redacted>, clientSecret: <redacted>)" }
}
