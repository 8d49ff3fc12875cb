import Foundation

/// One member of a zip archive, as described by the central directory.
struct ZipEntry: Sendable {
    let name: String
    /// 0 = stored, 8 = deflate.
    let method: UInt16
    let flags: UInt16
    let crc32: UInt32
    let compressedSize: Int
    let uncompressedSize: Int
    let localHeaderOffset: Int
    /// Offset of the member's data, from the *local* header's name and extra lengths
    /// (the central directory's extra field may differ, e.g. torch's `FB` alignment padding).
    let dataOffset: Int
}

/// A read-only zip reader: classic and ZIP64 end records, central directory, stored and deflated
/// members. Sizes always come from the central directory, because torch (and any writer using
/// data descriptors, flag bit 3) leaves them zero in the local headers.
struct ZipArchive: Sendable {
    let data: Data
    let entries: [ZipEntry]
    private let index: [String: Int]

    static let localHeaderSignature: UInt32 = 0x0403_4B50
    static let centralHeaderSignature: UInt32 = 0x0201_4B50
    static let endSignature: UInt32 = 0x0605_4B50
    static let zip64EndSignature: UInt32 = 0x0606_4B50
    static let zip64LocatorSignature: UInt32 = 0x0706_4B50

    init(data: Data) throws {
        self.data = data
        entries = try data.withUnsafeBytes { try Self.readEntries($0) }
        var index = [String: Int]()
        for (i, entry) in entries.enumerated() where index[entry.name] == nil { index[entry.name] = i }
        self.index = index
    }

    func entry(named name: String) -> ZipEntry? { index[name].map { entries[$0] } }

