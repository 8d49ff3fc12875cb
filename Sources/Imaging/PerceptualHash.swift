import Foundation

/// A 64-bit perceptual hash: similar-looking images get hashes a small Hamming distance apart, so
/// a cover re-encoded or resized by another site can be grouped with the original.
public struct PerceptualHash: Sendable, Hashable, CustomStringConvertible {
    public let value: UInt64

    public init(value: UInt64) { self.value = value }

    /// Number of differing bits (0...64).
    public func distance(to other: PerceptualHash) -> Int { (value ^ other.value).nonzeroBitCount }

    public var description: String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// DCT hash (pHash): luma of a 32x32 area-resampled copy, 2-D DCT-II, the 8x8 lowest
    /// frequencies; bit `8 * v + u` (from the most significant) is set when coefficient (v, u) is
    /// above the median of the 64. Robust to re-encoding, resizing and small colour changes.
    public static func dct(of image: RGBImage) -> PerceptualHash {
        let size = 32
        let gray = lumaGrid(image, width: size, height: size)
        // Separable DCT-II: rows then columns, only the 8 lowest frequencies of each.
        var cosines = [Double](repeating: 0, count: 8 * size)
        for frequency in 0..<8 {
            for position in 0..<size {
                cosines[frequency * size + position] = cos(
                    Double.pi / Double(size) * (Double(position) + 0.5) * Double(frequency))
            }
        }
        var rowTransformed = [Double](repeating: 0, count: size * 8)
        for row in 0..<size {
            for u in 0..<8 {
                var sum = 0.0
                for x in 0..<size { sum += gray[row * size + x] * cosines[u * size + x] }
                rowTransformed[row * 8 + u] = sum
            }
        }
        var coefficients = [Double](repeating: 0, count: 64)
        for v in 0..<8 {
            for u in 0..<8 {
                var sum = 0.0
                for y in 0..<size { sum += rowTransformed[y * 8 + u] * cosines[v * size + y] }
                coefficients[v * 8 + u] = sum
            }
        }
        return PerceptualHash(value: bits(coefficients, above: median(coefficients)))
    }

    /// Difference hash (dHash): luma of a 9x8 area-resampled copy; bit set when a pixel is brighter
    /// than its right neighbour. Cheaper than `dct`, slightly less robust.
    public static func difference(of image: RGBImage) -> PerceptualHash {
        let gray = lumaGrid(image, width: 9, height: 8)
        var value: UInt64 = 0
        for row in 0..<8 {
            for column in 0..<8 {
                value = value << 1 | (gray[row * 9 + column] > gray[row * 9 + column + 1] ? 1 : 0)
            }
        }
        return PerceptualHash(value: value)
    }

    private static func lumaGrid(_ image: RGBImage, width: Int, height: Int) -> [Double] {
        let small = image.resized(to: ImageSize(width: width, height: height), filter: .box)
        return stride(from: 0, to: small.pixels.count, by: 3).map { small.luma(at: $0) }
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    private static func bits(_ values: [Double], above threshold: Double) -> UInt64 {
        values.reduce(0) { $0 << 1 | ($1 > threshold ? 1 : 0) }
    }
}

extension PerceptualHash {
    /// The DCT hash of an image file. The hash reads a 32x32 luma grid, so the file is decoded at
    /// the smallest scale of at least 64x64 (libjpeg-turbo's scaled decoding makes a large cover cheap).
    public static func dct(contentsOf url: URL, decoder: ImageDecoder = ImageDecoder()) throws(ImagingError) -> PerceptualHash {
        dct(of: try decoder.decode(contentsOf: url, minimumSize: ImageSize(width: 64, height: 64)))
    }
}
