import CTurboJPEG
import Foundation
import Testing

@testable import Imaging

/// YCCK JPEGs (CMYK with a colour transform, as Photoshop writes them) are not producible with
/// Pillow, so this test makes one with TurboJPEG's CMYK compressor and checks the conversion.
struct CMYKTests {
    /// Stored (Adobe-inverted) CMYK bytes of a smooth pattern.
    static func storedCMYK(width: Int, height: Int) -> [UInt8] {
        (0..<(width * height)).flatMap { index -> [UInt8] in
            let x = index % width
            let y = index / width
            return [UInt8(255 - x * 4), UInt8(255 - y * 5), UInt8(255 - (x + y) * 2), UInt8(255 - (x * y) % 60)]
        }
    }

    static func compressYCCK(_ cmyk: [UInt8], width: Int, height: Int) throws -> Data {
        let handle = try #require(tjInitCompress())
        defer { tjDestroy(handle) }
        var buffer: UnsafeMutablePointer<UInt8>? = nil
        var size: UInt = 0
        let status = cmyk.withUnsafeBufferPointer {
            tjCompress2(
                handle, $0.baseAddress, Int32(width), 0, Int32(height), TJPF_CMYK.rawValue, &buffer, &size,
                Int32(TJSAMP_444.rawValue), 98, 0)
        }
        defer { tjFree(buffer) }
        #expect(status == 0)
        return Data(bytes: try #require(buffer), count: Int(size))
    }

    @Test func ycckDecodesWithPillowsCMYKConversion() throws {
        let (width, height) = (48, 40)
        let cmyk = Self.storedCMYK(width: width, height: height)
        let data = try Self.compressYCCK(cmyk, width: width, height: height)
        let image = try ImageDecoder().decode(data, name: "ycck.jpg")
        #expect(image.width == width && image.height == height)
        let expected = JPEGDecoder.cmykToRGB(cmyk)
        let (maximum, mean) = differences(image.pixels, expected)
        // Lossy at quality 98: small errors in C, M, Y and K compound in the product.
        #expect(mean < 2, "mean abs difference \(mean), max \(maximum)")
    }

    @Test func pillowCMYKFormulaOnKnownValues() {
        // Stored bytes are inverted ink: stored 255 = no ink. No ink → white; full K → black.
        #expect(JPEGDecoder.cmykToRGB([255, 255, 255, 255]) == [255, 255, 255])
        #expect(JPEGDecoder.cmykToRGB([255, 255, 255, 0]) == [0, 0, 0])
        // Full cyan, no K → (0, 255, 255).
        #expect(JPEGDecoder.cmykToRGB([0, 255, 255, 255]) == [0, 255, 255])
        // Half K (stored 128) halves everything: 255 - 127 = 128.
        #expect(JPEGDecoder.cmykToRGB([255, 255, 255, 128]) == [128, 128, 128])
    }
}
