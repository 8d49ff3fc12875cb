import Benchmark
import BenchmarkWorkloads
import Foundation
import Imaging

// Decode + preprocess of album covers on one thread: the covers of ../shared/datasets/covers-dev when
// present (first 200, sorted), else synthetic 300×300 JPEGs. One iteration is one image (cycling
// through the set), so throughput is images/s and the time metrics are per image.
// `swift package benchmark --target ImagingBenchmarks`. The side-by-side with Pillow is compare-pillow.sh.

let covers = CoverSet(count: 200)

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .throughput, .peakMemoryResident], timeUnits: .microseconds,
        warmupIterations: 10, scalingFactor: .one, maxDuration: .seconds(10), maxIterations: 2000)
    let decoder = ImageDecoder()
    let preprocessing = CoverPreprocessing()
    let count = covers.blobs.count
    let source = covers.source == "synthetic" ? "synthetic" : "covers-dev"

    let next = Counter()

    Benchmark("decode, one of \(count) covers (\(source))", configuration: configuration) { _ in
        blackHole(try decoder.decode(covers.blobs[next() % count]))
    }
    Benchmark("decode + resize 256 + crop 224 + normalise, one of \(count) covers (\(source))", configuration: configuration) { _ in
        blackHole(try preprocessing(covers.blobs[next() % count]))
    }
}

/// Cycles through the covers across iterations.
final class Counter: @unchecked Sendable {
    private var value = 0
    func callAsFunction() -> Int {
        defer { value += 1 }
        return value
    }
}
