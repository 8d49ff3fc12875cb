import Foundation
import Testing

@testable import Imaging

/// Mutated and truncated JPEG/PNG bytes either decode or throw `ImagingError`; none may crash,
/// hang or decode to something outside the limits.
struct DecoderFuzzTests {
    static func seeds() throws -> [(String, [UInt8])] {
        var seeds: [(String, [UInt8])] = try [
            "baseline.jpg", "progressive.jpg", "cmyk.jpg", "gray.jpg",
            "exif-orientation-6.jpg", "rgb.png", "palette-trns.png", "rgb16.png", "gray-alpha.png",
        ].map {
            ($0, [UInt8](try Fixtures.data("odd/\($0)")))
        }
        let pattern = patternImage(width: 48, height: 40)
        seeds.append(("encoded.jpg", [UInt8](try pattern.encodeJPEG(quality: 80))))
        seeds.append(("encoded.png", [UInt8](try pattern.encodePNG())))
        return seeds
    }

    static func mutate(_ bytes: [UInt8], generator: inout Xoshiro256StarStar) -> [UInt8] {
        var result = bytes
        switch generator.nextInt(below: 5) {
        case 0:  // truncate
            result.removeLast(generator.nextInt(below: result.count))
        case 1:  // flip a few bits
            for _ in 0..<(1 + generator.nextInt(below: 8)) {
                result[generator.nextInt(below: result.count)] ^= UInt8(1 << generator.nextInt(below: 8))
            }
        case 2:  // overwrite a run with random bytes
            let start = generator.nextInt(below: result.count)
            for index in start..<min(result.count, start + 1 + generator.nextInt(below: 32)) {
                result[index] = UInt8(truncatingIfNeeded: generator.next())
            }
        case 3:  // insert random bytes
            let at = generator.nextInt(below: result.count)
            result.insert(
                contentsOf: (0..<(1 + generator.nextInt(below: 16))).map { _ in
                    UInt8(truncatingIfNeeded: generator.next())
                }, at: at)
        default:  // set a byte to an interesting value (sizes, markers)
            result[generator.nextInt(below: result.count)] =
                [0x00, 0xFF, 0x7F, 0x80, 0xD9, 0xDA][generator.nextInt(below: 6)]
        }
        return result
    }

    @Test func mutatedFilesDecodeOrThrowImagingError() throws {
        let decoder = ImageDecoder(limits: DecodeLimits(maximumPixels: 1_000_000, maximumSide: 4000))
        var generator = Xoshiro256StarStar(seed: 2026)
        var decoded = 0
        var refused = 0
        for (name, bytes) in try Self.seeds() {
            for case_ in 0..<300 {
                let mutated = Self.mutate(bytes, generator: &generator)
                do throws(ImagingError) {
                    let image = try decoder.decode(Data(mutated), name: "\(name)#\(case_)")
                    #expect(image.pixels.count == image.width * image.height * 3)
                    #expect(image.width * image.height <= 1_000_000)
                    decoded += 1
                } catch {
                    #expect(error.description.contains("\(name)#\(case_)"))
                    refused += 1
                }
            }
        }
        #expect(decoded + refused == 11 * 300)
        // Both outcomes occur: the mutations are neither all harmless nor all fatal.
        #expect(decoded > 100 && refused > 100, "decoded \(decoded), refused \(refused)")
    }
}
