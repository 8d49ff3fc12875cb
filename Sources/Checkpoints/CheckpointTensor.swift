import Foundation

/// One tensor of a checkpoint: a strided view (`shape`, `strides`, `storageOffset`, all in
/// elements, as in PyTorch) into a storage. The view is validated when it is created, so the
/// accessors below never read out of bounds and cannot fail.
public struct CheckpointTensor: Sendable {
    public let dtype: CheckpointDType
    public let shape: [Int]
    /// Element strides, one per dimension. A row-major contiguous tensor of shape (a, b, c) has
    /// strides (b·c, c, 1); the EfficientNet-Lite0 conv weights are permuted views (HWIO memory).
    public let strides: [Int]
    public let storageOffset: Int
    let storage: CheckpointStorage

    /// Number of elements, the product of `shape` (1 for a 0-d tensor).
    public let elementCount: Int

    init(storage: CheckpointStorage, storageOffset: Int, shape: [Int], strides: [Int], name: String) throws {
        func fail(_ reason: String) -> CheckpointError { .invalidTensor(name: name, reason: reason) }
        guard shape.count == strides.count else {
            throw fail("\(shape.count) sizes but \(strides.count) strides")
        }
        guard shape.count <= 64 else { throw fail("\(shape.count) dimensions") }
        guard storageOffset >= 0 else { throw fail("negative storage offset \(storageOffset)") }
        var count = 1
        var lastIndex = storageOffset
        for (size, stride) in zip(shape, strides) {
            guard size >= 0 else { throw fail("negative size \(size)") }
            guard stride >= 0 else { throw fail("negative stride \(stride)") }
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow else { throw fail("element count overflows") }
            count = product
        }
        // Zero strides (broadcast views) are legal, but a view of far more elements than its storage
        // holds is how a hostile file would make `floats()` allocate terabytes: refuse it.
        guard count <= max(storage.count, 1) &* 1024 else {
            throw fail("\(count) elements in a view of a \(storage.count)-element storage")
        }
        if count > 0 {
            for (size, stride) in zip(shape, strides) {
                let (reach, o1) = (size - 1).multipliedReportingOverflow(by: stride)
                let (sum, o2) = lastIndex.addingReportingOverflow(reach)
                guard !o1, !o2 else { throw fail("stride arithmetic overflows") }
                lastIndex = sum
            }
            guard lastIndex < storage.count else {
                throw fail("view reaches element \(lastIndex) of a storage of \(storage.count) elements")
            }
        }
        self.dtype = storage.dtype
        self.shape = shape
        self.strides = strides
        self.storageOffset = storageOffset
        self.storage = storage
        self.elementCount = count
    }

    /// A contiguous float32 tensor holding `values` (row-major) with the given shape.
    public init(shape: [Int], floats values: [Float]) throws {
        let data = values.withUnsafeBytes { Data($0) }
        let storage = try CheckpointStorage(data: data, byteOffset: 0, count: values.count, dtype: .float32, key: "new")
        try self.init(
            storage: storage, storageOffset: 0, shape: shape, strides: Self.contiguousStrides(shape),
            name: "new tensor")
        guard elementCount == values.count else {
            throw CheckpointError.invalidTensor(
                name: "new tensor",
                reason: "shape \(shape) needs \(elementCount) values, got \(values.count)")
        }
    }

