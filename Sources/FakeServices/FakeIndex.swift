import DataCollection
import Foundation

/// Search indexes over the fake world's albums, with service identifiers derived by hashing.
/// Matching uses Foundation's case- and diacritic-insensitive folding, deliberately not the
/// collector's own normaliser, so the fake checks the client rather than mirroring it.
struct FakeIndex: Sendable {
    let albums: [FakeWorld.Album]
    let byTitle: [String: [Int]]
    let byFirstWord: [String: [Int]]
    let bySpotifyID: [String: Int]
    let byImageHex: [String: Int]
    let byMBID: [String: Int]
    let world: FakeWorld
    let configuration: FakeConfiguration

    init(world: FakeWorld, configuration: FakeConfiguration) {
        self.world = world
        self.configuration = configuration
        albums = world.allAlbums()
        var byTitle: [String: [Int]] = [:], byFirstWord: [String: [Int]] = [:]
        var bySpotifyID: [String: Int] = [:], byImageHex: [String: Int] = [:], byMBID: [String: Int] = [:]
        for (position, album) in albums.enumerated() {
            let folded = Self.fold(album.title)
            byTitle[folded, default: []].append(position)
            let base = Self.fold(Self.baseTitle(album.title))
            if base != folded { byTitle[base, default: []].append(position) }
            if let first = folded.split(separator: " ").first { byFirstWord[String(first), default: []].append(position) }
            let h = world.hash(album.genre, album.index, 11)
            bySpotifyID[Self.spotifyID(h)] = position
            byImageHex[Self.hex(h, digits: 24)] = position
            byMBID[Self.uuid(h)] = position
            byMBID[Self.uuid(h ^ 0xFFFF)] = position
        }
        self.byTitle = byTitle
        self.byFirstWord = byFirstWord
        self.bySpotifyID = bySpotifyID
        self.byImageHex = byImageHex
        self.byMBID = byMBID
    }

    static func fold(_ text: String) -> String {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "en_US_POSIX"))
        return folded.replacingOccurrences(of: "\"", with: " ").split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// The title without a trailing parenthetical ("X (Soundtrack)" → "X").
    static func baseTitle(_ title: String) -> String {
        guard title.hasSuffix(")"), let open = title.lastIndex(of: "(") else { return title }
        return String(title[..<open]).trimmingCharacters(in: .whitespaces)
    }

    static func hex(_ value: UInt64, digits: Int) -> String {
        var text = ""
        var v = value
        var round: UInt64 = 1
        while text.count < digits {
            text += String(v & 0xF, radix: 16)
            v >>= 4
            if v == 0 {
                round &+= 1
                v = value &* (0x9E37_79B9_7F4A_7C15 &* round) | 1
            }
        }
        return text
    }

    static func spotifyID(_ value: UInt64) -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var v = value, text = ""
        for step in 0..<22 {
            text.append(alphabet[Int(v % 62)])
            v /= 62
            if v == 0 { v = value &* UInt64(step + 3) | 1 }
        }
        return text
    }

    static func uuid(_ value: UInt64) -> String {
        let h = hex(value, digits: 32)
        let c = Array(h)
        return "\(String(c[0..<8]))-\(String(c[8..<12]))-4\(String(c[13..<16]))-a\(String(c[17..<20]))-\(String(c[20..<32]))"
    }

    func albumHash(_ album: FakeWorld.Album) -> UInt64 { world.hash(album.genre, album.index, 11) }

    func onSpotify(_ album: FakeWorld.Album) -> Bool {
        Int(world.hash(album.genre, album.index, 12) % 100) >= configuration.spotifyMissingPercent
    }

    /// 0: no art anywhere; 1: art only on the first release; otherwise on the release group.
    func coverArtKind(_ album: FakeWorld.Album) -> Int {
        let roll = Int(world.hash(album.genre, album.index, 13) % 100)
        if roll < configuration.coverArtMissingPercent { return 0 }
        return roll < configuration.coverArtMissingPercent + 10 ? 1 : 2
    }

    /// Albums whose folded title equals `title` and whose folded artist credit contains `artist`.
    func lookUp(title: String, artist: String?) -> [FakeWorld.Album] {
        let candidates = byTitle[Self.fold(title)] ?? []
        return candidates.map { albums[$0] }.filter { album in
            guard let artist, !artist.isEmpty else { return true }
            return Self.fold(album.artist).contains(Self.fold(artist))
        }
    }

    /// Albums whose folded "title artist" contains every word of the free text.
    func freeText(_ text: String) -> [FakeWorld.Album] {
        let words = Self.fold(text).split(separator: " ").map(String.init)
        guard let first = words.first else { return [] }
        return (byFirstWord[first] ?? []).map { albums[$0] }.filter { album in
            let haystack = Self.fold(album.title + " " + album.artist)
            return words.allSatisfy { haystack.contains($0) }
        }
    }
}