    /// The member's bytes: a zero-copy slice for stored members, inflated (and CRC-checked) for deflated ones.
    func contents(of entry: ZipEntry) throws -> Data {
        let start = data.startIndex + entry.dataOffset
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.uncompressedSize else {
                throw CheckpointError.malformed(
                    offset: entry.localHeaderOffset,
                    reason: "stored member '\(entry.name)' has different sizes")
            }
            return data[start..<(start + entry.compressedSize)]
        case 8:
            return try Inflater.inflate(
                data[start..<(start + entry.compressedSize)],
                expectedSize: entry.uncompressedSize, expectedCRC: entry.crc32,
                context: "zip member '\(entry.name)' at offset \(entry.dataOffset)")
        default:
            throw CheckpointError.unsupportedFormat("zip member '\(entry.name)' uses compression method \(entry.method)")
        }
    }

    // MARK: - Parsing

    private static func readEntries(_ bytes: UnsafeRawBufferPointer) throws -> [ZipEntry] {
        let (count, directoryOffset, directorySize) = try readEnd(bytes)
        guard directoryOffset <= bytes.count, directorySize <= bytes.count - directoryOffset else {
            throw CheckpointError.malformed(offset: directoryOffset, reason: "central directory beyond end of file")
        }
        // Each central header is at least 46 bytes: a larger count is a lie we must not allocate for.
        guard count <= directorySize / 46 else {
            throw CheckpointError.malformed(offset: directoryOffset, reason: "\(count) entries cannot fit the central directory")
        }
        var reader = ByteReader(bytes, context: "zip central directory")
        try reader.seek(to: directoryOffset)
        var entries = [ZipEntry]()
        entries.reserveCapacity(count)
        for _ in 0..<count {
            entries.append(try readCentralHeader(&reader, bytes))
        }
        try checkLayout(entries)
        return entries
    }

    /// Total uncompressed bytes the members of one archive may declare (the largest checkpoint this
    /// project reads, EfficientNet-Lite4, holds about 50 MB).
    static let maximumTotalUncompressedBytes = 4 << 30

    /// Refuses archives whose members share bytes (one small DEFLATE stream listed a thousand times
    /// would inflate a thousand times) or declare more than `maximumTotalUncompressedBytes` in all:
    /// with both, what an archive can make us inflate is bounded by its own size.
    private static func checkLayout(_ entries: [ZipEntry]) throws {
        let byStart = entries.sorted { $0.localHeaderOffset < $1.localHeaderOffset }
        for (previous, next) in zip(byStart, byStart.dropFirst())
        where previous.dataOffset + previous.compressedSize > next.localHeaderOffset {
            throw CheckpointError.malformed(
                offset: next.localHeaderOffset,
                reason: "zip members '\(previous.name)' and '\(next.name)' overlap")
        }
        var total = 0
        for entry in entries {
            total += entry.uncompressedSize
            guard total <= maximumTotalUncompressedBytes else {
                throw CheckpointError.malformed(
                    offset: entry.localHeaderOffset,
                    reason: "zip members declare more than \(maximumTotalUncompressedBytes) bytes in all")
            }
        }
    }

    /// Finds the end-of-central-directory record (and its ZIP64 twin) → (entry count, offset, size).
    private static func readEnd(_ bytes: UnsafeRawBufferPointer) throws -> (Int, Int, Int) {
        guard bytes.count >= 22 else {
            throw CheckpointError.truncated(offset: bytes.count, needed: 22 - bytes.count, context: "zip end record")
        }
        // The record sits at the end, before a comment of at most 65,535 bytes.
        var end = -1
        var candidate = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 65_535)
        while candidate >= lowest {
            if bytes.leUInt(at: candidate, width: 4) == UInt64(endSignature) {
                end = candidate
                break
            }
            candidate -= 1
        }
        guard end >= 0 else {
            throw CheckpointError.malformed(offset: bytes.count, reason: "no zip end-of-central-directory record")
        }
        var reader = ByteReader(bytes, context: "zip end record")
        try reader.seek(to: end + 10)
        var count = Int(try reader.u16())
        var size = Int(try reader.u32())
        var offset = Int(try reader.u32())
        // ZIP64: a locator 20 bytes before the classic record points to the ZIP64 end record.
        if end >= 20, bytes.leUInt(at: end - 20, width: 4) == UInt64(zip64LocatorSignature) {
            try reader.seek(to: end - 20 + 8)
            let zip64End = try reader.u64()
            guard bytes.count >= 56, zip64End <= UInt64(bytes.count - 56),
                bytes.leUInt(at: Int(zip64End), width: 4) == UInt64(zip64EndSignature)
            else {
                throw CheckpointError.malformed(offset: end - 20, reason: "bad ZIP64 end record locator")
            }
            try reader.seek(to: Int(zip64End) + 32)
            let count64 = try reader.u64(), size64 = try reader.u64(), offset64 = try reader.u64()
            guard count64 <= UInt64(Int.max), size64 <= UInt64(bytes.count), offset64 <= UInt64(bytes.count) else {
                throw CheckpointError.malformed(offset: Int(zip64End), reason: "ZIP64 end record values out of range")
            }
            count = Int(count64)
            size = Int(size64)
            offset = Int(offset64)
        }
        return (count, offset, size)
    }

    private static func readCentralHeader(_ reader: inout ByteReader, _ bytes: UnsafeRawBufferPointer) throws -> ZipEntry {
        let headerOffset = reader.position
        guard try reader.u32() == centralHeaderSignature else {
            throw CheckpointError.malformed(offset: headerOffset, reason: "expected a zip central directory header")
        }
        try reader.skip(4)
        let flags = try reader.u16()
        let method = try reader.u16()
        try reader.skip(4)
        let crc = try reader.u32()
        var compressed = UInt64(try reader.u32())
        var uncompressed = UInt64(try reader.u32())
        let nameLength = Int(try reader.u16()), extraLength = Int(try reader.u16()), commentLength = Int(try reader.u16())
        try reader.skip(8)
        var localOffset = UInt64(try reader.u32())
        let nameBytes = try reader.take(nameLength)
        guard let name = String(bytes: nameBytes, encoding: .utf8) else {
            throw CheckpointError.malformed(offset: headerOffset + 46, reason: "zip entry name is not UTF-8")
        }
        // ZIP64 extra field (id 1): 8-byte values for exactly the fields that are 0xFFFFFFFF, in this order.
        var extra = ByteReader(
            try reader.take(extraLength), baseOffset: reader.absolutePosition - extraLength,
            context: "zip extra field")
        while extra.remaining >= 4 {
            let id = try extra.u16(), length = Int(try extra.u16())
            var field = ByteReader(try extra.take(length), baseOffset: extra.absolutePosition - length, context: "ZIP64 field")
            guard id == 1 else { continue }
            if uncompressed == 0xFFFF_FFFF { uncompressed = try field.u64() }
            if compressed == 0xFFFF_FFFF { compressed = try field.u64() }
            if localOffset == 0xFFFF_FFFF { localOffset = try field.u64() }
        }
        try reader.skip(commentLength)
        guard flags & 1 == 0 else {
            throw CheckpointError.unsupportedFormat("zip entry '\(name)' is encrypted")
        }
        // Local header: the data follows its own name and extra field.
        guard localOffset <= UInt64(bytes.count), compressed <= UInt64(bytes.count), uncompressed <= UInt64(Int32.max) * 64,
            bytes.leUInt(at: Int(localOffset), width: 4) == UInt64(localHeaderSignature),
            let localName = bytes.leUInt(at: Int(localOffset) + 26, width: 2),
            let localExtra = bytes.leUInt(at: Int(localOffset) + 28, width: 2)
        else {
            throw CheckpointError.malformed(
                offset: Int(clamping: localOffset),
                reason: "bad local header for zip entry '\(name)'")
        }
        let dataOffset = Int(localOffset) + 30 + Int(localName) + Int(localExtra)
        guard dataOffset <= bytes.count, Int(compressed) <= bytes.count - dataOffset else {
            throw CheckpointError.truncated(
                offset: dataOffset, needed: Int(compressed),
                context: "zip entry '\(name)' data")
        }
        return ZipEntry(
            name: name, method: method, flags: flags, crc32: crc, compressedSize: Int(compressed),
            uncompressedSize: Int(uncompressed), localHeaderOffset: Int(localOffset), dataOffset: dataOffset)
    }
}
