import Foundation

/// A bounds-checked little-endian cursor over a byte buffer. Every read checks the remaining length
/// first and throws `CheckpointError.truncated` naming the absolute offset; nothing here can trap.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    /// Absolute offset of `bytes[0]` in the file, for error messages.
    let baseOffset: Int
    private(set) var position: Int = 0
    let context: String

    init(_ bytes: UnsafeRawBufferPointer, baseOffset: Int = 0, context: String) {
        self.bytes = bytes
        self.baseOffset = baseOffset
        self.context = context
    }

    var remaining: Int { bytes.count - position }
    var absolutePosition: Int { baseOffset + position }
    var isAtEnd: Bool { position >= bytes.count }

    private func require(_ count: Int) throws {
        guard count >= 0, count <= remaining else {
            throw CheckpointError.truncated(offset: absolutePosition, needed: count, context: context)
        }
    }

    mutating func seek(to offset: Int) throws {
        guard offset >= 0, offset <= bytes.count else {
            throw CheckpointError.truncated(offset: baseOffset + offset, needed: 0, context: context)
        }
        position = offset
    }

    mutating func skip(_ count: Int) throws {
        try require(count)
        position += count
    }

    mutating func u8() throws -> UInt8 {
        try require(1)
        defer { position += 1 }
        return bytes[position]
    }

    /// Reads an unsigned little-endian integer of `width` bytes (1…8).
    mutating func uintLE(_ width: Int) throws -> UInt64 {
        try require(width)
        var value: UInt64 = 0
        for i in 0..<width {
            value |= UInt64(bytes[position + i]) << (8 * UInt64(i))
        }
        position += width
        return value
    }

    mutating func u16() throws -> UInt16 { UInt16(truncatingIfNeeded: try uintLE(2)) }
    mutating func u32() throws -> UInt32 { UInt32(truncatingIfNeeded: try uintLE(4)) }
    mutating func u64() throws -> UInt64 { try uintLE(8) }
    mutating func i32() throws -> Int32 { Int32(bitPattern: try u32()) }
    mutating func i64() throws -> Int64 { Int64(bitPattern: try u64()) }

    /// `count` raw bytes; `count` is validated (negative or larger than what is left throws).
    mutating func take(_ count: Int) throws -> UnsafeRawBufferPointer {
        try require(count)
        defer { position += count }
        return UnsafeRawBufferPointer(rebasing: bytes[position..<(position + count)])
    }

    /// Reads up to (not including) the next `terminator` byte and skips the terminator.
    mutating func line(terminator: UInt8 = 0x0A) throws -> UnsafeRawBufferPointer {
        guard let end = bytes[position...].firstIndex(of: terminator) else {
            throw CheckpointError.truncated(offset: absolutePosition, needed: 1, context: "\(context) (newline)")
        }
        defer { position = end + 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[position..<end])
    }
}

extension UnsafeRawBufferPointer {
    /// Little-endian unsigned integer at `offset`, or nil when it does not fit.
    func leUInt(at offset: Int, width: Int) -> UInt64? {
        guard offset >= 0, width >= 0, offset <= count - width else { return nil }
        var value: UInt64 = 0
        for i in 0..<width { value |= UInt64(self[offset + i]) << (8 * UInt64(i)) }
        return value
    }
}
