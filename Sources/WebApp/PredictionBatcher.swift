import Dispatch
import Imaging
import Inference

/// Gathers covers from concurrent requests into batches for one forward pass each.
///
/// The first request of a quiet moment starts a batch of one; requests arriving while the model is
/// busy wait in `pending` and go together into the next pass. A pass takes the largest power of
/// two of waiting covers (at most `maximumBatch`): the engine caches buffers and oneDNN primitives
/// per shape, so a handful of batch shapes (1, 2, 4, 8, 16) keeps the server's memory bounded,
/// where every size from 1 to 16 made it grow for as long as new sizes appeared. Forward
/// passes run on a dedicated serial queue so they never block Swift's cooperative thread pool
/// (which also serves the HTTP connections). Every request is answered exactly once: entries
/// leave `pending` only in `drain`, which resumes each of them.
actor PredictionBatcher {
    private typealias Entry = (input: [Float], continuation: CheckedContinuation<CoverPrediction, Never>)
    private let predictor: GenrePredictor
    private let maximumBatch: Int
    private var pending: [Entry] = []
    private var isDraining = false
    private let queue = DispatchQueue(label: "albumgenre.predict")

    init(predictor: GenrePredictor, maximumBatch: Int) {
        self.predictor = predictor
        self.maximumBatch = max(1, maximumBatch)
    }

    /// The prediction for one cover prepared by `GenrePredictor.inputValues(for:)`.
    func predict(_ input: [Float]) async -> CoverPrediction {
        await withCheckedContinuation { continuation in
            pending.append((input, continuation))
            if !isDraining {
                isDraining = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(Self.batchSize(waiting: pending.count, maximum: maximumBatch)))
            pending.removeFirst(batch.count)
            let predictor = self.predictor
            let inputs = batch.map(\.input)
            let results = await onQueue { predictor.predict(inputs: inputs) }
            for (entry, result) in zip(batch, results) { entry.continuation.resume(returning: result) }
        }
        isDraining = false
    }

    /// The largest power of two ≤ both `waiting` and `maximum` (at least 1).
    static func batchSize(waiting: Int, maximum: Int) -> Int {
        let limit = max(1, min(waiting, maximum))
        return 1 << (Int.bitWidth - 1 - limit.leadingZeroBitCount)
    }

    /// Grad-CAM overlay for one cover, on the same serial queue as the forward passes.
    func gradCAM(_ image: RGBImage, genre: String?) async -> RGBImage {
        let predictor = self.predictor
        return await onQueue { predictor.gradCAM(image, genre: genre).overlay }
    }

    private func onQueue<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { done in queue.async { done.resume(returning: work()) } }
    }
}
