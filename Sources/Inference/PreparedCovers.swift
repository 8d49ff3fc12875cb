import Foundation
import Imaging

/// One batch of cover files prepared for a `GenrePredictor`: the readable files and their model
/// inputs (`inputValues(contentsOf:)`), in file order, and the files that could not be read.
public struct PreparedCovers: Sendable {
    public var files: [URL]
    public var inputs: [[Float]]
    /// Where each readable file stands in the whole list.
    public var positions: [Int]
    public var failures: [(file: URL, position: Int, error: ImagingError)]
    /// Position just past the batch's last file in the whole list (for progress).
    public var end: Int
}

extension GenrePredictor {
    /// Cover files decoded and prepared on a background thread, up to two batches ahead of the
    /// forward passes, so reading, decoding and resizing overlap the model.
    ///
    /// `workers` threads prepare the files of a batch; one is the default because decoding a cover
    /// costs a few percent of a forward pass (2 ms against 14–20 ms for EfficientNet-Lite0 on one
    /// core), and more decode threads only take cores from the engine. `workers == 0` prepares each
    /// batch inside `next()`, on the caller's thread (no overlap).
    public func preparedBatches(files: [URL], batchSize: Int, workers: Int = 1) -> BatchPrefetcher<PreparedCovers> {
        BatchPrefetcher(count: files.count, batchSize: batchSize, lookahead: workers == 0 ? 0 : 2) { range in
            let chunk = Array(files[range])
            let results = parallelMap(count: chunk.count, workers: max(1, workers)) { index in
                Result { () throws(ImagingError) -> [Float] in try self.inputValues(contentsOf: chunk[index]) }
            }
            var batch = PreparedCovers(files: [], inputs: [], positions: [], failures: [], end: range.upperBound)
            for (position, result) in zip(range, results) {
                switch result {
                case .success(let input):
                    batch.files.append(files[position])
                    batch.inputs.append(input)
                    batch.positions.append(position)
                case .failure(let error): batch.failures.append((files[position], position, error))
                }
            }
            return batch
        }
    }

    /// The genre probabilities of cover files (`probabilities(inputs:)`, in `classNames` order), or
    /// why a file could not be read; one forward pass per `batchSize` files, each batch holding the
    /// readable files of its range. `progress(done, total)` after each batch.
    public func probabilities(
        files: [URL], batchSize: Int = 8, progress: (Int, Int) -> Void = { _, _ in }
    ) -> [Result<[Float], ImagingError>] {
        let batches = preparedBatches(files: files, batchSize: batchSize)
        var rows = [Result<[Float], ImagingError>?](repeating: nil, count: files.count)
        while let batch = batches.next() {
            for (position, row) in zip(batch.positions, probabilities(inputs: batch.inputs)) { rows[position] = .success(row) }
            for failure in batch.failures { rows[failure.position] = .failure(failure.error) }
            progress(batch.end, files.count)
        }
        return rows.map { $0! }
    }
}
