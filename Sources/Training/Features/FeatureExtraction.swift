import Catalog
import Foundation
import Imaging
import Models
import TensorCore

/// Computes (or reads from the cache) the frozen backbone's pooled features of every image.
///
/// View 0 is the evaluation crop; views 1…v−1 are augmented crops drawn from generators derived from
/// (seed, view, image id), so the cache content is the same whichever run computes it first.
struct FeatureExtractor {
    let model: any ImageClassifier
    let transform: any ImageTransforming
    let cache: FeatureCache
    let seed: UInt64
    let batchSize: Int

    /// Features of `views` views of every image; images that cannot be read are reported and left
    /// out (their indices are missing from the result's `kept`).
    func extract(
        _ images: [LabelledImage], labels: [Int], views: Int, progress: (Int, Int) -> Void
    ) -> (set: FeatureSet, kept: [Int], failures: [String]) {
        var result = Array(repeating: [[Float]](), count: images.count)
        var failures: [String] = []
        var failed = Set<Int>()
        // Work list: every (image, view) not yet cached.
        var missing: [(image: Int, view: Int)] = []
        for (i, image) in images.enumerated() {
            for view in 0..<views {
                if let cached = cache.features(sha256: image.sha256, view: view) {
                    result[i].append(cached)
                } else {
                    missing.append((i, view))
                }
            }
        }
        var done = images.count * views - missing.count
        progress(done, images.count * views)
        let size = transform.size
        let (transform, seed, work) = (self.transform, self.seed, missing)
        let loader = BatchPrefetcher(count: work.count, batchSize: batchSize) { range in
            var values: [Float] = []
            var kept: [Int] = []
            var errors: [String] = []
            for position in range {
                let (i, view) = work[position]
                do {
                    if view == 0 {
                        values += try transform.evaluationInput(for: images[i].url)
                    } else {
                        var generator = SeedDerivation.generator(seed: seed, purpose: "cached-view-\(view)", epoch: 0, index: Int(images[i].id))
                        values += try transform.trainingInput(for: images[i].url, generator: &generator)
                    }
                    kept.append(position)
                } catch {
                    errors.append("\(images[i].url.lastPathComponent): \(error)")
                    kept.append(-1 - position)
                }
            }
            let readable = kept.filter { $0 >= 0 }
            let input = readable.isEmpty ? nil : Tensor(shape: [readable.count, 3, size, size], scalars: values)
            return LoadedBatch(input: input, labels: [], indices: readable, requested: kept, failures: errors)
        }
        while let batch = loader.next() {
            failures += batch.failures
            for position in batch.requested where position < 0 { failed.insert(missing[-1 - position].image) }
            if let input = batch.input {
                let rows = splitRows(model.features(input, mode: .inference))
                for (position, row) in zip(batch.indices, rows) {
                    let (i, view) = missing[position]
                    try? cache.store(row, sha256: images[i].sha256, view: view)
                    result[i].append(row)
                }
            }
            done += batch.requested.count
            progress(done, images.count * views)
        }
        // Views were appended in cache-hit-then-computed order; re-read in view order for stability.
        var kept: [Int] = []
        var ordered: [[[Float]]] = []
        for i in images.indices where !failed.contains(i) {
            let viewsOfImage = (0..<views).compactMap { cache.features(sha256: images[i].sha256, view: $0) }
            guard viewsOfImage.count == views else { continue }
            kept.append(i)
            ordered.append(viewsOfImage)
        }
        let set = FeatureSet(views: ordered, labels: kept.map { labels[$0] }, featureCount: model.featureCount)
        return (set, kept, failures)
    }
}
