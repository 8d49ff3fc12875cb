import CDNNL

/// An immutable Float32 tensor with an optional autodiff history.
///
/// The API is logical: `shape` is NCHW for 4-D activations, OIHW for convolution weights, [N, F] for
/// features. Internally the values live in whatever layout oneDNN chose for the op that produced them
/// (usually nChw16c, channels padded to a multiple of 16 with zero padding lanes); they are converted
/// only when an op needs another layout or when `scalars()` is read.
///
/// A tensor that `requiresGradient` and was computed by an op remembers how (its `origin`), so that
/// `backward()` can run the chain rule; ops on tensors that need no gradient record nothing.
public final class Tensor: @unchecked Sendable {
    /// Logical shape; `[]` for a scalar.
    public let shape: [Int]
    /// Whether gradients flow to (or through) this tensor.
    public let requiresGradient: Bool
    let buffer: Buffer
    let layout: Layout
    let origin: Origin?
    /// Copies of the values in other layouts, kept for the tensor's lifetime (valid because tensors are
    /// immutable). Used for convolution weights, which every call would otherwise reorder again.
    private let layoutCopies = LayoutCopies()

    init(shape: [Int], layout: Layout, buffer: Buffer, requiresGradient: Bool = false, origin: Origin? = nil) {
        self.shape = shape
        self.layout = layout
        self.buffer = buffer
        self.requiresGradient = requiresGradient || origin != nil
        self.origin = origin
    }

    /// A tensor holding `scalars` in row-major order.
    public convenience init(shape: [Int], scalars: [Float], requiresGradient: Bool = false) {
        require(shape.allSatisfy { $0 > 0 }, "Tensor: shape \(shape) has a non-positive dimension")
        let count = shape.reduce(1, *)
        require(scalars.count == count, "Tensor: shape \(shape) needs \(count) scalars, got \(scalars.count)")
        let layout = Layout.plain(shape)
        let buffer = CachingAllocator.current.allocate(byteCount: layout.byteCount)
        scalars.withUnsafeBufferPointer { buffer.floats.update(from: $0.baseAddress!, count: count) }
        self.init(shape: shape, layout: layout, buffer: buffer, requiresGradient: requiresGradient)
    }

    /// A tensor with every element equal to `value`.
    public convenience init(shape: [Int], repeating value: Float, requiresGradient: Bool = false) {
        require(shape.allSatisfy { $0 > 0 }, "Tensor: shape \(shape) has a non-positive dimension")
        let layout = Layout.plain(shape)
        let buffer = CachingAllocator.current.allocate(byteCount: layout.byteCount)
        buffer.floats.initialize(repeating: value, count: shape.reduce(1, *))
        self.init(shape: shape, layout: layout, buffer: buffer, requiresGradient: requiresGradient)
    }

    /// A tensor of zeros.
    public static func zeros(_ shape: [Int], requiresGradient: Bool = false) -> Tensor {
        Tensor(shape: shape, repeating: 0, requiresGradient: requiresGradient)
    }

    /// True when the tensor was not computed by a recorded op (inputs, parameters, constants).
    public var isLeaf: Bool { origin == nil }

    /// Number of logical elements.
    public var elementCount: Int { shape.reduce(1, *) }

    /// The values in plain row-major order (reordered out of blocked layouts).
    public func scalars() -> [Float] {
        let plain = plainBuffer()
        return Array(UnsafeBufferPointer(start: plain.floats, count: elementCount))
    }

    /// The value of a one-element tensor.
    public func item() -> Float {
        require(elementCount == 1, "item: tensor of shape \(shape) has \(elementCount) elements")
        return scalars()[0]
    }

    /// The same values with no gradient and no history.
    public func detached() -> Tensor {
        Tensor(shape: shape, layout: layout, buffer: buffer)
    }

    /// The same values as a leaf (no history) that does or does not require a gradient; how
    /// `Parameter`s are made trainable or frozen.
    public func requiringGradient(_ requiresGradient: Bool = true) -> Tensor {
        Tensor(shape: shape, layout: layout, buffer: buffer, requiresGradient: requiresGradient)
    }

    /// The values in `target` layout (this tensor's own buffer when it already matches).
    func buffer(in target: Layout) -> Buffer {
        Reorder.convert(buffer, from: layout, to: target)
    }

    /// The values converted by `convert` into `target`, remembered per target layout: for weights
    /// reused across calls. `target` may have other dimensions than `shape` (grouped weights).
    func rememberedBuffer(in target: Layout, convert: () -> Buffer) -> Buffer {
        layoutCopies.buffer(for: target, make: convert)
    }

    /// Number of remembered layout copies (tests).
    var rememberedLayoutCount: Int { layoutCopies.count }

    /// The values in plain row-major layout.
    func plainBuffer() -> Buffer { buffer(in: .plain(shape)) }

    /// Rank-4 shape components with a check that names the op.
    func nchw(_ op: String) -> (n: Int, c: Int, h: Int, w: Int) {
        require(shape.count == 4, "\(op): expected a 4-D NCHW tensor, got shape \(shape)")
        return (shape[0], shape[1], shape[2], shape[3])
    }
}

/// A tensor's remembered copies in other layouts, keyed by `Layout.key`.
private final class LayoutCopies: @unchecked Sendable {
    private let lock = Lock()
    private var copies: [String: Buffer] = [:]

    func buffer(for layout: Layout, make: () -> Buffer) -> Buffer {
        let key = layout.key
        if let copy = lock.withLock({ copies[key] }) { return copy }
        let made = make()
        return lock.withLock {
            if let raced = copies[key] { return raced }
            copies[key] = made
            return made
        }
    }

    var count: Int { lock.withLock { copies.count } }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let values = scalars()
        let shown = values.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(shown)\(values.count > 8 ? ", …" : "")])"
    }
}

/// Engine-wide settings and diagnostics.
public enum TensorEngine {
    /// Sets the number of threads oneDNN and the hand-written kernels use (nil: `OMP_NUM_THREADS` or
    /// all cores). On a shared 2-core machine one thread is often faster than two.
    public static func setThreadCount(_ count: Int?) {
        require(count.map { $0 > 0 } ?? true, "setThreadCount: count must be positive")
        DNNLContext.shared.setThreadCount(count)
    }

    /// The implementation oneDNN chose for every primitive built so far, e.g.
    /// `"conv.fwd|…" : "jit_dw:avx512_core"`. Useful to catch `ref:` / `gemm` fallbacks.
    public static var primitiveImplementations: [String: String] { PrimitiveCache.shared.implementations }

    /// Buffer reuse counters of the caching allocator.
    public static var allocatorStatistics: (hits: Int, misses: Int, cachedBytes: Int, liveBytes: Int) {
        let s = CachingAllocator.shared.currentStatistics
        return (s.hits, s.misses, s.cachedBytes, s.liveBytes)
    }

    /// Returns every cached buffer to the system.
    public static func trimCaches() { CachingAllocator.shared.trim() }
}
