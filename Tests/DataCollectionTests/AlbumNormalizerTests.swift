import Foundation
import Testing

@testable import DataCollection

struct AlbumNormalizerTests {
    @Test(arguments: [
        ("Beyoncé & JAY-Z", "beyonce and jay z"),
        ("El Baño", "el bano"),
        ("Don’t  Stop!", "dont stop"),
        ("  MÚSICA\tLigera ", "musica ligera"),
    ])
    func foldsCaseAccentsAndPunctuation(input: String, expected: String) {
        #expect(AlbumNormalizer.fold(input) == expected)
    }

    /// The straightforward definition (NFKD, drop marks, lower-case, quotes and `&` replaced,
    /// punctuation to spaces, spaces collapsed), kept as the reference for the one-pass `fold`.
    static func referenceFold(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.decomposedStringWithCompatibilityMapping.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: continue
            default: scalars.append(scalar)
            }
        }
        var folded = String(scalars).lowercased()
        for (from, to) in [("\u{2019}", "'"), ("\u{2018}", "'"), ("\u{201C}", "\""), ("\u{201D}", "\""), ("&", " and ")] {
            folded = folded.replacingOccurrences(of: from, with: to)
        }
        folded = folded.replacingOccurrences(of: "'", with: "")
        return String(folded.map { $0.isLetter || $0.isNumber ? $0 : " " }).split(separator: " ").joined(separator: " ")
    }

    @Test(arguments: [
        "Beyoncé & JAY-Z", "Don’t  Stop!", "“Quoted” ‘Single’ 'Plain'", "&Intro&", "  ", "", "İstanbul ŞARKI",
        "Ｆｕｌｌｗｉｄｔｈ ① ½ ﬁne", "Ærøskøbing Straße", "東京 ラブストーリー", "Rosalía — Motomami+", "AC/DC: Live @ Donington",
        "Tyler, The Creator", "Émile\u{301}\u{20DD} x", "👩‍👩‍👧 Family 🇺🇸", "Sigur Rós ( ) [ ] - EP", "\tTabs\nand\r\nlines",
    ])
    func onePassFoldMatchesTheReferenceDefinition(input: String) {
        #expect(AlbumNormalizer.fold(input) == Self.referenceFold(input), "\(input)")
    }

    @Test(arguments: [
        ("Folklore (Deluxe Edition)", "folklore"),
        ("Scorpion [Explicit]", "scorpion"),
        ("A Star Is Born (Soundtrack)", "a star is born"),
        ("Abbey Road (Remastered 2019) - EP", "abbey road"),
        ("Live At Leeds", "live at leeds"),
        ("(What's The Story) Morning Glory?", "whats the story morning glory"),
        ("Songs (For You)", "songs for you"),
    ])
    func stripsOnlyVariantSuffixes(input: String, expected: String) {
        #expect(AlbumNormalizer.title(input) == expected)
    }

    @Test func splitsCreditedArtists() {
        #expect(AlbumNormalizer.artistParts("Bad Bunny Featuring Tainy & J Balvin") == ["bad bunny", "tainy", "j balvin"])
        #expect(AlbumNormalizer.artistParts("Lil Baby x Lil Durk") == ["lil baby", "lil durk"])
        #expect(AlbumNormalizer.artistParts("Tyler, The Creator") == ["tyler", "the creator"])
        #expect(AlbumNormalizer.primaryArtist("Elvis Costello & Allen Toussaint") == "elvis costello")
        // A first part shorter than three characters keeps the whole credit.
        #expect(AlbumNormalizer.primaryArtist("MO & Friends") == "mo and friends")
    }

    @Test func sameAlbumGetsOneKeyAcrossChartsAndSpellings() {
        let billboard = AlbumNormalizer.albumKey(title: "Manana Sera Bonito", artist: "Karol G")
        let accented = AlbumNormalizer.albumKey(title: "Mañana Será Bonito (Deluxe Edition)", artist: "KAROL G Featuring Someone")
        #expect(billboard == accented)
        #expect(AlbumNormalizer.albumKey(title: "Now 80", artist: "Various Artists") == "now 80|*")
        #expect(
            AlbumNormalizer.albumKey(title: "Barbie (Soundtrack)", artist: "Soundtrack")
                == AlbumNormalizer.albumKey(title: "Barbie (Soundtrack)", artist: "Dua Lipa & Lizzo"))
        #expect(AlbumNormalizer.albumKey(title: "Red", artist: "Taylor Swift") != AlbumNormalizer.albumKey(title: "Red", artist: "Sammy Hagar"))
    }

    @Test func matcherAcceptsEditionsAndRejectsOtherArtists() {
        let album = AlbumQuery(title: "Manana Sera Bonito", artist: "Karol G", isCompilation: false)
        #expect(CoverMatcher.score(candidateTitle: "MAÑANA SERÁ BONITO (Deluxe)", candidateArtists: ["KAROL G"], for: album) == 1)
        #expect(CoverMatcher.score(candidateTitle: "Mañana Será Bonito", candidateArtists: ["The Tribute Players"], for: album) == nil)
        #expect(CoverMatcher.score(candidateTitle: "Bichota Season", candidateArtists: ["KAROL G"], for: album) == nil)
        let compilation = AlbumQuery(title: "Now 80", artist: "Various Artists", isCompilation: true)
        #expect(CoverMatcher.score(candidateTitle: "NOW 80", candidateArtists: ["Various Artists"], for: compilation) == 1)
    }

    @Test func similarityIsOneMinusNormalisedEditDistance() {
        #expect(AlbumNormalizer.similarity("kitten", "sitting") == 1 - 3.0 / 7.0)
        #expect(AlbumNormalizer.similarity("", "") == 1)
        #expect(AlbumNormalizer.similarity("abc", "") == 0)
    }
}
