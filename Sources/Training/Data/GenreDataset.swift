import Catalog
import Foundation

/// Training reads the catalog's labelled images directly.
extension LabelledImage {
    /// The cover file.
    public var url: URL { URL(fileURLWithPath: filePath) }
    /// Stable identifier: the album's catalog id.
    public var id: Int64 { albumID }
}

/// A labelled, split dataset restricted to a set of genres, in class-index order.
public struct GenreDataset: Sendable {
    public let classNames: [String]
    public let images: [LabelledImage]

    /// Keeps the images whose genre is in `genres` (all genres present when nil), sorted by id.
    public init(images: [LabelledImage], genres: [String]? = nil) {
        let names = genres ?? Array(Set(images.map(\.genre))).sorted()
        let wanted = Set(names)
        classNames = names
        self.images = images.filter { wanted.contains($0.genre) }.sorted { $0.id < $1.id }
    }

    public func label(of image: LabelledImage) -> Int { classNames.firstIndex(of: image.genre)! }

    public func images(in split: Split) -> [LabelledImage] { images.filter { $0.split == split } }

    /// Count per class in `split`, in class order.
    public func classCounts(in split: Split) -> [Int] {
        var counts = Array(repeating: 0, count: classNames.count)
        for image in images(in: split) { counts[label(of: image)] += 1 }
        return counts
    }

    /// Inverse-frequency class weights `N / (K · n_k)` on the training split (1 for absent classes),
    /// as scikit-learn's `class_weight="balanced"`.
    public func balancedClassWeights() -> [Float] {
        let counts = classCounts(in: .train)
        let total = Float(counts.reduce(0, +))
        return counts.map { $0 == 0 ? 1 : total / (Float(classNames.count) * Float($0)) }
    }
}
