import Foundation

@testable import Checkpoints

/// Writes a zip in torch's layout (STORED records, `FB` padding so data is 64-byte aligned, ZIP64
/// end records), for tests that re-save checkpoints without Python.
struct TorchZipWriter {
    private(set) var bytes = Data()
    private var central = Data()
    private var count = 0
    /// Where each added member's local header is, with its CRC and size (for `addAlias`).
    private var members: [(offset: Int, crc: UInt32, size: Int)] = []

    /// A central-directory entry named `name` for the data of member `index`: a hostile archive whose
    /// members share bytes.
    mutating func addAlias(_ name: String, of index: Int) {
        let member = members[index], nameBytes = Array(name.utf8)
        central.le(UInt32(0x0201_4B50))
        central.le(UInt16(45))
        central.le(UInt16(20))
        central.le(UInt16(0))
        central.le(UInt16(0))
        central.le(UInt32(0))
        central.le(member.crc)
        central.le(UInt32(member.size))
        central.le(UInt32(member.size))
        central.le(UInt16(nameBytes.count))
        central.le(UInt16(0))
        central.le(UInt16(0))
        central.le(UInt16(0))
        central.le(UInt16(0))
        central.le(UInt32(0))
        central.le(UInt32(member.offset))
        central.append(contentsOf: nameBytes)
        count += 1
    }

    mutating func add(_ name: String, _ contents: Data) {
        let nameBytes = Array(name.utf8)
        let offset = bytes.count
        // Pad with an "FB" extra field so the data starts at a multiple of 64.
        let unpadded = offset + 30 + nameBytes.count + 4
        let padding = (64 - unpadded % 64) % 64
        let crc = Inflater.crc32(of: contents)
        members.append((offset, crc, contents.count))
        var local = Data()
        local.le(UInt32(0x0403_4B50))
        local.storedMemberFields(crc: crc, size: contents.count, nameLength: nameBytes.count)
        local.le(UInt16(4 + padding))
        local.append(contentsOf: nameBytes)
        local.append(contentsOf: [0x46, 0x42])
        local.le(UInt16(padding))
        local.append(contentsOf: [UInt8](repeating: 0x5A, count: padding))
        bytes.append(local)
        precondition(bytes.count % 64 == 0)
        bytes.append(contents)

        central.le(UInt32(0x0201_4B50))
        central.le(UInt16(45))
        central.storedMemberFields(crc: crc, size: contents.count, nameLength: nameBytes.count)
        central.le(UInt16(0))
        central.le(UInt16(0))
        central.le(UInt16(0))
        central.le(UInt16(0))
        central.le(UInt32(0))
        central.le(UInt32(offset))
        central.append(contentsOf: nameBytes)
        count += 1
    }

    /// The finished archive: central directory, ZIP64 end record and locator, classic end record.
    func finished() -> Data {
        var out = bytes
        let directoryOffset = out.count
        out.append(central)
        let zip64End = out.count
        out.le(UInt32(0x0606_4B50))
        out.le(UInt64(44))
        out.le(UInt16(45))
        out.le(UInt16(45))
        out.le(UInt32(0))
        out.le(UInt32(0))
        out.le(UInt64(count))
        out.le(UInt64(count))
        out.le(UInt64(central.count))
        out.le(UInt64(directoryOffset))
        out.le(UInt32(0x0706_4B50))
        out.le(UInt32(0))
        out.le(UInt64(zip64End))
        out.le(UInt32(1))
        out.le(UInt32(0x0605_4B50))
        out.le(UInt16(0))
        out.le(UInt16(0))
        out.le(UInt16(0xFFFF))
        out.le(UInt16(0xFFFF))
        out.le(UInt32(0xFFFF_FFFF))
        out.le(UInt32(0xFFFF_FFFF))
        out.le(UInt16(0))
        return out
    }
}

extension Data {
    mutating func le<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}

/// Re-saves a legacy checkpoint in the zip layout: the legacy object pickle becomes `data.pkl`
/// verbatim (its 6-field persistent ids are accepted), each storage becomes `data/<key>`.
func rewriteLegacyAsZip(_ legacy: Data) throws -> Data {
    let pickleRange: Range<Int> = try legacy.withUnsafeBytes { raw in
        var offset = 0
        var range = 0..<0
        for index in 0..<4 {
            var machine = PickleMachine(bytes: UnsafeRawBufferPointer(rebasing: raw[offset...]), baseOffset: offset)
            _ = try machine.run()
            if index == 3 { range = offset..<(offset + machine.consumed) }
            offset += machine.consumed
        }
        return range
    }
    let (_, storages) = try LegacyContainer.read(legacy)
    var writer = TorchZipWriter()
    writer.add("archive/data.pkl", legacy.subdata(in: pickleRange))
    writer.add("archive/byteorder", Data("little".utf8))
    for key in storages.keys.sorted() {
        let storage = storages[key]!
        let start = storage.byteOffset
        writer.add("archive/data/\(key)", legacy.subdata(in: start..<(start + storage.count * storage.dtype.itemSize)))
    }
    writer.add("archive/version", Data("3\n".utf8))
    return writer.finished()
}

extension Data {
    /// The fields a stored (uncompressed) member's local and central headers share: version needed
    /// 2.0, no flags, method 0, a zero DOS time and date, CRC-32, both sizes, the name's length.
    fileprivate mutating func storedMemberFields(crc: UInt32, size: Int, nameLength: Int) {
        le(UInt16(20))
        le(UInt16(0))
        le(UInt16(0))
        le(UInt32(0))
        le(crc)
        le(UInt32(size))
        le(UInt32(size))
        le(UInt16(nameLength))
    }
}
