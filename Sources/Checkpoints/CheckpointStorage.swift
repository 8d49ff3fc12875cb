import Foundation

/// The bytes of one storage: a byte range of `data` (often a memory-mapped file), holding
/// `count` elements of `dtype`. Tensors are strided views into a storage; several may share one.
struct CheckpointStorage: Sendable {
    let data: Data
    /// Offset of element 0 from `data.startIndex`.
    let byteOffset: Int
    let count: Int
    let dtype: CheckpointDType
    /// True when elements are big-endian (zip `byteorder` = `big`, or a big-endian legacy file).
    let bigEndian: Bool

    /// Builds a storage after checking that `count` elements fit in `data` from `byteOffset`.
    init(
        data: Data, byteOffset: Int, count: Int, dtype: CheckpointDType, bigEndian: Bool = false,
        key: String
    ) throws {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.itemSize)
        guard count >= 0, !overflow, byteOffset >= 0, byteOffset <= data.count,
            bytes <= data.count - byteOffset
        else {
            throw CheckpointError.invalidTensor(
                name: "storage \(key)",
                reason: "\(count) × \(dtype.itemSize) bytes do not fit in \(data.count - byteOffset) available")
        }
        self.data = data
        self.byteOffset = byteOffset
        self.count = count
        self.dtype = dtype
        self.bigEndian = bigEndian
    }

    /// Calls `body` with a pointer to element 0 (no alignment guarantee: use `loadUnaligned`).
    func withElements<R>(_ body: (UnsafeRawPointer) throws -> R) rethrows -> R {
        try data.withUnsafeBytes { raw in
            // An empty buffer may have a nil base address; nothing is read from it then.
            let base = raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
            return try body(base + byteOffset)
        }
    }
}
