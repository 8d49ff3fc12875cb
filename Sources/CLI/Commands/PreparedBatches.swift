import Dispatch
import Foundation

/// Decodes and prepares cover files on a background thread, up to `prefetch` batches ahead of the
/// consumer, so file reading, JPEG decoding and resizing overlap the model's forward passes.
///
/// Batches come out in file order, each with the files that failed and why. `workers` threads
/// prepare the files of a batch; one is the default because decoding a cover costs a few percent of
/// a forward pass (2 ms against 14–20 ms for EfficientNet-Lite0 on one core), and more decode
/// threads only take cores away from the engine (measured: 48.7 covers/s with two, see
/// Docs/WebApp.md).
final class PreparedBatches: @unchecked Sendable {
    struct Batch {
        var files: [URL]
        var inputs: [[Float]]
        var failures: [(file: URL, error: any Error)]
        /// Position of the batch's last file in the whole list (for progress).
        var end: Int
    }

    private let condition = NSCondition()
    private var ready: [Batch] = []
    private var finished = false
    private var stopped = false
    private var inline: (files: [URL], batchSize: Int, prepare: @Sendable (URL) throws -> [Float])?
    private var inlinePosition = 0

    /// Starts preparing at once. `prepare` turns a file into model input (must be thread-safe).
    /// The producer thread keeps the object alive until it has finished or been stopped.
    /// `workers == 0` prepares each batch on the consumer's thread inside `next()` (no overlap).
    init(files: [URL], batchSize: Int, prefetch: Int = 2, workers: Int = 1, prepare: @escaping @Sendable (URL) throws -> [Float]) {
        if workers == 0 {
            inline = (files, max(1, batchSize), prepare)
            return
        }
        let thread = Thread { [self] in
            produce(files: files, batchSize: max(1, batchSize), prefetch: max(1, prefetch), workers: max(1, workers), prepare: prepare)
        }
        thread.name = "albumgenre.decode"
        thread.start()
    }

    /// The next batch in order, waiting for it if needed; `nil` after the last.
    func next() -> Batch? {
        if let inline {
            guard inlinePosition < inline.files.count else { return nil }
            let start = inlinePosition
            inlinePosition = min(start + inline.batchSize, inline.files.count)
            return Self.prepareBatch(Array(inline.files[start..<inlinePosition]), end: inlinePosition, workers: 1, prepare: inline.prepare)
        }
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && !finished { condition.wait() }
        guard !ready.isEmpty else { return nil }
        let batch = ready.removeFirst()
        condition.broadcast()
        return batch
    }

    /// Lets the producer stop after its current batch (the consumer gave up early).
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func produce(files: [URL], batchSize: Int, prefetch: Int, workers: Int, prepare: @Sendable (URL) throws -> [Float]) {
        for start in stride(from: 0, to: files.count, by: batchSize) {
            let chunk = Array(files[start..<min(start + batchSize, files.count)])
            let batch = Self.prepareBatch(chunk, end: start + chunk.count, workers: workers, prepare: prepare)
            condition.lock()
            while ready.count >= prefetch && !stopped { condition.wait() }
            if stopped { condition.unlock(); break }
            ready.append(batch)
            condition.broadcast()
            condition.unlock()
        }
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }
}

extension PreparedBatches {
    static func prepareBatch(_ chunk: [URL], end: Int, workers: Int, prepare: @Sendable (URL) throws -> [Float]) -> Batch {
        let results = ResultSlots(count: chunk.count)
        // Worker w takes files w, w + workers, w + 2·workers, ...
        DispatchQueue.concurrentPerform(iterations: min(workers, chunk.count)) { worker in
            for index in stride(from: worker, to: chunk.count, by: workers) {
                results.set(index, Result { try prepare(chunk[index]) })
            }
        }
        var batch = Batch(files: [], inputs: [], failures: [], end: end)
        for (file, result) in zip(chunk, results.values) {
            switch result {
            case .success(let input): batch.files.append(file); batch.inputs.append(input)
            case .failure(let error): batch.failures.append((file, error))
            }
        }
        return batch
    }
}

/// Fixed slots written by parallel workers, one slot each.
private final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<[Float], any Error>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Result<[Float], any Error>) { lock.withLock { slots[index] = value } }

    var values: [Result<[Float], any Error>] { lock.withLock { slots.map { $0! } } }
}
