import Foundation
import Testing

@testable import Imaging

struct BatchPrefetcherTests {
    @Test func batchesComeOutInOrderCoveringEveryItemOnce() {
        for lookahead in [0, 1, 2, 5] {
            let prefetcher = BatchPrefetcher(count: 23, batchSize: 5, lookahead: lookahead) { range in Array(range) }
            var seen: [Int] = []
            while let batch = prefetcher.next() { seen += batch }
            #expect(seen == Array(0..<23), "lookahead \(lookahead)")
            #expect(prefetcher.next() == nil)
        }
        #expect(BatchPrefetcher(count: 0, batchSize: 4) { Array($0) }.next() == nil)
    }

    @Test func stoppingEarlyEndsTheProducerAndTheBatches() {
        let loaded = Counter()
        let prefetcher = BatchPrefetcher(count: 1_000, batchSize: 1, lookahead: 2) { range in
            loaded.increment()
            return range.lowerBound
        }
        #expect(prefetcher.next() == 0)
        prefetcher.stop()
        #expect(prefetcher.next() == nil)
        Thread.sleep(forTimeInterval: 0.05)
        // The producer loads at most the look-ahead past the one served, and the one in flight.
        #expect(loaded.value <= 4)
    }

    @Test func parallelMapKeepsItemOrderForAnyWorkerCount() {
        for workers in [1, 2, 3, 16] {
            #expect(parallelMap(count: 10, workers: workers) { $0 * $0 } == (0..<10).map { $0 * $0 })
        }
        #expect(parallelMap(count: 0, workers: 2) { $0 }.isEmpty)
    }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
