import Catalog
import Foundation

/// Normalisation of Billboard and Spotify titles and artists, so the same album gets one key
/// across charts and weeks and can be matched against search results (data-sources.md §3).
///
/// Steps for any string: NFKD, drop combining marks (Billboard strips diacritics, Spotify keeps
/// them), lower-case, curly quotes → straight, `&` → `and`, strip trailing bracketed or ` - `
/// suffixes that hold a variant keyword (deluxe, explicit, soundtrack, …), then punctuation
/// → space and whitespace collapsed.
public enum AlbumNormalizer {
    static let variantKeywords = [
        "deluxe", "edition", "expanded", "remaster", "anniversary", "bonus", "explicit", "clean", "soundtrack",
        "original motion picture", "ost", "ep", "live", "version", "reissue",
    ]

    /// Folds case and accents and collapses punctuation: "Beyoncé & JAY-Z" → "beyonce and jay z".
    ///
    /// One pass over the scalars, then one over the characters: this runs several times for every
    /// chart row, and Foundation's `replacingOccurrences` made it the collector's hottest function.
    public static func fold(_ text: String) -> String {
        // NFKD leaves ASCII as it is, so plain titles skip the decomposition.
        let decomposed = text.utf8.allSatisfy { $0 < 0x80 } ? text : text.decomposedStringWithCompatibilityMapping
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(decomposed.utf8.count + 8)
        for scalar in decomposed.unicodeScalars {
            switch scalar.value {
            // Apostrophes, straight or curly, join words ("don't" → "dont").
            case 0x27, 0x2018, 0x2019: continue
            case 0x26: scalars.append(contentsOf: " and ".unicodeScalars)
            default:
                switch scalar.properties.generalCategory {
                case .nonspacingMark, .spacingMark, .enclosingMark: continue
                default: scalars.append(scalar)
                }
            }
        }
        // Letters and digits stay; anything else separates words, and separators collapse to one space.
        var folded = ""
        folded.reserveCapacity(scalars.count)
        var pendingSpace = false
        for character in String(scalars).lowercased() {
            if character.isLetter || character.isNumber {
                if pendingSpace && !folded.isEmpty { folded.append(" ") }
                pendingSpace = false
                folded.append(character)
            } else {
                pendingSpace = true
            }
        }
        return folded
    }

    /// Removes trailing "(Deluxe Edition)", "[Explicit]", " - EP", "(Soundtrack)"-style suffixes
    /// when they hold a variant keyword; repeated while one is found.
    public static func strippingVariantSuffixes(_ title: String) -> String {
        var current = title.trimmingWhitespace()
        while true {
            guard let range = trailingSuffixRange(current) else { return current }
            let suffix = fold(String(current[range]))
            let words = Set(suffix.split(separator: " ").map(String.init))
            let isVariant = variantKeywords.contains { keyword in
                keyword.contains(" ")
                    ? suffix.contains(keyword) : words.contains(keyword) || words.contains { $0.hasPrefix(keyword) && keyword.count >= 5 }
            }
            guard isVariant else { return current }
            let stripped = String(current[..<range.lowerBound]).trimmingWhitespace()
            if stripped.isEmpty { return current }
            current = stripped
        }
    }

    /// The range of a trailing `(…)`, `[…]` or ` - …` part.
    static func trailingSuffixRange(_ text: String) -> Range<String.Index>? {
        if let last = text.last, last == ")" || last == "]" {
            let open: Character = last == ")" ? "(" : "["
            if let start = text.lastIndex(of: open) { return start..<text.endIndex }
        }
        if let dash = text.range(of: " - ", options: .backwards) { return dash.lowerBound..<text.endIndex }
        return nil
    }

    /// Normalised title: variant suffixes stripped, then folded.
    public static func title(_ title: String) -> String {
        let folded = fold(strippingVariantSuffixes(title))
        return folded.isEmpty ? fold(title) : folded
    }

    /// Separators between credited artists, tried on the folded artist string.
    static let artistSeparators = [" featuring ", " feat ", " ft ", " with ", " and ", " x ", " + ", " vs ", ","]

    /// Every credited artist, folded: "A Featuring B & C" → ["a", "b", "c"].
    public static func artistParts(_ artist: String) -> [String] {
        var text = artist.lowercased().replacingOccurrences(of: "+", with: " + ")
        text = text.replacingOccurrences(of: ",", with: " , ")
        var parts = [" " + fold(text.replacingOccurrences(of: ",", with: " comma ")) + " "]
        for separator in artistSeparators {
            let token = separator == "," ? " comma " : separator
            parts = parts.flatMap { $0.components(separatedBy: token) }
        }
        let cleaned = parts.map { $0.split(separator: " ").joined(separator: " ") }.filter { !$0.isEmpty }
        return cleaned.isEmpty ? [fold(artist)] : cleaned
    }

    /// The primary artist used in keys and queries: the first credited artist when it has at least
    /// three characters, otherwise the whole folded credit (so "Sly & Robbie" stays intact-ish).
    public static func primaryArtist(_ artist: String) -> String {
        let parts = artistParts(artist)
        if let first = parts.first, first.count >= 3 { return first }
        return fold(artist)
    }

    /// Whether the credit names no real artist: compilations and soundtracks.
    public static func isCompilation(title: String, artist: String) -> Bool {
        if ArtistCredit.namesNoArtist(artist) { return true }
        let foldedTitle = fold(title)
        return foldedTitle.hasSuffix(" soundtrack") && title.lowercased().contains("(soundtrack)")
    }

    /// The album key shared across charts and weeks: `normalised title|primary artist`, with `*`
    /// for compilations and soundtracks (whose credits vary between charts).
    public static func albumKey(title: String, artist: String) -> String {
        identity(title: title, artist: artist).key
    }

    /// Everything the catalog stores about a chart row's album, each part computed once.
    public struct Identity: Sendable, Equatable {
        public var key: String
        public var title: String
        public var primaryArtist: String
        public var isCompilation: Bool
    }

    public static func identity(title: String, artist: String) -> Identity {
        let normalizedTitle = Self.title(title)
        let primary = primaryArtist(artist)
        let compilation = isCompilation(title: title, artist: artist)
        return Identity(
            key: "\(normalizedTitle)|\(compilation ? "*" : primary)", title: normalizedTitle,
            primaryArtist: primary, isCompilation: compilation)
    }

    /// Similarity in [0, 1]: 1 − Levenshtein distance / longer length, on folded strings.
    public static func similarity(_ lhs: String, _ rhs: String) -> Double {
        let a = Array(lhs), b = Array(rhs)
        if a.isEmpty && b.isEmpty { return 1 }
        if a.isEmpty || b.isEmpty { return 0 }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return 1 - Double(previous[b.count]) / Double(max(a.count, b.count))
    }
}
