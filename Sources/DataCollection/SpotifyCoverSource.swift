import Foundation

/// Finds album art with the Spotify Web API: client-credentials token (refreshed 60 s before
/// expiry and once on a 401), album search with `limit` ≤ 10 down the query ladder of
/// data-sources.md §3, match scoring, then the image of the preferred size (300 px like the study).
public actor SpotifyCoverSource: CoverSource {
    public nonisolated let name = "spotify"
    let accountsBaseURL: String
    let apiBaseURL: String
    let credentials: SpotifyCredentials
    let api: PoliteClient
    let images: PoliteClient
    let preferredImageSize: Int
    let market: String?
    private var token: (value: String, expiresAt: ContinuousClock.Instant)?

    public init(
        accountsBaseURL: String, apiBaseURL: String, credentials: SpotifyCredentials, api: PoliteClient,
        images: PoliteClient, preferredImageSize: Int = 300, market: String? = "US"
    ) {
        self.accountsBaseURL = accountsBaseURL.trimmingTrailingSlash()
        self.apiBaseURL = apiBaseURL.trimmingTrailingSlash()
        self.credentials = credentials
        self.api = api
        self.images = images
        self.preferredImageSize = preferredImageSize
        self.market = market
    }

    public func fetchCover(for album: AlbumQuery) async throws -> CoverDownload? {
        guard let match = try await findAlbum(album), let image = chooseImage(match.images ?? []) else { return nil }
        let response = try await images.send(HTTPRequest(url: image.url))
        if response.status == 404 { return nil }
        guard response.status == 200 else { throw CollectorError.httpStatus(response.status, url: image.url) }
        return CoverDownload(source: name, sourceID: match.id, url: image.url, bytes: response.body)
    }

    /// The best accepted album over the query ladder, or nil.
    public func findAlbum(_ album: AlbumQuery) async throws -> SpotifyAlbum? {
        let title = AlbumNormalizer.strippingVariantSuffixes(album.title)
        let artist = AlbumNormalizer.primaryArtist(album.artist)
        let queries =
            album.isCompilation
            ? ["album:\(title)", title]
            : ["album:\(title) artist:\(artist)", "\(title) \(artist)", "album:\(title)"]
        for query in queries {
            let candidates = try await search(query)
            let scored = candidates.compactMap { candidate -> (SpotifyAlbum, Double)? in
                guard
                    let score = CoverMatcher.score(
                        candidateTitle: candidate.name, candidateArtists: (candidate.artists ?? []).map(\.name), for: album)
                else { return nil }
                return (candidate, score)
            }
            if let best = scored.min(by: { Self.isPreferred($0, over: $1) }) { return best.0 }
        }
        return nil
    }

    /// Tie-breaks: higher title score, then `album` over other types, then the standard edition,
    /// then the earliest release date.
    static func isPreferred(_ lhs: (SpotifyAlbum, Double), over rhs: (SpotifyAlbum, Double)) -> Bool {
        if lhs.1 != rhs.1 { return lhs.1 > rhs.1 }
        let lhsAlbum = lhs.0.album_type == "album", rhsAlbum = rhs.0.album_type == "album"
        if lhsAlbum != rhsAlbum { return lhsAlbum }
        let lhsSpecial = CoverMatcher.isSpecialEdition(lhs.0.name), rhsSpecial = CoverMatcher.isSpecialEdition(rhs.0.name)
        if lhsSpecial != rhsSpecial { return !lhsSpecial }
        return (lhs.0.release_date ?? "9999") < (rhs.0.release_date ?? "9999")
    }

    /// The image whose width equals the preferred size, else the smallest wider one, else the widest.
    func chooseImage(_ images: [SpotifyAlbum.Image]) -> SpotifyAlbum.Image? {
        if let exact = images.first(where: { $0.width == preferredImageSize }) { return exact }
        let wider = images.filter { ($0.width ?? 0) > preferredImageSize }.min { ($0.width ?? 0) < ($1.width ?? 0) }
        return wider ?? images.max { ($0.width ?? 0) < ($1.width ?? 0) } ?? images.first
    }

    func search(_ query: String) async throws -> [SpotifyAlbum] {
        var components = URLComponents(string: "\(apiBaseURL)/search")!
        components.queryItems =
            [
                URLQueryItem(name: "q", value: query), URLQueryItem(name: "type", value: "album"),
                URLQueryItem(name: "limit", value: "10"),
            ] + (market.map { [URLQueryItem(name: "market", value: $0)] } ?? [])
        let url = components.url!.absoluteString
        // A 401 means the token expired or was revoked: fetch a new one and retry. Concurrent
        // lookups may see several revocations in a row, hence a few refreshes, not one.
        var refreshes = 0
        while true {
            let bearer = try await accessToken(forceRefresh: refreshes > 0)
            let response = try await api.send(HTTPRequest(url: url, headers: [("Authorization", "Bearer \(bearer)")]))
            if response.status == 401 && refreshes < 3 {
                refreshes += 1
                continue
            }
            guard response.status == 200 else { throw CollectorError.httpStatus(response.status, url: url) }
            do {
                return try JSONDecoder().decode(SpotifySearchResponse.self, from: Data(response.body)).albums?.items ?? []
            } catch {
                throw CollectorError.badResponse(url: url, reason: "search JSON: \(error)")
            }
        }
    }

    func accessToken(forceRefresh: Bool) async throws -> String {
        if !forceRefresh, let token, token.expiresAt - ContinuousClock.now > .seconds(60) { return token.value }
        let url = "\(accountsBaseURL)/api/token"
        let basic = Data("\(credentials.clientID):\(credentials.clientSecret)".utf8).base64EncodedString()
        let response = try await api.send(
            HTTPRequest(
                method: "POST", url: url,
                headers: [("Authorization", "Basic \(basic)"), ("Content-Type", "application/x-www-form-urlencoded")],
                body: Array("grant_type=client_credentials".utf8)))
        switch response.status {
        case 200:
            guard let decoded = try? JSONDecoder().decode(SpotifyTokenResponse.self, from: Data(response.body)) else {
                throw CollectorError.badResponse(url: url, reason: "token JSON could not be decoded")
            }
            let lifetime = decoded.expires_in ?? 3600
            token = (decoded.access_token, ContinuousClock.now + .seconds(lifetime))
            return decoded.access_token
        case 400, 401, 403:
            let error = try? JSONDecoder().decode(SpotifyAuthError.self, from: Data(response.body))
            throw CollectorError.spotifyAuthentication(
                [error?.error, error?.error_description].compactMap { $0 }.joined(separator: ": "))
        default:
            throw CollectorError.httpStatus(response.status, url: url)
        }
    }
}

extension String {
    func trimmingTrailingSlash() -> String {
        var text = self
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}
