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
        // One spare byte: a stream that would produce more than declared fills it and fails the size
        // check below, and an empty member still has a buffer to point zlib at (it refuses a null one).
        var output = Data(count: expectedSize + 1)
        var stream = z_stream()
        guard albumgenre_inflate_init2(&stream, -15) == Z_OK else {
            throw CheckpointError.unsupportedFormat("\(context): zlib inflateInit2 failed")
        }
        defer { inflateEnd(&stream) }
        let status: Int32 = compressed.withUnsafeBytes { src in
            output.withUnsafeMutableBytes { dst in
                let input = src.bindMemory(to: Bytef.self), out = dst.bindMemory(to: Bytef.self)
                // zlib counts in 32-bit lengths: hand it the buffers in chunks of at most 1 GiB.
                let chunk = 1 << 30
                var consumed = 0, produced = 0
                while true {
                    let inputChunk = min(input.count - consumed, chunk), outputChunk = min(out.count - produced, chunk)
                    stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress.map { $0 + consumed })
                    stream.avail_in = uInt(inputChunk)
                    stream.next_out = out.baseAddress.map { $0 + produced }
                    stream.avail_out = uInt(outputChunk)
                    let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    consumed += inputChunk - Int(stream.avail_in)
                    produced += outputChunk - Int(stream.avail_out)
                    // Stop at the end of the stream, on an error, or when a call made no progress.
                    if status != Z_OK || (Int(stream.avail_in) == inputChunk && Int(stream.avail_out) == outputChunk) {
                        return status
                    }
                }
            }
        }
        guard status == Z_STREAM_END, Int(stream.total_out) == expectedSize else {
            throw CheckpointError.malformed(
                offset: Int(stream.total_in),
                reason: "\(context): DEFLATE data is corrupt (zlib status \(status))")
        }
        output.count = expectedSize
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
