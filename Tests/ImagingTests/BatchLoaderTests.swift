import Foundation
import Testing

@testable import Imaging

struct BatchLoaderTests {
    /// Good and bad committed fixture files, labelled by position.
    static func samples() -> [LabeledImage] {
        let names = [
            "baseline.jpg", "error-page.jpg", "progressive.jpg", "rgb.png", "truncated.jpg", "cmyk.jpg",
            "gray.jpg", "palette-trns.png", "empty.jpg", "rgb16.png", "exif-orientation-6.jpg",
        ]
        return names.enumerated().map { LabeledImage(url: Fixtures.url("odd/\($0.element)"), label: $0.offset % 3) }
    }
    static let badIndices: Set<Int> = [1, 4, 8]

    func collect(_ loader: BatchLoader, epoch: Int) -> [Batch] { Array(loader.batches(epoch: epoch)) }

    @Test func everyGoodSampleOnceBadOnesRecorded() {
        let samples = Self.samples()
        let transform = TrainingAugmentation(outputSize: ImageSize(width: 16, height: 12))
        let loader = BatchLoader(
            samples: samples, transform: transform,
            configuration: .init(batchSize: 4, shuffles: true, seed: 11, workerCount: 2, prefetchBatches: 2))
        let batches = collect(loader, epoch: 0)
        let seen = batches.flatMap(\.indices)
        #expect(Set(seen) == Set(samples.indices).subtracting(Self.badIndices))
        #expect(seen.count == Set(seen).count)
        for batch in batches {
            #expect(batch.pixels.count == batch.count * 3 * 12 * 16)
            #expect(batch.shape == [batch.count, 3, 12, 16])
            #expect(batch.labels == batch.indices.map { samples[$0].label })
        }
        #expect(Set(loader.failures.map(\.index)) == Self.badIndices)
        let kinds = Dictionary(uniqueKeysWithValues: loader.failures.map { ($0.index, $0.error.kind) })
        #expect(kinds == [1: "notAnImage", 4: "truncated", 8: "emptyFile"])
        // The epoch order is a seeded shuffle.
        #expect(loader.order(epoch: 0) == loader.order(epoch: 0))
        #expect(loader.order(epoch: 0) != loader.order(epoch: 1))
    }

    @Test func identicalBatchesForAnyWorkerCountAndDifferentPerEpoch() {
        let transform = TrainingAugmentation(outputSize: ImageSize(width: 16, height: 16))
        func run(workers: Int, epoch: Int) -> [[Float]] {
            let loader = BatchLoader(
                samples: Self.samples(), transform: transform,
                configuration: .init(batchSize: 3, shuffles: true, seed: 5, workerCount: workers, prefetchBatches: 1))
            return collect(loader, epoch: epoch).map(\.pixels)
        }
        let one = run(workers: 1, epoch: 2)
        #expect(one == run(workers: 2, epoch: 2))
        #expect(one != run(workers: 2, epoch: 3))
    }

    @Test func evaluationTransformMatchesDirectPreprocessing() throws {
        let samples = Array(Self.samples().prefix(1))
        let preprocessing = PretrainedPreprocessing(resizeShorterSide: 14, cropSize: ImageSize(width: 12, height: 12))
        let loader = BatchLoader(
            samples: samples, transform: preprocessing, configuration: .init(batchSize: 8, shuffles: false, seed: 0))
        let batch = try #require(Array(loader.batches(epoch: 0)).first)
        let direct = preprocessing(try ImageDecoder().decode(contentsOf: samples[0].url))
        #expect(batch.pixels == direct)
    }

    @Test func abandoningAnEpochEarlyStopsCleanly() {
        let loader = BatchLoader(
            samples: Array(repeating: Self.samples()[0], count: 40),
            transform: TrainingAugmentation(outputSize: ImageSize(width: 8, height: 8)),
            configuration: .init(batchSize: 2, shuffles: false, seed: 1, workerCount: 2, prefetchBatches: 2))
        var batches = loader.batches(epoch: 0)
        #expect(batches.next()?.count == 2)
        batches = loader.batches(epoch: 1)  // the first epoch's iterator is released here
        #expect(Array(batches).count == 20)
    }
}
