import Foundation
import Inference

/// `predict --benchmark`: the two costs the end-to-end rate is made of, measured in the same run.
///
/// - engine: forward passes alone, on a batch of covers already decoded and prepared (the same
///   batch repeated until as many images as the run predicted have gone through);
/// - decoding: read + decode + resize + normalise alone, on one thread, on up to 200 of the files;
/// - in the run itself: the images divided by the time spent inside forward passes (the engine's
///   rate under the run's real conditions), and the time the model waited for decoded covers.
///
/// Done one after the other, one image costs `1/engine + 1/decode` seconds; `serialBound` is that
/// rate. Overlapping decoding with the forward passes should reach at least it.
struct PredictBenchmark: Codable {
    var engineImagesPerSecond: Double
    var decodeImagesPerSecondOneThread: Double
    var serialBoundImagesPerSecond: Double
    var batchSize: Int
    var inRun: InRun

    /// What the predict loop itself measured.
    struct InRun: Codable {
        var images: Int
        var forwardSeconds: Double
        var waitSeconds: Double
        /// End to end after the first batch (whose forward pass builds the oneDNN primitives).
        var steadyImagesPerSecond: Double
        var engineImagesPerSecond: Double { Double(images) / max(forwardSeconds, 1e-9) }
    }

    static func measure(predictor: GenrePredictor, batch: [[Float]], imageCount: Int, files: [URL], inRun: InRun) -> PredictBenchmark {
        let passes = max(1, (imageCount + batch.count - 1) / batch.count)
        let engineStart = Date()
        for _ in 0..<passes { _ = predictor.predict(inputs: batch) }
        let engine = Double(passes * batch.count) / max(Date().timeIntervalSince(engineStart), 1e-9)

        let sample = files.prefix(200)
        var decoded = 0
        let decodeStart = Date()
        for file in sample {
            if (try? predictor.inputValues(contentsOf: file)) != nil { decoded += 1 }
        }
        let decode = Double(decoded) / max(Date().timeIntervalSince(decodeStart), 1e-9)
        let serial = engine > 0 && decode > 0 ? 1 / (1 / engine + 1 / decode) : 0
        return PredictBenchmark(
            engineImagesPerSecond: engine, decodeImagesPerSecondOneThread: decode, serialBoundImagesPerSecond: serial, batchSize: batch.count,
            inRun: inRun)
    }

    func summary(endToEnd: Double) -> String {
        let inRunEngine = inRun.engineImagesPerSecond
        let inRunSerial = decodeImagesPerSecondOneThread > 0 ? 1 / (1 / inRunEngine + 1 / decodeImagesPerSecondOneThread) : 0
        return String(
            format: """
                benchmark (batches of %d):
                  engine alone (separate pass)          %7.1f images/s
                  engine inside this run (forward time) %7.1f images/s
                  decode + prepare alone, one thread    %7.1f images/s
                  engine then decode, one after other   %7.1f images/s (separate pass) / %.1f (this run)
                  predict end to end                    %7.1f images/s; the model waited %.1f s for decoded covers
                  predict end to end after 1st batch    %7.1f images/s
                """,
            batchSize, engineImagesPerSecond, inRunEngine, decodeImagesPerSecondOneThread, serialBoundImagesPerSecond, inRunSerial,
            endToEnd, inRun.waitSeconds, inRun.steadyImagesPerSecond)
    }
}
