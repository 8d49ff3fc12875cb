import Foundation
import Inference

/// `predict --benchmark`: the two costs the end-to-end rate is made of, measured in the same run.
///
/// - engine: forward passes alone, on a batch of covers already decoded and prepared (the same
///   batch repeated until as many images as the run predicted have gone through);
/// - decoding: read + decode + resize + normalise alone, on one thread, on up to 200 of the files.
///
/// Done one after the other, one image costs `1/engine + 1/decode` seconds; `serialBound` is that
/// rate. Overlapping decoding with the forward passes should reach at least it.
struct PredictBenchmark: Codable {
    var engineImagesPerSecond: Double
    var decodeImagesPerSecondOneThread: Double
    var serialBoundImagesPerSecond: Double
    var batchSize: Int

    static func measure(predictor: GenrePredictor, batch: [[Float]], imageCount: Int, files: [URL]) -> PredictBenchmark {
        let passes = max(1, (imageCount + batch.count - 1) / batch.count)
        let engineStart = Date()
        for _ in 0..<passes { _ = predictor.predict(inputs: batch) }
        let engine = Double(passes * batch.count) / max(Date().timeIntervalSince(engineStart), 1e-9)

        let sample = files.prefix(200)
        var decoded = 0
        let decodeStart = Date()
        for file in sample {
            if let image = try? predictor.decode(contentsOf: file) {
                _ = predictor.inputValues(for: image)
                decoded += 1
            }
        }
        let decode = Double(decoded) / max(Date().timeIntervalSince(decodeStart), 1e-9)
        let serial = engine > 0 && decode > 0 ? 1 / (1 / engine + 1 / decode) : 0
        return PredictBenchmark(
            engineImagesPerSecond: engine, decodeImagesPerSecondOneThread: decode, serialBoundImagesPerSecond: serial, batchSize: batch.count)
    }

    func summary(endToEnd: Double) -> String {
        String(
            format: "benchmark: engine alone %.1f images/s (batches of %d); decode+prepare alone %.1f images/s on one thread; "
                + "one after the other %.1f images/s; predict end to end %.1f images/s (%.0f%% of the serial bound)",
            engineImagesPerSecond, batchSize, decodeImagesPerSecondOneThread, serialBoundImagesPerSecond, endToEnd,
            100 * endToEnd / max(serialBoundImagesPerSecond, 1e-9))
    }
}
