import Foundation

/// The legacy `torch.save` format (`_use_new_zipfile_serialization=False`, torch < 1.6): five
/// consecutive pickles — magic number, protocol version, sys_info, the object, the sorted storage
/// keys — then, for each key in that order, an int64 element count and the raw elements.
enum LegacyContainer {
    /// `0x1950A86A20F9469CFC6C` as the little-endian bytes of a pickled LONG1.
    static let magicNumber: [UInt8] = [0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]
    static let protocolVersion = 1001

    static func read(_ data: Data) throws -> (object: PickleValue, storages: [String: CheckpointStorage]) {
        let parsed = try data.withUnsafeBytes { try parse($0) }
        var storages = [String: CheckpointStorage]()
        for (reference, byteOffset) in parsed.layout {
            storages[reference.key] = try CheckpointStorage(
                data: data, byteOffset: byteOffset, count: reference.elementCount, dtype: reference.dtype,
                bigEndian: parsed.bigEndian, key: reference.key)
        }
        return (parsed.object, storages)
    }

    private struct Parsed {
        var object: PickleValue
        var bigEndian: Bool
        /// Each storage with the file offset of its first element.
        var layout: [(StorageReference, Int)]
    }

    private static func parse(_ bytes: UnsafeRawBufferPointer) throws -> Parsed {
        var offset = 0
        func nextPickle(_ context: String, storages: [String: StorageReference] = [:])
            throws -> (PickleValue, [String: StorageReference])
        {
            var machine = PickleMachine(
                bytes: UnsafeRawBufferPointer(rebasing: bytes[offset...]),
                baseOffset: offset, context: context, storages: storages)
            let value = try machine.run()
            offset += machine.consumed
            return (value, machine.storages)
        }

        let (magic, _) = try nextPickle("legacy magic number")
        guard case let .bigInt(magicBytes) = magic, magicBytes == magicNumber else {
            throw CheckpointError.malformed(offset: 0, reason: "not a PyTorch legacy file (wrong magic number)")
        }
        let versionOffset = offset
        let (version, _) = try nextPickle("legacy protocol version")
        guard case let .int(number) = version, number == protocolVersion else {
            throw CheckpointError.unsupportedFormat("legacy protocol version \(version.kindName) at offset \(versionOffset), expected 1001")
        }
        let sysInfoOffset = offset
        let (sysInfo, _) = try nextPickle("legacy sys_info")
        guard case let .dict(info) = sysInfo else {
            throw CheckpointError.malformed(offset: sysInfoOffset, reason: "sys_info is not a dict")
        }
        var bigEndian = false
        if case let .bool(little)? = info["little_endian"] { bigEndian = !little }

        let (object, references) = try nextPickle("legacy object pickle")
        let keysOffset = offset
        let (keyList, _) = try nextPickle("legacy storage key list")
        guard case let .list(keys) = keyList else {
            throw CheckpointError.malformed(offset: keysOffset, reason: "storage key list is not a list")
        }

        // Raw storages, in key-list order: int64 element count, then the elements (unaligned).
        var reader = ByteReader(bytes, context: "legacy storage data")
        try reader.seek(to: offset)
        var layout = [(StorageReference, Int)]()
        for key in keys.items {
            guard case let .string(name) = key, let reference = references[name] else {
                throw CheckpointError.malformed(offset: keysOffset, reason: "storage key list names an unknown storage")
            }
            let countOffset = reader.absolutePosition
            let count = try reader.i64()
            guard count == Int64(reference.elementCount) else {
                throw CheckpointError.malformed(
                    offset: countOffset,
                    reason: "storage '\(name)' has \(count) elements, the pickle declared \(reference.elementCount)")
            }
            let (size, overflow) = reference.elementCount.multipliedReportingOverflow(by: reference.dtype.itemSize)
            guard !overflow else { throw CheckpointError.malformed(offset: countOffset, reason: "storage size overflows") }
            layout.append((reference, reader.position))
            try reader.skip(size)
        }
        guard layout.count == references.count else {
            throw CheckpointError.malformed(
                offset: keysOffset,
                reason: "\(references.count) storages referenced but \(layout.count) listed")
        }
        return Parsed(object: object, bigEndian: bigEndian, layout: layout)
    }
}
