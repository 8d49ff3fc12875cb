import Catalog
import Checkpoints
import Foundation
import Imaging
import RunArtifacts

extension ExternalSet {
    /// SHA-256 (hex) of the sorted lines `<genre> <sha256 of the file>`: the same covers with the
    /// same labels give the same fingerprint wherever they are, so they are scored once.
    public static func fingerprint(of labelledFiles: [(genre: String, sha256: String)]) -> String {
        let lines = labelledFiles.map { "\($0.genre) \($0.sha256)\n" }.sorted().joined()
        return SHA256Digest.hex(Data(lines.utf8))
    }
}

extension ExternalSet {
    /// Covers of an ImageFolder tree outside the catalog, made ready to score: each labelled with
    /// its folder's genre, or what `relabelled` maps that folder to.
    public struct Candidates: Sendable {
        /// The covers of the model's genres, numbered from 1 in scan order.
        public var images: [LabelledImage]
        /// The files whose genre the model does not know.
        public var unknownGenre: [String]
    }

    /// The scanned covers the model can be scored on (its `classNames`), and the others.
    public static func candidates(_ scanned: [Catalog.ImportedImage], relabelled: [String: String], classNames: [String]) -> Candidates {
        var result = Candidates(images: [], unknownGenre: [])
        for (index, image) in scanned.enumerated() {
            let genre = relabelled[image.genre] ?? image.genre
            guard classNames.contains(genre) else {
                result.unknownGenre.append(image.filePath)
                continue
            }
            result.images.append(
                LabelledImage(
                    albumID: Int64(index + 1), artist: image.artist, title: image.title, genre: genre, genres: [genre], filePath: image.filePath,
                    sha256: image.sha256, width: image.width, height: image.height, split: nil))
        }
        return result
    }
}

extension SeenCovers {
    /// `images` without those the model has seen (the same bytes, or art within
    /// `nearDuplicateDistance` bits), and the matches that left them out; `progress(done)` per cover.
    public func leavingOut(_ images: [LabelledImage], progress: (Int) -> Void = { _ in }) -> (kept: [LabelledImage], seen: [Match]) {
        let decoder = ImageDecoder()
        var kept: [LabelledImage] = []
        var seen: [Match] = []
        for (done, image) in images.enumerated() {
            defer { progress(done + 1) }
            let hash = try? PerceptualHash.dct(contentsOf: image.url, decoder: decoder)
            if let match = match(file: image.filePath, sha256: image.sha256, perceptualHash: hash) {
                seen.append(match)
            } else {
                kept.append(image)
            }
        }
        return (kept, seen)
    }
}
