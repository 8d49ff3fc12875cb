import Foundation

/// Prepares batch `b + 1` on a background thread while the caller computes on batch `b`.
///
/// Decoding a cover takes a few milliseconds; a training step on 32 images takes about a second, so
/// one batch of look-ahead hides decoding entirely without competing much with the engine's threads.
final class BatchPrefetcher: @unchecked Sendable {
    private let ranges: [Range<Int>]
    private let load: @Sendable (Range<Int>) -> LoadedBatch
    private let condition = NSCondition()
    private var ready: [Int: LoadedBatch] = [:]
    private var nextToServe = 0
    private var nextToLoad = 0
    private let lookahead = 2

    init(count: Int, batchSize: Int, load: @escaping @Sendable (Range<Int>) -> LoadedBatch) {
        ranges = stride(from: 0, to: count, by: batchSize).map { $0..<min($0 + batchSize, count) }
        self.load = load
        let thread = Thread { [weak self] in self?.produce() }
        thread.stackSize = 1 << 22
        thread.start()
    }

    private func produce() {
        while true {
            condition.lock()
            while nextToLoad < ranges.count && nextToLoad - nextToServe >= lookahead { condition.wait() }
            guard nextToLoad < ranges.count else {
                condition.unlock()
                return
            }
            let index = nextToLoad
            nextToLoad += 1
            condition.unlock()
            let batch = load(ranges[index])
            condition.lock()
            ready[index] = batch
            condition.broadcast()
            condition.unlock()
        }
    }

    /// The next batch in order, or nil after the last one.
    func next() -> LoadedBatch? {
        condition.lock()
        defer { condition.unlock() }
        guard nextToServe < ranges.count else { return nil }
        while ready[nextToServe] == nil { condition.wait() }
        let batch = ready.removeValue(forKey: nextToServe)
        nextToServe += 1
        condition.broadcast()
        return batch
    }
}
