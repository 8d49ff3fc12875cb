import Foundation

/// One training or evaluation example: an image file and its class index.
public struct LabeledImage: Sendable, Hashable {
    public var url: URL
    public var label: Int
    public init(url: URL, label: Int) {
        self.url = url
        self.label = label
    }
}

/// A batch of decoded, transformed and normalised images.
public struct Batch: Sendable {
    /// `[count, 3, height, width]` floats (NCHW), sample `n` at offset `n * 3 * height * width`.
    public let pixels: [Float]
    /// Class index of each sample.
    public let labels: [Int]
    /// Position of each sample in the loader's `samples`.
    public let indices: [Int]
    /// Height and width of every image.
    public let imageSize: ImageSize

    public var count: Int { labels.count }
    /// `[count, 3, height, width]`.
    public var shape: [Int] { [count, 3, imageSize.height, imageSize.width] }
}

/// A sample that could not be loaded, and why.
public struct LoadFailure: Sendable, Error, CustomStringConvertible {
    public let index: Int
    public let url: URL
    public let error: ImagingError
    public var description: String { "sample \(index): \(error)" }
}

/// Loads labelled image files in batches on background threads while the caller computes.
///
/// Per epoch, the sample order is shuffled (optionally) from `(seed, epoch)`, cut into batches of
/// `batchSize`, and `workerCount` threads decode and transform up to `prefetchBatches` batches
/// ahead of the consumer. Each sample's augmentation draws from its own generator derived from
/// `(seed, epoch, sample index)`, so batches are identical for any worker count or timing.
///
/// A file that fails to load is skipped (its batch is one sample shorter) and recorded in
/// `failures`; it is not retried in later epochs. A job never stops because of a bad file.
public final class BatchLoader: Sendable {
    public struct Configuration: Sendable, Hashable {
        public var batchSize: Int
        public var shuffles: Bool
        public var seed: UInt64
        /// Decoding/augmenting threads (1 or 2 on a 2-core machine).
        public var workerCount: Int
        /// How many batches may be ready or in progress ahead of the consumer.
        public var prefetchBatches: Int
        /// Passed to `ImageDecoder.decode(contentsOf:minimumSize:)` to allow DCT-domain downscaling.
        public var decodeMinimumSize: ImageSize?

        public init(
            batchSize: Int, shuffles: Bool, seed: UInt64, workerCount: Int = 2, prefetchBatches: Int = 4,
            decodeMinimumSize: ImageSize? = nil
        ) {
            precondition(batchSize > 0 && workerCount > 0 && prefetchBatches > 0, "BatchLoader: sizes must be positive")
            self.batchSize = batchSize
            self.shuffles = shuffles
            self.seed = seed
            self.workerCount = workerCount
            self.prefetchBatches = prefetchBatches
            self.decodeMinimumSize = decodeMinimumSize
        }
    }

    public let samples: [LabeledImage]
    public let transform: any ImageTransform
    public let decoder: ImageDecoder
    public let configuration: Configuration
    private let failureLog = FailureLog()

    public init(
        samples: [LabeledImage], transform: any ImageTransform, decoder: ImageDecoder = ImageDecoder(),
        configuration: Configuration
    ) {
        self.samples = samples
        self.transform = transform
        self.decoder = decoder
        self.configuration = configuration
    }

    /// Every sample that failed so far, by index (first failure only).
    public var failures: [LoadFailure] { failureLog.all }

    /// Number of batches in an epoch (before skipping failed files).
    public var batchCount: Int { (samples.count + configuration.batchSize - 1) / configuration.batchSize }

    /// The sample order of an epoch: a permutation from `(seed, epoch)`, or `0..<count`.
    public func order(epoch: Int) -> [Int] {
        guard configuration.shuffles else { return Array(samples.indices) }
        var generator = SeededGenerator(seed: configuration.seed, stream: 0x5348_5546, UInt64(epoch))
        return generator.permutation(of: samples.count)
    }

    /// Starts the workers for `epoch` and returns the batches in order. Dropping the sequence early
    /// stops the workers after their current batch.
    public func batches(epoch: Int) -> EpochBatches {
        let order = order(epoch: epoch)
        let plan = stride(from: 0, to: order.count, by: configuration.batchSize).map {
            Array(order[$0..<min($0 + configuration.batchSize, order.count)])
        }
        return EpochBatches(loader: self, epoch: epoch, plan: plan)
    }

