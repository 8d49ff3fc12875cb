import CZlib
import Foundation

/// Raw DEFLATE (zip method 8) decompression through the system zlib, plus CRC-32.
enum Inflater {
    /// Inflates `compressed` into exactly `expectedSize` bytes and checks the CRC-32.
    static func inflate(_ compressed: Data, expectedSize: Int, expectedCRC: UInt32, context: String) throws -> Data {
        // DEFLATE cannot expand data by more than ~1032:1; a larger claim is a corrupt or hostile header.
        guard expectedSize >= 0, expectedSize / 1032 <= compressed.count + 1 else {
            throw CheckpointError.malformed(offset: 0, reason: "\(context): implausible size \(expectedSize)")
        }
        var output = Data(count: expectedSize)
        var stream = z_stream()
        guard albumgenre_inflate_init2(&stream, -15) == Z_OK else {
            throw CheckpointError.unsupportedFormat("\(context): zlib inflateInit2 failed")
        }
        defer { inflateEnd(&stream) }
        let status: Int32 = compressed.withUnsafeBytes { src in
            output.withUnsafeMutableBytes { dst in
                stream.next_in = UnsafeMutablePointer(mutating: src.bindMemory(to: Bytef.self).baseAddress)
                stream.avail_in = uInt(src.count)
                stream.next_out = dst.bindMemory(to: Bytef.self).baseAddress
                stream.avail_out = uInt(dst.count)
                // One call suffices: the whole input and the whole output buffer are given at once.
                return CZlib.inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END, Int(stream.total_out) == expectedSize else {
            throw CheckpointError.malformed(offset: Int(stream.total_in),
                                            reason: "\(context): DEFLATE data is corrupt (zlib status \(status))")
        }
        let crc = crc32(of: output)
        guard crc == expectedCRC else {
            throw CheckpointError.malformed(offset: 0, reason: "\(context): CRC-32 mismatch")
        }
        return output
    }

    static func crc32(of data: Data) -> UInt32 {
        data.withUnsafeBytes { raw -> UInt32 in
            var crc = CZlib.crc32(0, nil, 0)
            var offset = 0
            // zlib takes a 32-bit length: feed large buffers in chunks.
            while offset < raw.count {
                let chunk = min(raw.count - offset, 1 << 30)
                crc = CZlib.crc32(crc, raw.baseAddress!.assumingMemoryBound(to: Bytef.self) + offset, uInt(chunk))
                offset += chunk
            }
            return UInt32(crc)
        }
    }
}
