import Benchmark
import BenchmarkWorkloads
import Foundation
import Imaging

// Decode + preprocess of album covers on one thread: the covers of ../shared/datasets/covers-dev when
// present (first 200, sorted), else synthetic 300×300 JPEGs. Throughput counts images.
// `swift package benchmark --target ImagingBenchmarks`. The side-by-side with Pillow is compare-pillow.sh.

let covers = CoverSet(count: 200)

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .throughput, .peakMemoryResident], timeUnits: .milliseconds,
        warmupIterations: 1, scalingFactor: .one, maxDuration: .seconds(10), maxIterations: 20)
    let decoder = ImageDecoder()
    let preprocessing = CoverPreprocessing()
    let count = covers.blobs.count
    let source = covers.source == "synthetic" ? "synthetic" : "covers-dev"

    Benchmark("decode \(count) covers (\(source))", configuration: configuration) { benchmark in
        for blob in covers.blobs { blackHole(try decoder.decode(blob)) }
    }
    Benchmark("decode + resize 256 + crop 224 + normalise, \(count) covers (\(source))", configuration: configuration) { benchmark in
        for blob in covers.blobs { blackHole(try preprocessing(blob)) }
    }
}
