#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A 64-byte aligned buffer from the caching allocator; returned to it on deinit.
final class Buffer: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    /// Size class actually reserved (>= the requested size).
    let capacity: Int
    private let allocator: CachingAllocator

    fileprivate init(pointer: UnsafeMutableRawPointer, capacity: Int, allocator: CachingAllocator) {
        self.pointer = pointer
        self.capacity = capacity
        self.allocator = allocator
    }

    var floats: UnsafeMutablePointer<Float> { pointer.assumingMemoryBound(to: Float.self) }

    deinit { allocator.recycle(pointer, capacity: capacity) }
}

/// Reuses freed buffers by size class so that steady-state training steps neither call `malloc` for
/// large blocks nor page-fault on fresh memory (first touch makes a oneDNN execution 2–4× slower).
///
/// Size classes are 4 KiB multiples below 64 KiB, then four classes per power of two (≤ 25 % waste).
/// Cached bytes are capped; beyond the cap freed buffers go back to the system.
final class CachingAllocator: @unchecked Sendable {
    static let shared = CachingAllocator()

    /// The allocator ops take buffers from: `shared` unless a task scopes its own pool, e.g. a test that
    /// checks steady-state reuse without other tasks' allocations interfering, or a server that keeps
    /// one model's buffers apart: `CachingAllocator.$current.withValue(pool) { … }`.
    @TaskLocal static var current = CachingAllocator.shared

    struct Statistics: Sendable {
        var hits = 0, misses = 0, cachedBytes = 0, liveBytes = 0
    }

    private let lock = Lock()
    private var free: [Int: [UnsafeMutableRawPointer]] = [:]
    private var statistics = Statistics()
    var cacheLimitBytes = 8 << 30

    static func sizeClass(_ byteCount: Int) -> Int {
        let bytes = max(byteCount, 64)
        if bytes <= 65_536 { return (bytes + 4095) & ~4095 }
        let power = Int.bitWidth - (bytes - 1).leadingZeroBitCount - 1  // 2^power < bytes <= 2^(power+1)
        let quarter = 1 << (power - 2)
        return ((bytes + quarter - 1) / quarter) * quarter
    }

    func allocate(byteCount: Int) -> Buffer {
        let capacity = Self.sizeClass(byteCount)
        let reused: UnsafeMutableRawPointer? = lock.withLock {
            statistics.liveBytes += capacity
            if let pointer = free[capacity]?.popLast() {
                statistics.hits += 1
                statistics.cachedBytes -= capacity
                return pointer
            }
            statistics.misses += 1
            return nil
        }
        if let reused { return Buffer(pointer: reused, capacity: capacity, allocator: self) }
        var pointer: UnsafeMutableRawPointer?
        guard posix_memalign(&pointer, 64, capacity) == 0, let pointer else {
            fatalError("CachingAllocator: out of memory allocating \(capacity) bytes")
        }
        return Buffer(pointer: pointer, capacity: capacity, allocator: self)
    }

    fileprivate func recycle(_ pointer: UnsafeMutableRawPointer, capacity: Int) {
        let keep = lock.withLock {
            statistics.liveBytes -= capacity
            guard statistics.cachedBytes + capacity <= cacheLimitBytes else { return false }
            free[capacity, default: []].append(pointer)
            statistics.cachedBytes += capacity
            return true
        }
        if !keep { releaseToSystem(pointer) }
    }

    /// Returns every cached buffer to the system.
    func trim() {
        let pointers = lock.withLock {
            let all = free.values.flatMap { $0 }
            free = [:]
            statistics.cachedBytes = 0
            return all
        }
        for pointer in pointers { releaseToSystem(pointer) }
    }

    var currentStatistics: Statistics { lock.withLock { statistics } }
}

private func releaseToSystem(_ pointer: UnsafeMutableRawPointer) {
    #if canImport(Glibc)
    Glibc.free(pointer)
    #else
    Darwin.free(pointer)
    #endif
}
