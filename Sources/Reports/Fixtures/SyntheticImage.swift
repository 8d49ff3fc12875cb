import Foundation

/// Tiny PNG encoder for synthetic fixture images (sample reports, tests), so fixtures need no
/// image library and no copyrighted covers.
///
/// Writes 8-bit RGB, filter type 0 on every row, and a zlib stream of *stored* (uncompressed)
/// deflate blocks: larger files than a real encoder, but valid PNG that every browser decodes.
public enum SyntheticImage {
    /// Encodes `width × height` RGB pixels given by `pixel(x, y)` as PNG.
    public static func png(width: Int, height: Int, pixel: (Int, Int) -> (UInt8, UInt8, UInt8)) -> Data {
        precondition(width > 0 && height > 0, "SyntheticImage.png: empty image \(width)×\(height)")
        var raw = [UInt8]()
        raw.reserveCapacity((width * 3 + 1) * height)
        for y in 0..<height {
            raw.append(0)
            for x in 0..<width {
                let (r, g, b) = pixel(x, y)
                raw += [r, g, b]
            }
        }
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header = [UInt8]()
        header += bigEndian(UInt32(width)) + bigEndian(UInt32(height))
        header += [8, 2, 0, 0, 0]  // bit depth 8, colour type RGB, deflate, adaptive filtering, no interlace
        png += chunk("IHDR", header)
        png += chunk("IDAT", zlibStored(raw))
        png += chunk("IEND", [])
        return Data(png)
    }

    /// A deterministic abstract "cover" for genre fixtures: a diagonal two-colour gradient with a
    /// disc whose position depends on `seed`.
    public static func cover(seed: Int, colour: String, size: Int = 96) -> Data {
        let base = rgb(hex: colour)
        var state = UInt64(truncatingIfNeeded: seed) &* 0x9E37_79B9_7F4A_7C15 | 1
        func next() -> Double {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Double(state % 10_000) / 10_000
        }
        let cx = Double(size) * (0.25 + 0.5 * next()), cy = Double(size) * (0.25 + 0.5 * next())
        let radius = Double(size) * (0.12 + 0.18 * next())
        let dark = next() < 0.5
        return png(width: size, height: size) { x, y in
            let t = Double(x + y) / Double(2 * size)
            let dx = Double(x) - cx, dy = Double(y) - cy
            if dx * dx + dy * dy < radius * radius {
                return dark ? (20, 20, 24) : (245, 240, 230)
            }
            func mix(_ c: Double) -> UInt8 { UInt8(max(0, min(255, c * (1 - 0.55 * t) + 40 * t))) }
            return (mix(base.0), mix(base.1), mix(base.2))
        }
    }

    /// A fake Grad-CAM overlay: a greyed cover with a red–yellow blob at a seed-dependent spot.
    public static func heatOverlay(seed: Int, size: Int = 96) -> Data {
        let cx = Double((seed * 37) % size), cy = Double((seed * 61) % size)
        return png(width: size, height: size) { x, y in
            let dx = Double(x) - cx, dy = Double(y) - cy
            let heat = exp(-(dx * dx + dy * dy) / Double(size * size / 10))
            let grey = 110.0
            return (UInt8(min(255, grey + 145 * heat)), UInt8(min(255, grey + 90 * heat * heat)), UInt8(grey * (1 - heat)))
        }
    }

    // MARK: - Encoding

    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        return bigEndian(UInt32(data.count)) + typeBytes + data + bigEndian(crc32(typeBytes + data))
    }

    private static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let length = min(65_535, data.count - offset)
            let isFinal: UInt8 = offset + length == data.count ? 1 : 0
            out.append(isFinal)
            out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            out += data[offset..<offset + length]
            offset += length
        } while offset < data.count
        return out + bigEndian(adler32(data))
    }

    private static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in bytes { c = crcTable[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    private static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return b << 16 | a
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    private static func rgb(hex: String) -> (Double, Double, Double) {
        let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
        guard digits.count == 6, let value = UInt32(digits, radix: 16) else { return (128, 128, 128) }
        return (Double(value >> 16), Double((value >> 8) & 0xFF), Double(value & 0xFF))
    }
}
