import Foundation

/// What an album's artist credit says about who made it.
public enum ArtistCredit {
    /// Credits that name no real artist, after `normalised`: compilations, soundtracks and
    /// placeholders. Collection keys such albums by title alone, and the split does not group
    /// covers by such an "artist".
    public static let noArtist: Set<String> = ["variousartists", "various", "va", "soundtrack", "originalsoundtrack", "unknownartist"]

    /// Whether `credit` names no real artist: one of `noArtist`, or an original cast ("Original
    /// Broadway Cast", "Original London Cast").
    public static func namesNoArtist(_ credit: String) -> Bool {
        let key = normalised(credit)
        return noArtist.contains(key) || (key.hasPrefix("original") && key.hasSuffix("cast"))
    }

    /// Case and diacritics folded, letters and digits only: "Various Artists" → "variousartists".
    public static func normalised(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).filter { $0.isLetter || $0.isNumber }
    }
}
