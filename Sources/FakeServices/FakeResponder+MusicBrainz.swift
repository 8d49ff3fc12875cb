import DataCollection
import Foundation

/// Fake MusicBrainz release-group search and Cover Art Archive (307 redirects to `/archive/`).
extension FakeResponder {
    struct ReleaseGroupJSON: Encodable {
        struct Credit: Encodable {
            var name: String
            var joinphrase = ""
        }
        struct Release: Encodable {
            var id: String
            var title: String
            var status = "Official"
        }
        var id: String
        var score: Int
        var title: String
        var primaryType = "Album"
        var artistCredit: [Credit]
        var releases: [Release]
        enum CodingKeys: String, CodingKey {
            case id, score, title, releases
            case primaryType = "primary-type"
            case artistCredit = "artist-credit"
        }
    }

    struct SearchJSON: Encodable {
        var created = "2026-01-01T00:00:00.000Z"
        var count: Int
        var offset = 0
        var releaseGroups: [ReleaseGroupJSON]
        enum CodingKeys: String, CodingKey {
            case created, count, offset
            case releaseGroups = "release-groups"
        }
    }

    /// Values of `field:"…"` terms in a Lucene query, unescaped.
    static func luceneTerm(_ field: String, in query: String) -> String? {
        guard let start = query.range(of: "\(field):\"") else { return nil }
        var value = "", escaped = false
        for character in query[start.upperBound...] {
            if escaped {
                value.append(character)
                escaped = false
                continue
            }
            if character == "\\" {
                escaped = true
                continue
            }
            if character == "\"" { return value }
            value.append(character)
        }
        return value
    }

    func musicBrainz(_ request: FakeRequest) -> FakeReply {
        guard request.path.hasPrefix("/musicbrainz/ws/2/release-group") else { return .status(404) }
        let agent = request.headers["user-agent"] ?? ""
        guard agent.contains("(") || agent.contains("@") else {
            return .json(403, #"{"error":"Your requests are being blocked: provide a meaningful User-Agent"}"#)
        }
        guard let query = request.query["query"], let title = Self.luceneTerm("releasegroup", in: query) else {
            return .json(400, #"{"error":"Invalid query"}"#)
        }
        let artist = Self.luceneTerm("artist", in: query)
        let groups = index.lookUp(title: title, artist: artist).map { album -> ReleaseGroupJSON in
            let h = index.albumHash(album)
            return ReleaseGroupJSON(
                id: FakeIndex.uuid(h), score: 100, title: album.title,
                artistCredit: [.init(name: album.isCompilation ? "Various Artists" : album.artist)],
                releases: [.init(id: FakeIndex.uuid(h ^ 0xFFFF), title: album.title)])
        }
        let encoder = JSONEncoder()
        let body = (try? encoder.encode(SearchJSON(count: groups.count, releaseGroups: groups))) ?? Data()
        return FakeReply(status: 200, headers: [("Content-Type", "application/json")], body: Array(body))
    }

    /// `/coverartarchive/{release-group|release}/{mbid}/front[-size]`.
    func coverArt(_ request: FakeRequest) -> FakeReply {
        guard request.method == "GET" || request.method == "HEAD" else { return .status(405) }
        let parts = request.path.split(separator: "/").map(String.init)
        guard parts.count == 4, ["release-group", "release"].contains(parts[1]) else { return .status(404) }
        guard parts[2].count == 36 else { return .status(400, "invalid UUID") }
        guard let position = index.byMBID[parts[2]] else { return .status(404) }
        let album = index.albums[position]
        let kind = index.coverArtKind(album)
        let isGroup = parts[1] == "release-group"
        let hasArt = kind == 2 || (kind == 1 && !isGroup && parts[2] == FakeIndex.uuid(index.albumHash(album) ^ 0xFFFF))
        guard hasArt, parts[3].hasPrefix("front") else { return .status(404) }
        let size = Int(parts[3].split(separator: "-").last ?? "") ?? 1200
        return FakeReply(status: 307, headers: [("Location", "\(base)/archive/\(parts[2])-\(size).png")], body: [])
    }

    func archiveImage(_ request: FakeRequest) -> FakeReply {
        let name = String(request.path.split(separator: "/").last ?? "")
        guard name.hasSuffix(".png"), let dash = name.lastIndex(of: "-"),
            let size = Int(name[name.index(after: dash)...].dropLast(4)), [250, 500, 1200].contains(size)
        else { return .status(404) }
        let h = Self.hexValue(name.replacingOccurrences(of: "-", with: ""))
        let bytes = FakeImages.png(
            width: size, height: size, red: UInt8(truncatingIfNeeded: h), green: UInt8(truncatingIfNeeded: h >> 8),
            blue: UInt8(truncatingIfNeeded: h >> 16), label: "fake cover art archive \(name)")
        return FakeReply(status: 200, headers: [("Content-Type", "image/png")], body: bytes)
    }
}
