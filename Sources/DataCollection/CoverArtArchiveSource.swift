import Foundation

/// Finds album art without an account: a MusicBrainz release-group search (Lucene query,
/// 1 request/s, a User-Agent with contact) then the Cover Art Archive front image, first for the
/// release group and then for up to three of its releases. CAA answers 307 to the image host;
/// the HTTP client follows it. 404 means "no art".
public struct CoverArtArchiveSource: CoverSource {
    public let name = "coverartarchive"
    let musicBrainzBaseURL: String
    let coverArtBaseURL: String
    let musicBrainz: PoliteClient
    let coverArt: PoliteClient
    /// CAA thumbnail size suffix: 250, 500 or 1200.
    let size: Int

    public init(
        musicBrainzBaseURL: String, coverArtBaseURL: String, musicBrainz: PoliteClient,
        coverArt: PoliteClient, size: Int = 500
    ) {
        self.musicBrainzBaseURL = musicBrainzBaseURL.trimmingTrailingSlash()
        self.coverArtBaseURL = coverArtBaseURL.trimmingTrailingSlash()
        self.musicBrainz = musicBrainz
        self.coverArt = coverArt
        self.size = size
    }

    struct SearchResponse: Decodable {
        struct ReleaseGroup: Decodable {
            struct Credit: Decodable { var name: String? }
            struct Release: Decodable { var id: String }
            var id: String
            var title: String
            var score: Int?
            var artistCredit: [Credit]?
            var releases: [Release]?
            enum CodingKeys: String, CodingKey {
                case id, title, score, releases
                case artistCredit = "artist-credit"
            }
        }
        var releaseGroups: [ReleaseGroup]
        enum CodingKeys: String, CodingKey { case releaseGroups = "release-groups" }
    }

    /// Escapes Lucene's special characters inside a quoted phrase.
    static func luceneEscaped(_ text: String) -> String {
        let special = Set("+-&|!(){}[]^\"~*?:\\/")
        return String(text.flatMap { special.contains($0) ? ["\\", $0] : [$0] })
    }

    public func fetchCover(for album: AlbumQuery) async throws -> CoverDownload? {
        let title = Self.luceneEscaped(AlbumNormalizer.strippingVariantSuffixes(album.title))
        var query = "releasegroup:\"\(title)\""
        if !album.isCompilation {
            query += " AND artist:\"\(Self.luceneEscaped(AlbumNormalizer.primaryArtist(album.artist)))\""
        }
        var components = URLComponents(string: "\(musicBrainzBaseURL)/ws/2/release-group/")!
        components.queryItems = [
            URLQueryItem(name: "query", value: query), URLQueryItem(name: "fmt", value: "json"),
            URLQueryItem(name: "limit", value: "5"),
        ]
        let url = components.url!.absoluteString
        let response = try await musicBrainz.send(HTTPRequest(url: url, headers: [("Accept", "application/json")]))
        guard response.status == 200 else { throw CollectorError.httpStatus(response.status, url: url) }
        let groups: [SearchResponse.ReleaseGroup]
        do {
            groups = try JSONDecoder().decode(SearchResponse.self, from: Data(response.body)).releaseGroups
        } catch {
            throw CollectorError.badResponse(url: url, reason: "MusicBrainz JSON: \(error)")
        }
        let accepted = groups.compactMap { group -> (SearchResponse.ReleaseGroup, Double)? in
            CoverMatcher.score(
                candidateTitle: group.title, candidateArtists: (group.artistCredit ?? []).compactMap(\.name),
                for: album
            ).map { (group, $0) }
        }
        // Stable order: best title score, then MusicBrainz's own score.
        let ordered = accepted.sorted { ($0.1, $0.0.score ?? 0) > ($1.1, $1.0.score ?? 0) }
        for (group, _) in ordered.prefix(2) {
            let paths = ["release-group/\(group.id)"] + (group.releases ?? []).prefix(3).map { "release/\($0.id)" }
            for path in paths {
                let imageURL = "\(coverArtBaseURL)/\(path)/front-\(size)"
                let image = try await coverArt.send(HTTPRequest(url: imageURL))
                if image.status == 404 { continue }
                guard image.status == 200 else { throw CollectorError.httpStatus(image.status, url: imageURL) }
                return CoverDownload(source: name, sourceID: group.id, url: imageURL, bytes: image.body)
            }
        }
        return nil
    }
}