    /// Decodes, transforms and normalises the samples at `indices` into one batch (runs on a worker).
    func makeBatch(indices: [Int], epoch: Int) -> Batch {
        let size = transform.outputSize
        let sampleLength = 3 * size.width * size.height
        var pixels = [Float](repeating: 0, count: indices.count * sampleLength)
        var labels: [Int] = []
        var kept: [Int] = []
        pixels.withUnsafeMutableBufferPointer { buffer in
            for index in indices where !failureLog.contains(index) {
                let sample = samples[index]
                do throws(ImagingError) {
                    let image = try decoder.decode(contentsOf: sample.url, minimumSize: configuration.decodeMinimumSize)
                    var generator = SeededGenerator(seed: configuration.seed, stream: UInt64(epoch), UInt64(index))
                    let transformed = transform.transformed(image, generator: &generator)
                    precondition(
                        transformed.width == size.width && transformed.height == size.height,
                        "BatchLoader: transform returned \(transformed.width)x\(transformed.height), promised \(size)")
                    let slot = UnsafeMutableBufferPointer(
                        rebasing: buffer[(kept.count * sampleLength)..<((kept.count + 1) * sampleLength)])
                    transform.normalization.write(transformed, into: slot)
                    labels.append(sample.label)
                    kept.append(index)
                } catch {
                    failureLog.record(LoadFailure(index: index, url: sample.url, error: error))
                }
            }
        }
        if kept.count < indices.count { pixels.removeLast((indices.count - kept.count) * sampleLength) }
        return Batch(pixels: pixels, labels: labels, indices: kept, imageSize: size)
    }
}

/// The batches of one epoch, produced ahead by worker threads; a single-pass sequence.
public final class EpochBatches: Sequence, IteratorProtocol {
    private let pipeline: Pipeline
    private var delivered = 0

    init(loader: BatchLoader, epoch: Int, plan: [[Int]]) {
        pipeline = Pipeline(loader: loader, epoch: epoch, plan: plan)
        for _ in 0..<Swift.min(loader.configuration.workerCount, Swift.max(plan.count, 1)) {
            let pipeline = pipeline
            let thread = Thread { pipeline.work() }
            thread.name = "BatchLoader"
            thread.start()
        }
    }

    deinit { pipeline.cancel() }

    /// The next non-empty batch, waiting for the workers if needed; nil at the end of the epoch.
    public func next() -> Batch? {
        while delivered < pipeline.plan.count {
            let batch = pipeline.take(delivered)
            delivered += 1
            if batch.count > 0 { return batch }
        }
        return nil
    }
}

/// State shared by the consumer and the workers, guarded by one condition variable.
private final class Pipeline: @unchecked Sendable {
    let loader: BatchLoader
    let epoch: Int
    let plan: [[Int]]
    private let condition = NSCondition()
    private var ready: [Int: Batch] = [:]
    private var nextToClaim = 0
    private var consumed = 0
    private var cancelled = false

    init(loader: BatchLoader, epoch: Int, plan: [[Int]]) {
        self.loader = loader
        self.epoch = epoch
        self.plan = plan
    }

    func work() {
        while true {
            condition.lock()
            while !cancelled && nextToClaim < plan.count
                && nextToClaim >= consumed + loader.configuration.prefetchBatches
            {
                condition.wait()
            }
            if cancelled || nextToClaim >= plan.count {
                condition.unlock()
                return
            }
            let claimed = nextToClaim
            nextToClaim += 1
            condition.unlock()

            let batch = loader.makeBatch(indices: plan[claimed], epoch: epoch)

            condition.lock()
            ready[claimed] = batch
            condition.broadcast()
            condition.unlock()
        }
    }

    func take(_ position: Int) -> Batch {
        condition.lock()
        defer { condition.unlock() }
        while ready[position] == nil { condition.wait() }
        consumed += 1
        condition.broadcast()
        return ready.removeValue(forKey: position)!
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Failures by sample index, shared across epochs and threads.
private final class FailureLog: @unchecked Sendable {
    private let lock = NSLock()
    private var failures: [Int: LoadFailure] = [:]

    func record(_ failure: LoadFailure) {
        lock.withLock { if failures[failure.index] == nil { failures[failure.index] = failure } }
    }

    func contains(_ index: Int) -> Bool { lock.withLock { failures[index] != nil } }

    var all: [LoadFailure] { lock.withLock { failures.values.sorted { $0.index < $1.index } } }
}
