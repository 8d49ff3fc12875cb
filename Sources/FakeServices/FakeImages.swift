/// Tiny valid images generated in code, so the fake services need no image files: a baseline
/// JPEG and a 1-bit palette PNG, each of one solid colour, with a comment/text chunk carrying a
/// label so that every album's image has distinct bytes (and a distinct SHA-256).
public enum FakeImages {
    // MARK: - JPEG

    /// A baseline 4:4:4 YCbCr JPEG of `width`×`height` in one colour (a few hundred bytes to a
    /// few kB). Every 8×8 block is flat, so only DC coefficients are coded; all quantisers are 16.
    public static func jpeg(width: Int, height: Int, red: UInt8, green: UInt8, blue: UInt8, label: String) -> [UInt8] {
        let r = Double(red), g = Double(green), b = Double(blue)
        let luma = 0.299 * r + 0.587 * g + 0.114 * b
        let blueDifference = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b
        let redDifference = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b
        // A flat block's DC coefficient is 8 × (value − 128); divided by the quantiser 16.
        let dc = [luma, blueDifference, redDifference].map { Int(((($0 - 128) * 8) / 16).rounded()) }

        var out: [UInt8] = [0xFF, 0xD8]
        func segment(_ marker: UInt8, _ payload: [UInt8]) {
            let length = payload.count + 2
            out += [0xFF, marker, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
        }
        segment(0xE0, Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0])
        segment(0xFE, Array(label.utf8.prefix(200)))
        segment(0xDB, [0x00] + [UInt8](repeating: 16, count: 64))
        segment(
            0xC0,
            [
                8, UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8), UInt8(width & 0xFF), 3,
                1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0,
            ])
        // DC table: category 0 has the 1-bit code "0"; categories 1…11 have 5-bit codes 10000…11010.
        var dcCounts = [UInt8](repeating: 0, count: 16)
        dcCounts[0] = 1
        dcCounts[4] = 11
        segment(0xC4, [0x00] + dcCounts + (0...11).map { UInt8($0) })
        // AC table: only end-of-block (symbol 0x00), code "0".
        var acCounts = [UInt8](repeating: 0, count: 16)
        acCounts[0] = 1
        segment(0xC4, [0x10] + acCounts + [0x00])
        segment(0xDA, [3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0])

        var writer = JPEGBitWriter()
        let blocks = ((width + 7) / 8) * ((height + 7) / 8)
        var previous = [0, 0, 0]
        for _ in 0..<blocks {
            for component in 0..<3 {
                let difference = dc[component] - previous[component]
                previous[component] = dc[component]
                let category = difference == 0 ? 0 : (Int.bitWidth - abs(difference).leadingZeroBitCount)
                if category == 0 {
                    writer.write(0, count: 1)
                } else {
                    writer.write(0b10000 + (category - 1), count: 5)
                    let bits = difference > 0 ? difference : difference + (1 << category) - 1
                    writer.write(bits, count: category)
                }
                writer.write(0, count: 1)  // end of block
            }
        }
        out += writer.finish()
        out += [0xFF, 0xD9]
        return out
    }

    struct JPEGBitWriter {
        var bytes: [UInt8] = []
        var accumulator = 0
        var bitCount = 0

        mutating func write(_ value: Int, count: Int) {
            for shift in stride(from: count - 1, through: 0, by: -1) {
                accumulator = (accumulator << 1) | ((value >> shift) & 1)
                bitCount += 1
                if bitCount == 8 { emit() }
            }
        }

        mutating func emit() {
            let byte = UInt8(accumulator & 0xFF)
            bytes.append(byte)
            if byte == 0xFF { bytes.append(0x00) }  // byte stuffing inside entropy-coded data
            accumulator = 0
            bitCount = 0
        }

        mutating func finish() -> [UInt8] {
            while bitCount != 0 { write(1, count: 1) }  // pad with 1-bits
            return bytes
        }
    }

    // MARK: - PNG

    /// A 1-bit palette PNG of `width`×`height` in one colour. The image data is all zero bytes
    /// (filter 0, palette index 0), deflated with fixed Huffman codes as runs of 258.
    public static func png(width: Int, height: Int, red: UInt8, green: UInt8, blue: UInt8, label: String) -> [UInt8] {
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        func chunk(_ type: String, _ data: [UInt8]) {
            out += bigEndian32(data.count)
            let typed = Array(type.utf8) + data
            out += typed
            out += bigEndian32(Int(crc32(typed)))
        }
        chunk("IHDR", bigEndian32(width) + bigEndian32(height) + [1, 3, 0, 0, 0])
        chunk("PLTE", [red, green, blue])
        chunk("tEXt", Array("Comment".utf8) + [0] + Array(label.utf8.prefix(200)))
        let rawCount = height * (1 + (width + 7) / 8)
        chunk("IDAT", zlibOfZeros(count: rawCount))
        chunk("IEND", [])
        return out
    }

    static func bigEndian32(_ value: Int) -> [UInt8] {
        [UInt8((value >> 24) & 0xFF), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    static let crcTable: [UInt32] = (0..<256).map { index in
        var c = UInt32(index)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in bytes { c = crcTable[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    /// zlib stream of `count` zero bytes: a literal 0, then (length 258, distance 1) copies, then
    /// literal zeros for the remainder, in one fixed-Huffman block.
    static func zlibOfZeros(count: Int) -> [UInt8] {
        var bits = DeflateBitWriter()
        bits.write(1, count: 1)  // BFINAL
        bits.write(1, count: 2)  // BTYPE = 01, fixed Huffman
        func literalZero() { bits.writeHuffman(0b0011_0000, count: 8) }
        if count > 0 { literalZero() }
        var remaining = max(0, count - 1)
        while remaining >= 258 {
            bits.writeHuffman(0b1100_0101, count: 8)  // symbol 285: length 258, no extra bits
            bits.writeHuffman(0, count: 5)  // distance code 0: distance 1
            remaining -= 258
        }
        for _ in 0..<remaining { literalZero() }
        bits.writeHuffman(0, count: 7)  // end of block (256)
        // Adler-32 of zeros: a stays 1, b grows by 1 per byte.
        let b = UInt32(count % 65_521)
        return [0x78, 0x01] + bits.finish() + bigEndian32(Int(b << 16 | 1))
    }

    struct DeflateBitWriter {
        var bytes: [UInt8] = []
        var accumulator: UInt32 = 0
        var bitCount = 0

        /// Writes `count` bits of `value`, least significant first (deflate's bit order).
        mutating func write(_ value: Int, count: Int) {
            for index in 0..<count {
                accumulator |= UInt32((value >> index) & 1) << UInt32(bitCount)
                bitCount += 1
                if bitCount == 8 {
                    bytes.append(UInt8(accumulator))
                    accumulator = 0
                    bitCount = 0
                }
            }
        }

        /// Huffman codes are defined most significant bit first.
        mutating func writeHuffman(_ code: Int, count: Int) {
            for index in stride(from: count - 1, through: 0, by: -1) { write((code >> index) & 1, count: 1) }
        }

        mutating func finish() -> [UInt8] {
            if bitCount > 0 { bytes.append(UInt8(accumulator)) }
            return bytes
        }
    }
}
