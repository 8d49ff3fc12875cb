import Catalog
import Foundation
import Imaging
import Models
import RunArtifacts

/// The covers a trained model has learned from or been chosen on: its runs' training and
/// validation covers (a final fit trained on both). A test set from outside the catalog must leave
/// them out, and a copy that differs only in encoding or size (a re-upload, a deluxe edition's art)
/// counts as seen, as it counts as the same art when `split` groups covers.
public struct SeenCovers: Sendable {
    /// One cover the model has seen.
    public struct Cover: Sendable {
        public var filePath: String
        public var sha256: String
        /// The DCT hash; nil when the file could not be read (then only identical bytes match).
        public var perceptualHash: PerceptualHash?
    }

    public typealias Match = SeenCover

    public let covers: [Cover]
    /// Hashes at most this many bits apart count as the same art (`split`'s default is 6).
    public let nearDuplicateDistance: Int
    private let indexBySHA256: [String: Int]

    public init(covers: [Cover], nearDuplicateDistance: Int) {
        self.covers = covers
        self.nearDuplicateDistance = nearDuplicateDistance
        indexBySHA256 = Dictionary(covers.enumerated().map { ($1.sha256, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The seen cover that `file` repeats: the one with the same bytes, else the nearest whose hash
    /// is within `nearDuplicateDistance` bits; nil for a cover new to the model.
    public func match(file: String, sha256: String, perceptualHash: PerceptualHash?) -> Match? {
        if let index = indexBySHA256[sha256] {
            return Match(file: file, seenFile: covers[index].filePath, identical: true, distance: 0)
        }
        guard let hash = perceptualHash else { return nil }
        // A linear scan: a few thousand seen covers by a few thousand outside ones is a few million
        // XOR-and-popcounts, well under a second; a BK-tree would not pay for itself.
        var best: (index: Int, distance: Int)?
        for (index, cover) in covers.enumerated() {
            guard let seen = cover.perceptualHash else { continue }
            let distance = hash.distance(to: seen)
            if distance <= nearDuplicateDistance, distance < (best?.distance ?? .max) { best = (index, distance) }
        }
        return best.map { Match(file: file, seenFile: covers[$0.index].filePath, identical: false, distance: $0.distance) }
    }
}

/// Why the covers a model has seen cannot be told.
public enum SeenCoversError: Error, CustomStringConvertible, Sendable {
    /// The run (or an ensemble member's source run) has no `split.json` to say what it trained on.
    case noSplitRecord(run: String)
    /// The run's `split.json` names covers that the catalog does not hold: another catalog.
    case otherCatalog(run: String, missing: Int, example: String)

    public var description: String {
        switch self {
        case .noSplitRecord(let run):
            "cannot tell which covers \(run) learned from: \(run)/split.json is missing (a copied model, or an ensemble member's source run that is not in the runs folder)"
        case .otherCatalog(let run, let missing, let example):
            "cannot tell which covers \(run) learned from: \(missing) covers of its split.json are not in this catalog (e.g. \(example)); pass the catalog it was trained on with --catalog"
        }
    }
}

extension SeenCovers {
    /// The covers of `catalogImages` that the model in `folder` trained or was chosen on, as its
    /// `split.json` records them (an ensemble: each member's source run, found beside the ensemble
    /// in the runs folder). Every seen cover is hashed; `progress(done, total)` follows that.
    public static func of(
        modelAt folder: URL, catalogImages: [LabelledImage], nearDuplicateDistance: Int, progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> SeenCovers {
        let runs =
            try ModelArchive.ensembleDescription(in: folder).map { ensemble in
                ensemble.sources.map { folder.deletingLastPathComponent().appendingPathComponent($0) }
            } ?? [folder]
        // An album can hold two images, filed under two genres (covers-dev has one such release).
        let byID = Dictionary(grouping: catalogImages, by: \.albumID)
        func image(of entry: SplitEntry) -> LabelledImage? {
            byID[entry.id]?.first { $0.url.lastPathComponent == entry.file && $0.genre == entry.genre }
        }
        var seen: [String: LabelledImage] = [:]
        for run in runs {
            let directory = RunDirectory(url: run)
            guard let entries = try? directory.readJSON([SplitEntry].self, from: directory.splitURL) else {
                throw SeenCoversError.noSplitRecord(run: run.lastPathComponent)
            }
            let learned = entries.filter { $0.split != .test }
            let missing = learned.filter { image(of: $0) == nil }
            if let first = missing.first {
                throw SeenCoversError.otherCatalog(run: run.lastPathComponent, missing: missing.count, example: first.file)
            }
            for entry in learned { seen[image(of: entry)!.filePath] = image(of: entry) }
        }
        let images = seen.values.sorted { $0.filePath < $1.filePath }
        let decoder = ImageDecoder()
        var covers: [Cover] = []
        for (done, image) in images.enumerated() {
            covers.append(
                Cover(
                    filePath: image.filePath, sha256: image.sha256, perceptualHash: try? PerceptualHash.dct(contentsOf: image.url, decoder: decoder)))
            progress(done + 1, images.count)
        }
        return SeenCovers(covers: covers, nearDuplicateDistance: nearDuplicateDistance)
    }
}
