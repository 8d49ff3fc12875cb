import Dispatch
import Foundation

/// Decodes and prepares cover files on a background thread, up to `prefetch` batches ahead of the
/// consumer, so file reading, JPEG decoding and resizing overlap the model's forward passes.
///
/// Within a batch the files are prepared in parallel (`concurrentPerform`); batches come out in
/// file order, each with the files that failed and why.
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

    /// Starts preparing at once. `prepare` turns a file into model input (must be thread-safe).
    /// The producer thread keeps the object alive until it has finished or been stopped.
    init(files: [URL], batchSize: Int, prefetch: Int = 2, prepare: @escaping @Sendable (URL) throws -> [Float]) {
        let thread = Thread { [self] in produce(files: files, batchSize: max(1, batchSize), prefetch: max(1, prefetch), prepare: prepare) }
        thread.name = "albumgenre.decode"
        thread.start()
    }

    /// The next batch in order, waiting for it if needed; `nil` after the last.
    func next() -> Batch? {
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

    private func produce(files: [URL], batchSize: Int, prefetch: Int, prepare: @Sendable (URL) throws -> [Float]) {
        for start in stride(from: 0, to: files.count, by: batchSize) {
            let chunk = Array(files[start..<min(start + batchSize, files.count)])
            let results = ResultSlots(count: chunk.count)
            DispatchQueue.concurrentPerform(iterations: chunk.count) { index in
                results.set(index, Result { try prepare(chunk[index]) })
            }
            var batch = Batch(files: [], inputs: [], failures: [], end: start + chunk.count)
            for (file, result) in zip(chunk, results.values) {
                switch result {
                case .success(let input): batch.files.append(file); batch.inputs.append(input)
                case .failure(let error): batch.failures.append((file, error))
                }
            }
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

/// Fixed slots written by parallel workers, one slot each.
private final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<[Float], any Error>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Result<[Float], any Error>) { lock.withLock { slots[index] = value } }

    var values: [Result<[Float], any Error>] { lock.withLock { slots.map { $0! } } }
}
