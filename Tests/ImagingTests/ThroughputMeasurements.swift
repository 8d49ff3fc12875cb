import Foundation
import Testing

@testable import Imaging

/// Throughput numbers (printed, never asserted) for decode and preprocessing of real covers.
/// Run with `IMAGING_MEASURE=1 swift test --filter ImagingThroughput`; compare with
/// `scripts/bench/pillow_decode.py`. The Imaging target is built with -O even in debug.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["IMAGING_MEASURE"] != nil && Fixtures.hasCovers))
struct ImagingThroughput {
    static func blobs(count: Int) throws -> [Data] {
        let manifest = try String(
            contentsOf: Fixtures.coversDirectory.appendingPathComponent("manifest.csv"), encoding: .utf8)
        let paths = manifest.split(whereSeparator: \.isNewline).dropFirst().map { String($0.split(separator: ",")[0]) }
            .sorted()
        return try paths.prefix(count).map { try Data(contentsOf: Fixtures.coversDirectory.appendingPathComponent($0)) }
    }

    /// Prints images/s by wall clock and by this thread's CPU time; the CPU-time figure is the
    /// steadier one on a machine shared with other jobs.
    func measure(_ label: String, _ blobs: [Data], _ work: (Data) throws -> Void) rethrows {
        let wallStart = ContinuousClock.now
        let cpuStart = threadCPUSeconds()
        for blob in blobs { try work(blob) }
        let cpu = threadCPUSeconds() - cpuStart
        let wall = ContinuousClock.now - wallStart
        let wallSeconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) * 1e-18
        print(
            "swift  " + label.padding(toLength: 45, withPad: " ", startingAt: 0)
                + String(
                    format: " %7.1f images/s wall, %7.1f images/s CPU (%d images)",
                    Double(blobs.count) / wallSeconds, Double(blobs.count) / cpu, blobs.count))
    }

    func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }

    @Test func singleThread() throws {
        let blobs = try Self.blobs(count: 500)
        let decoder = ImageDecoder()
        let preprocessing = PretrainedPreprocessing()
        let augmentation = TrainingAugmentation(colorJitter: nil)
        let jittered = TrainingAugmentation()
        try measure("decode", blobs) { _ = try decoder.decode($0) }
        try measure("decode with DCT scaling 1/2 (≥ 128 → 150x150)", blobs) {
            _ = try decoder.decode($0, minimumSize: ImageSize(width: 128, height: 128))
        }
        try measure("decode+resize256+crop224+normalise", blobs) { _ = preprocessing(try decoder.decode($0)) }
        var generator = Xoshiro256StarStar(seed: 0)
        try measure("decode+randomResizedCrop224+flip+normalise", blobs) {
            _ = augmentation.tensor(try decoder.decode($0), generator: &generator)
        }
        try measure("  ... + colour jitter", blobs) {
            _ = jittered.tensor(try decoder.decode($0), generator: &generator)
        }
    }

    @Test func prefetchedBatches() throws {
        let manifest = try String(
            contentsOf: Fixtures.coversDirectory.appendingPathComponent("manifest.csv"), encoding: .utf8)
        let files = manifest.split(whereSeparator: \.isNewline).dropFirst().prefix(1024).map {
            Fixtures.coversDirectory.appendingPathComponent(String($0.split(separator: ",")[0]))
        }
        let transform = TrainingAugmentation()
        for workers in [1, 2] {
            let loader = BatchPrefetcher(count: files.count, batchSize: 32) { range in
                parallelMap(count: range.count, workers: workers) { offset in
                    var generator = Xoshiro256StarStar(seed: UInt64(range.lowerBound + offset))
                    return (try? ImageDecoder().decode(contentsOf: files[range.lowerBound + offset])).map {
                        transform.tensor($0, generator: &generator)
                    }
                }
            }
            let clock = ContinuousClock()
            var images = 0
            let elapsed = clock.measure { while let batch = loader.next() { images += batch.compactMap { $0 }.count } }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            print(
                String(
                    format: "swift  BatchPrefetcher, %d worker(s), files + full augmentation: %7.1f images/s", workers,
                    Double(images) / seconds))
        }
    }

    /// Decodes every cover of covers-dev and prints how many failed and why.
    @Test func everyCoverDecodes() throws {
        let manifest = try String(
            contentsOf: Fixtures.coversDirectory.appendingPathComponent("manifest.csv"), encoding: .utf8)
        let paths = manifest.split(whereSeparator: \.isNewline).dropFirst().map { String($0.split(separator: ",")[0]) }
        var failures: [String] = []
        var sizes: [ImageSize: Int] = [:]
        for path in paths {
            do {
                let image = try ImageDecoder().decode(contentsOf: Fixtures.coversDirectory.appendingPathComponent(path))
                sizes[ImageSize(width: image.width, height: image.height), default: 0] += 1
            } catch {
                failures.append("\(error)")
            }
        }
        print("swift  decoded \(paths.count - failures.count) of \(paths.count) covers; sizes \(sizes)")
        for failure in failures { print("swift  failed: \(failure)") }
        #expect(failures.isEmpty)
    }
}
