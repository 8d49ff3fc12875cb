import Dispatch
import Foundation

/// The one input pipeline of training, evaluation and prediction: prepares batch `b + 1` (and up
/// to `lookahead` batches ahead) on a background thread while the caller computes on batch `b`.
///
/// The items `0..<count` are cut into consecutive ranges of `batchSize`; `load` turns a range into
/// a batch (decoding and preprocessing its files) and runs on the producer thread; batches come out
/// of `next()` in order. Decoding a cover takes a few milliseconds and a forward pass of a batch
/// tens to hundreds, so a look-ahead of two hides decoding without taking cores from the engine.
///
/// `stop()` lets the producer end after the batch it is loading (a consumer that gives up early, or
/// throws: call it in a `defer`); the producer thread holds the prefetcher until it has finished or
/// been stopped. `next()` returns nil once stopped, whichever thread stopped it.
public final class BatchPrefetcher<Batch: Sendable>: @unchecked Sendable {
    private let ranges: [Range<Int>]
    private let load: @Sendable (Range<Int>) -> Batch
    private let lookahead: Int
    private let condition = NSCondition()
    private var ready: [Int: Batch] = [:]
    private var nextToServe = 0
    private var nextToLoad = 0
    private var stopped = false
    /// With `lookahead == 0` batches are loaded inside `next()`, on the caller's thread.
    private var loadsInline: Bool { lookahead == 0 }

    /// Starts loading at once. `lookahead` 0 loads each batch inside `next()` (no overlap).
    public init(count: Int, batchSize: Int, lookahead: Int = 2, load: @escaping @Sendable (Range<Int>) -> Batch) {
        let size = max(1, batchSize)
        ranges = stride(from: 0, to: max(0, count), by: size).map { $0..<min($0 + size, count) }
        self.load = load
        self.lookahead = max(0, lookahead)
        guard !loadsInline else { return }
        let thread = Thread { [self] in produce() }
        thread.name = "albumgenre.prefetch"
        thread.stackSize = 1 << 22
        thread.start()
    }

    /// The range of items each batch holds, in order.
    public var batchRanges: [Range<Int>] { ranges }

    private func produce() {
        while true {
            condition.lock()
            while !stopped && nextToLoad < ranges.count && nextToLoad - nextToServe >= lookahead { condition.wait() }
            guard !stopped, nextToLoad < ranges.count else {
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

    /// The next batch in order, waiting for it if needed; nil after the last one or after `stop()`.
    public func next() -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        guard nextToServe < ranges.count, !stopped else { return nil }
        if loadsInline {
            nextToServe += 1
            return load(ranges[nextToServe - 1])
        }
        while ready[nextToServe] == nil && !stopped { condition.wait() }
        guard !stopped else { return nil }
        let batch = ready.removeValue(forKey: nextToServe)
        nextToServe += 1
        condition.broadcast()
        return batch
    }

    /// Lets the producer stop after the batch it is loading.
    public func stop() {
        condition.lock()
        stopped = true
        ready.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}

/// Runs `work` on each of `count` items with `workers` threads (worker w takes items w, w + workers,
/// …) and returns the results in item order: the files of one batch decoded in parallel.
public func parallelMap<T>(count: Int, workers: Int, _ work: @Sendable (Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    let slots = ResultSlots<T>(count: count)
    let threads = max(1, min(workers, count))
    DispatchQueue.concurrentPerform(iterations: threads) { worker in
        for index in stride(from: worker, to: count, by: threads) { slots.set(index, work(index)) }
    }
    return slots.values
}

/// Fixed slots written by parallel workers, one slot each.
private final class ResultSlots<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [T?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: T) { lock.withLock { slots[index] = value } }

    var values: [T] { lock.withLock { slots.map { $0! } } }
}
