import Catalog
import Testing

/// One list of credits that name no artist, shared by collection's album keys and the split's groups.
struct ArtistCreditTests {
    @Test(arguments: [
        "Various Artists", "VARIOUS", "V.A.", "Soundtrack", "Original Soundtrack", "Unknown Artist", "Original Broadway Cast", "Various-Artists",
    ])
    func creditsThatNameNoArtist(_ credit: String) {
        #expect(ArtistCredit.namesNoArtist(credit))
    }

    @Test(arguments: ["Johnny Cash", "Vanessa Carlton", "Original Sin", "Soundgarden", "Cast", "Original Cast Recording Orchestra"])
    func creditsThatNameAnArtist(_ credit: String) {
        #expect(!ArtistCredit.namesNoArtist(credit))
    }

    @Test func normalisationFoldsCaseDiacriticsAndPunctuation() {
        #expect(ArtistCredit.normalised("Beyoncé & Jay-Z") == "beyoncejayz")
    }
}
