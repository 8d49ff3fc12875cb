import Foundation
import Imaging

/// Synthetic fixture images (sample reports, tests), so fixtures need no copyrighted covers:
/// pixels from a formula, encoded as PNG by the Imaging module (libpng).
public enum SyntheticImage {
    /// Encodes `width × height` RGB pixels given by `pixel(x, y)` as PNG.
    public static func png(width: Int, height: Int, pixel: (Int, Int) -> (UInt8, UInt8, UInt8)) -> Data {
        precondition(width > 0 && height > 0, "SyntheticImage.png: empty image \(width)×\(height)")
        var pixels = [UInt8]()
        pixels.reserveCapacity(width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let (r, g, b) = pixel(x, y)
                pixels += [r, g, b]
            }
        }
        // A fixture this small cannot fail to encode; a failure is a broken libpng.
        return try! RGBImage(width: width, height: height, pixels: pixels).encodePNG()
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

    private static func rgb(hex: String) -> (Double, Double, Double) {
        let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
        guard digits.count == 6, let value = UInt32(digits, radix: 16) else { return (128, 128, 128) }
        return (Double(value >> 16), Double((value >> 8) & 0xFF), Double(value & 0xFF))
    }
}
