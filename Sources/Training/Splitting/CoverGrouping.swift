import Catalog
import Foundation
import Imaging

/// How `split` and `crossvalidate` group the catalog's covers before dealing them out: covers of
/// one artist, one release, or near-identical art (perceptual hashes) stay on one side.
extension GroupedSplitter {
    /// Hashes every cover and deals out the groups; splits already given are kept when `keepGiven`.
    public func assign(_ images: [LabelledImage], keepGiven: Bool, progress: (Int) -> Void = { _ in }) -> [Int64: Split] {
        var assignment = assign(Self.groupingItems(images, progress: progress))
        if keepGiven { for image in images { if let given = image.split { assignment[image.albumID] = given } } }
        return assignment
    }

    /// What grouping knows of each cover: its album, genre, exact keys and perceptual hash (an
    /// unreadable cover gets no hash and groups by its keys alone).
    public static func groupingItems(_ images: [LabelledImage], progress: (Int) -> Void = { _ in }) -> [GroupedSplitter.Item] {
        let decoder = ImageDecoder()
        return images.enumerated().map { n, image in
            let hash = try? PerceptualHash.dct(contentsOf: image.url, decoder: decoder).value
            progress(n + 1)
            return .init(id: image.albumID, label: image.genre, groupKeys: groupKeys(image), perceptualHash: hash)
        }
    }

    /// Exact grouping keys: the normalised artist (not for compilations) and the release.
    public static func groupKeys(_ image: LabelledImage) -> [String] {
        var keys: [String] = []
        let artist = ArtistCredit.normalised(image.artist)
        if !artist.isEmpty, !ArtistCredit.namesNoArtist(image.artist) { keys.append("artist:" + artist) }
        let title = ArtistCredit.normalised(image.title)
        if !title.isEmpty { keys.append("release:" + artist + "/" + title) }
        // Discogs image files are named `R-<release id>-<upload id>…`: images of one release share it.
        let stem = URL(fileURLWithPath: image.filePath).lastPathComponent
        if stem.hasPrefix("R-"), let id = stem.dropFirst(2).split(separator: "-").first, id.allSatisfy(\.isNumber) {
            keys.append("release:discogs:\(id)")
        }
        return keys
    }
}
