import Dispatch
import Imaging
import Inference

/// Gathers covers from concurrent requests into batches for one forward pass each.
///
/// The first request of a quiet moment starts a batch; requests arriving while the model is busy
/// join the next one. Forward passes run on a dedicated serial queue so they never block Swift's
/// cooperative thread pool (which also serves the HTTP connections).
actor PredictionBatcher {
    private let predictor: GenrePredictor
    private let maximumBatch: Int
    private var pending: [(image: RGBImage, continuation: CheckedContinuation<CoverPrediction, Never>)] = []
    private var isRunning = false
    private let queue = DispatchQueue(label: "albumgenre.predict")

    init(predictor: GenrePredictor, maximumBatch: Int) {
        self.predictor = predictor
        self.maximumBatch = maximumBatch
    }

    func predict(_ image: RGBImage) async -> CoverPrediction {
        await withCheckedContinuation { continuation in
            pending.append((image, continuation))
            if !isRunning {
                isRunning = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(maximumBatch))
            pending.removeFirst(batch.count)
            let predictor = self.predictor
            let images = batch.map(\.image)
            let results = await withCheckedContinuation { (done: CheckedContinuation<[CoverPrediction], Never>) in
                queue.async { done.resume(returning: predictor.predict(images)) }
            }
            for (entry, result) in zip(batch, results) { entry.continuation.resume(returning: result) }
        }
        isRunning = false
    }

    /// Grad-CAM on the serial queue.
    func gradCAM(_ image: RGBImage, genre: String?) async -> RGBImage {
        let predictor = self.predictor
        return await withCheckedContinuation { done in
            queue.async { done.resume(returning: predictor.gradCAM(image, genre: genre).overlay) }
        }
    }
}
