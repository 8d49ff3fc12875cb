import DataCollection
import Foundation

/// Fake Spotify accounts service, Web API search/album endpoints and image CDN (data-sources.md §2.9).
extension FakeResponder {
    struct PagingJSON: Encodable {
        var href: String
        var items: [AlbumJSON]
        var limit: Int
        var next: String?
        var offset: Int
        var previous: String?
        var total: Int
    }

    struct AlbumJSON: Encodable {
        struct Image: Encodable {
            var url: String
            var height: Int?
            var width: Int?
        }
        struct Artist: Encodable {
            var id: String
            var name: String
            var type = "artist"
            var uri: String
        }
        var album_type: String
        var total_tracks: Int
        var id: String
        var name: String
        var release_date: String
        var release_date_precision = "day"
        var type = "album"
        var uri: String
        var href: String
        var images: [Image]
        var artists: [Artist]
    }

    func token(_ request: FakeRequest) -> FakeReply {
        guard request.method == "POST", request.path == "/spotify-accounts/api/token" else { return .status(404) }
        let expected = Data("\(configuration.spotifyClientID):\(configuration.spotifyClientSecret)".utf8).base64EncodedString()
        guard request.headers["authorization"] == "Basic \(expected)" else {
            return .json(400, #"{"error":"invalid_client","error_description":"Invalid client secret"}"#)
        }
        guard String(decoding: request.body, as: UTF8.self).contains("grant_type=client_credentials") else {
            return .json(400, #"{"error":"unsupported_grant_type","error_description":"grant_type parameter is missing"}"#)
        }
        let value = "BQD" + FakeIndex.hex(UInt64.random(in: 0...UInt64.max), digits: 40)
        issuedTokens.withLock { _ = $0.insert(value) }
        return .json(200, #"{"access_token":"\#(value)","token_type":"Bearer","expires_in":\#(configuration.tokenLifetimeSeconds)}"#)
    }

    static func apiError(_ status: Int, _ message: String) -> FakeReply {
        .json(status, #"{"error":{"status":\#(status),"message":"\#(message)"}}"#)
    }

    func spotify(_ request: FakeRequest, firstAttempt: Bool, key: String) -> FakeReply {
        guard let authorization = request.headers["authorization"], authorization.hasPrefix("Bearer ") else {
            return Self.apiError(401, "No token provided")
        }
        let bearer = String(authorization.dropFirst("Bearer ".count))
        guard issuedTokens.withLock({ $0.contains(bearer) }) else { return Self.apiError(401, "Invalid access token") }
        if firstAttempt && chosen(key, every: configuration.tokenExpiryEvery, salt: 6) {
            issuedTokens.withLock { _ = $0.remove(bearer) }
            return Self.apiError(401, "The access token expired")
        }
        if request.path == "/spotify/v1/search" { return search(request) }
        if request.path.hasPrefix("/spotify/v1/albums/") {
            let id = String(request.path.dropFirst("/spotify/v1/albums/".count))
            guard let position = index.bySpotifyID[id], index.onSpotify(index.albums[position]) else {
                return Self.apiError(404, "Non existing id")
            }
            return encode(albumJSON(index.albums[position], variant: 0))
        }
        return Self.apiError(404, "Service not found")
    }

    /// Splits `album:… artist:… free words` into filters; values run to the next `word:` token.
    static func parseQuery(_ q: String) -> (free: String, album: String?, artist: String?) {
        var fields: [String: [String]] = [:]
        var current = "free"
        for word in q.split(separator: " ") {
            if let colon = word.firstIndex(of: ":"),
                ["album", "artist", "track", "year", "genre", "upc", "isrc", "tag"]
                    .contains(word[..<colon].lowercased())
            {
                current = word[..<colon].lowercased()
                let rest = word[word.index(after: colon)...]
                if !rest.isEmpty { fields[current, default: []].append(String(rest)) }
            } else {
                fields[current, default: []].append(String(word))
            }
        }
        func value(_ name: String) -> String? {
            fields[name].map { $0.joined(separator: " ").replacingOccurrences(of: "\"", with: "") }
        }
        return (value("free") ?? "", value("album"), value("artist"))
    }

    func search(_ request: FakeRequest) -> FakeReply {
        guard let type = request.query["type"], !type.isEmpty else { return Self.apiError(400, "Missing parameter type") }
        guard let q = request.query["q"], !q.isEmpty else { return Self.apiError(400, "No search query") }
        let limit = Int(request.query["limit"] ?? "5") ?? -1
        guard (1...configuration.spotifySearchLimitMax).contains(limit) else { return Self.apiError(400, "Invalid limit") }
        let offset = Int(request.query["offset"] ?? "0") ?? 0
        let parsed = Self.parseQuery(q)
        var matches: [FakeWorld.Album]
        if let album = parsed.album {
            matches = index.lookUp(title: album, artist: parsed.artist)
        } else {
            matches = index.freeText(parsed.free)
        }
        matches = matches.filter(index.onSpotify)
        // Each match comes with its live twin and a tribute decoy, as real searches do.
        var items: [AlbumJSON] = []
        for album in matches {
            items.append(albumJSON(album, variant: 0))
            items.append(albumJSON(album, variant: 1))
            items.append(albumJSON(album, variant: 2))
        }
        let page = Array(items.dropFirst(offset).prefix(limit))
        let encodedQuery = q.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        func link(_ offset: Int) -> String { "\(base)/spotify/v1/search?offset=\(offset)&limit=\(limit)&query=\(encodedQuery)&type=album" }
        let paging = PagingJSON(
            href: link(offset), items: page, limit: limit, next: offset + limit < items.count ? link(offset + limit) : nil,
            offset: offset, previous: offset > 0 ? link(max(0, offset - limit)) : nil, total: items.count)
        return encode(["albums": paging])
    }

    /// variant 0: the album (sometimes as a deluxe edition, with accents); 1: a live twin;
    /// 2: a tribute decoy by another artist.
    func albumJSON(_ album: FakeWorld.Album, variant: Int) -> AlbumJSON {
        let h = index.albumHash(album) &+ UInt64(variant) &* 0x1000_0000_0000_0001
        let id = FakeIndex.spotifyID(h)
        var name = album.title
        if variant == 0 && h % 5 == 0 { name += " (Deluxe Edition)" }
        if name.hasSuffix("(Soundtrack)") { name = FakeIndex.baseTitle(name) + " (Original Motion Picture Soundtrack)" }
        if variant == 1 { name += " (Live)" }
        if variant == 2 { name = "A Tribute to " + name }
        var artistNames = album.artist.components(separatedBy: " Featuring ").map { $0 }
        if album.isCompilation { artistNames = ["Various Artists"] }
        if variant == 2 { artistNames = ["The Tribute Players"] }
        let hex = FakeIndex.hex(h, digits: 24)
        let images = [("ab67616d0000b273", 640), ("ab67616d00001e02", 300), ("ab67616d00004851", 64)].map { prefix, size in
            AlbumJSON.Image(url: "\(base)/spotify-images/image/\(prefix)\(hex)", height: size, width: size)
        }
        let year = 2000 + Int(album.index % 26)
        return AlbumJSON(
            album_type: album.isCompilation ? "compilation" : "album", total_tracks: 10 + Int(h % 8), id: id, name: name,
            release_date: "\(year)-0\(1 + h % 9)-1\(h % 9)", uri: "spotify:album:\(id)", href: "\(base)/spotify/v1/albums/\(id)",
            images: images,
            artists: artistNames.map { AlbumJSON.Artist(id: FakeIndex.spotifyID(index.world.hash($0, 0, 0)), name: $0, uri: "spotify:artist:x") })
    }

    func encode<T: Encodable>(_ value: T) -> FakeReply {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return FakeReply(
            status: 200, headers: [("Content-Type", "application/json; charset=utf-8")],
            body: Array((try? encoder.encode(value)) ?? Data("{}".utf8)))
    }

    /// `GET /spotify-images/image/{prefix}{24 hex}`: a JPEG of the size the prefix names.
    func spotifyImage(_ request: FakeRequest) -> FakeReply {
        let name = String(request.path.split(separator: "/").last ?? "")
        guard name.count == 40 else { return .status(404) }
        let prefix = String(name.prefix(16)), hex = String(name.suffix(24))
        let size = ["ab67616d0000b273": 640, "ab67616d00001e02": 300, "ab67616d00004851": 64][prefix]
        guard let size else { return .status(404) }
        let h = Self.hexValue(hex)
        let colour = (UInt8(truncatingIfNeeded: h), UInt8(truncatingIfNeeded: h >> 8), UInt8(truncatingIfNeeded: h >> 16))
        let bytes = FakeImages.jpeg(
            width: size, height: size, red: colour.0, green: colour.1, blue: colour.2,
            label: "fake spotify \(name)")
        return FakeReply(status: 200, headers: [("Content-Type", "image/jpeg")], body: bytes)
    }

    static func hexValue(_ text: String) -> UInt64 {
        text.prefix(16).reduce(UInt64(0)) { ($0 << 4) | UInt64($1.hexDigitValue ?? 0) }
    }
}