    /// Wraps little-endian contiguous bytes as a tensor of `dtype` (used by the safetensors reader).
    init(contiguous data: Data, byteOffset: Int, dtype: CheckpointDType, shape: [Int], name: String) throws {
        var count = 1
        for size in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: max(size, 0))
            guard size >= 0, !overflow else {
                throw CheckpointError.invalidTensor(name: name, reason: "bad shape \(shape)")
            }
            count = product
        }
        let storage = try CheckpointStorage(data: data, byteOffset: byteOffset, count: count, dtype: dtype, key: name)
        try self.init(storage: storage, storageOffset: 0, shape: shape, strides: Self.contiguousStrides(shape), name: name)
    }

    /// Row-major strides for `shape`.
    public static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = running
            running = running &* max(shape[axis], 1)
        }
        return strides
    }

    /// True when the view is row-major contiguous (size-1 dimensions may have any stride).
    public var isContiguous: Bool {
        var expected = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) where shape[axis] != 1 {
            if strides[axis] != expected { return false }
            expected *= shape[axis]
        }
        return true
    }

    /// The same elements with the axes reordered (a view: no copy). `permuted([2, 3, 1, 0])` of an
    /// OIHW convolution weight is its HWIO view, so `.floats()` then yields HWIO order; for the
    /// EfficientNet-Lite0 weights (HWIO in memory) that view is contiguous and reads sequentially.
    public func permuted(_ axes: [Int]) throws -> CheckpointTensor {
        guard axes.count == shape.count, Set(axes) == Set(0..<shape.count) else {
            throw CheckpointError.invalidTensor(name: "\(shape)", reason: "\(axes) is not a permutation of its axes")
        }
        return try CheckpointTensor(
            storage: storage, storageOffset: storageOffset, shape: axes.map { shape[$0] },
            strides: axes.map { strides[$0] }, name: "permuted view")
    }

    /// Visits the storage element index of every tensor element in row-major order.
    /// The last dimension is the inner loop; the others advance like an odometer.
    @inline(__always)
    func forEachStorageIndex(_ body: (Int) -> Void) {
        guard elementCount > 0 else { return }
        if shape.isEmpty {
            body(storageOffset)
            return
        }
        let rank = shape.count
        let innerSize = shape[rank - 1], innerStride = strides[rank - 1]
        var counter = [Int](repeating: 0, count: rank)
        var base = storageOffset
        while true {
            var index = base
            for _ in 0..<innerSize {
                body(index)
                index += innerStride
            }
            // Advance the outer dimensions.
            var axis = rank - 2
            while axis >= 0 {
                counter[axis] += 1
                base += strides[axis]
                if counter[axis] < shape[axis] { break }
                base -= strides[axis] * shape[axis]
                counter[axis] = 0
                axis -= 1
            }
            if axis < 0 { return }
        }
    }

    /// The values in row-major (C-contiguous) order, converted to Float (f64 and i64 are rounded).
    public func floats() -> [Float] {
        var out = [Float](repeating: 0, count: elementCount)
        let swap = storage.bigEndian
        out.withUnsafeMutableBufferPointer { dst in
            storage.withElements { src in
                var k = 0
                switch dtype {
                case .float32:
                    forEachStorageIndex { i in
                        let bits = src.loadUnaligned(fromByteOffset: i &* 4, as: UInt32.self)
                        dst[k] = Float(bitPattern: swap ? bits.byteSwapped : bits)
                        k += 1
                    }
                case .float16:
                    forEachStorageIndex { i in
                        let bits = src.loadUnaligned(fromByteOffset: i &* 2, as: UInt16.self)
                        dst[k] = floatFromHalfBits(swap ? bits.byteSwapped : bits)
                        k += 1
                    }
                case .bfloat16:
                    forEachStorageIndex { i in
                        let bits = src.loadUnaligned(fromByteOffset: i &* 2, as: UInt16.self)
                        dst[k] = floatFromBFloat16Bits(swap ? bits.byteSwapped : bits)
                        k += 1
                    }
                case .float64:
                    forEachStorageIndex { i in
                        let bits = src.loadUnaligned(fromByteOffset: i &* 8, as: UInt64.self)
                        dst[k] = Float(Double(bitPattern: swap ? bits.byteSwapped : bits))
                        k += 1
                    }
                case .int64, .int32, .int16, .int8, .uint8, .bool:
                    let integers = integerValues(src)
                    for (j, v) in integers.enumerated() { dst[j] = Float(v) }
                }
            }
        }
        return out
    }

    /// The values in row-major order as Int64. Integer and bool tensors convert exactly; floating
    /// point values are truncated toward zero (NaN → 0, out of range → clamped).
    public func int64s() -> [Int64] {
        if dtype.isFloatingPoint {
            return floats().map { $0.isNaN ? 0 : Int64(exactly: $0.rounded(.towardZero)) ?? ($0 < 0 ? .min : .max) }
        }
        return storage.withElements { integerValues($0) }
    }

    private func integerValues(_ src: UnsafeRawPointer) -> [Int64] {
        var out = [Int64]()
        out.reserveCapacity(elementCount)
        let swap = storage.bigEndian
        switch dtype {
        case .int64:
            forEachStorageIndex { i in
                let v = src.loadUnaligned(fromByteOffset: i &* 8, as: Int64.self)
                out.append(swap ? v.byteSwapped : v)
            }
        case .int32:
            forEachStorageIndex { i in
                let v = src.loadUnaligned(fromByteOffset: i &* 4, as: Int32.self)
                out.append(Int64(swap ? v.byteSwapped : v))
            }
        case .int16:
            forEachStorageIndex { i in
                let v = src.loadUnaligned(fromByteOffset: i &* 2, as: Int16.self)
                out.append(Int64(swap ? v.byteSwapped : v))
            }
        case .int8:
            forEachStorageIndex { i in out.append(Int64(src.load(fromByteOffset: i, as: Int8.self))) }
        case .uint8:
            forEachStorageIndex { i in out.append(Int64(src.load(fromByteOffset: i, as: UInt8.self))) }
        case .bool:
            forEachStorageIndex { i in out.append(src.load(fromByteOffset: i, as: UInt8.self) != 0 ? 1 : 0) }
        case .float32, .float16, .bfloat16, .float64:
            break  // handled by the caller
        }
        return out
    }

    /// The elements in row-major order as little-endian bytes of `dtype` (what safetensors stores).
    public func contiguousLittleEndianBytes() -> Data {
        let size = dtype.itemSize
        var out = Data(count: elementCount * size)
        let swap = storage.bigEndian && size > 1
        out.withUnsafeMutableBytes { dst in
            guard let dstBase = dst.baseAddress else { return }
            storage.withElements { src in
                var k = 0
                forEachStorageIndex { i in
                    let from = src + i &* size, to = dstBase + k
                    if swap {
                        for b in 0..<size {
                            to.storeBytes(
                                of: from.load(fromByteOffset: size - 1 - b, as: UInt8.self),
                                toByteOffset: b, as: UInt8.self)
                        }
                    } else {
                        to.copyMemory(from: from, byteCount: size)
                    }
                    k += size
                }
            }
        }
        return out
    }
}

extension CheckpointTensor: CustomStringConvertible {
    public var description: String { "CheckpointTensor(\(dtype.rawValue), shape: \(shape), strides: \(strides))" }
}
