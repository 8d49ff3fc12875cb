import Foundation
import TestSupport
import Testing

@testable import Imaging

/// Decoding and resizing compared with Pillow on real covers (digests from
/// `scripts/reference/make_imaging_fixtures.py`) and on the EfficientNet-Lite0 chelsea fixture.
struct PillowReferenceTests {
    struct Digest: Decodable, Sendable {
        var width: Int
        var height: Int
        var sums: [Int]
        var samples: [Int]
    }
    struct CoverEntry: Decodable, Sendable, CustomTestStringConvertible {
        var path: String
        var decoded: Digest
        var pretrained224: Digest
        var bilinear131x97: Digest
        var box64x64: Digest
        var bilinearRegion224: Digest
        enum CodingKeys: String, CodingKey {  // the reference script's snake_case keys
            case path, decoded
            case pretrained224 = "pretrained_224"
            case bilinear131x97 = "bilinear_131x97"
            case box64x64 = "box_64x64"
            case bilinearRegion224 = "bilinear_region_224"
        }
        var testDescription: String { path }
    }
    struct CoverDigests: Decodable {
        var sampleSeed: UInt64
        var images: [CoverEntry]
        enum CodingKeys: String, CodingKey {
            case sampleSeed = "sample_seed"
            case images
        }
    }

    static let covers: CoverDigests = try! Fixtures.jsonDecoder.decode(
        CoverDigests.self, from: Fixtures.data("covers_digests.json"))

    /// Compares an image with a digest: exact size, every sampled pixel within `tolerance`, and the
    /// mean per-channel difference (from the sums) below `meanTolerance`.
    func expectMatches(
        _ image: RGBImage, _ digest: Digest, tolerance: Int, meanTolerance: Double, _ label: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(
            image.width == digest.width && image.height == digest.height, "\(label) size",
            sourceLocation: sourceLocation)
        guard image.width == digest.width, image.height == digest.height else { return }
        var generator = ReferenceSplitMix64(state: Self.covers.sampleSeed)
        var worst = 0
        for sample in 0..<(digest.samples.count / 3) {
            let x = Int(generator.next() % UInt64(image.width))
            let y = Int(generator.next() % UInt64(image.height))
            let pixel = image[x, y]
            let values = [pixel.red, pixel.green, pixel.blue]
            for channel in 0..<3 {
                worst = max(worst, abs(Int(values[channel]) - digest.samples[sample * 3 + channel]))
            }
        }
        #expect(worst <= tolerance, "\(label): sampled pixel off by \(worst)", sourceLocation: sourceLocation)
        for channel in 0..<3 {
            var sum = 0
            for index in stride(from: channel, to: image.pixels.count, by: 3) { sum += Int(image.pixels[index]) }
            let meanDifference = Double(abs(sum - digest.sums[channel])) / Double(image.width * image.height)
            #expect(
                meanDifference <= meanTolerance, "\(label): channel \(channel) mean off by \(meanDifference)",
                sourceLocation: sourceLocation)
        }
    }

    @Test("covers decode and resize like Pillow", .enabled(if: Fixtures.hasCovers), arguments: covers.images)
    func cover(_ entry: CoverEntry) throws {
        let image = try ImageDecoder().decode(contentsOf: Fixtures.coversDirectory.appendingPathComponent(entry.path))
        // Same libjpeg-turbo with the same IDCT: the tolerance allows a different SIMD path.
        expectMatches(image, entry.decoded, tolerance: 1, meanTolerance: 0.01, "decode")
        expectMatches(
            PretrainedPreprocessing().croppedImage(image), entry.pretrained224, tolerance: 1,
            meanTolerance: 0.01, "resize 256 bicubic + crop 224")
        expectMatches(
            image.resized(to: ImageSize(width: 131, height: 97), filter: .bilinear), entry.bilinear131x97,
            tolerance: 1, meanTolerance: 0.01, "bilinear 131x97")
        expectMatches(
            image.resized(to: ImageSize(width: 64, height: 64), filter: .box), entry.box64x64,
            tolerance: 1, meanTolerance: 0.01, "box 64x64")
        let region = SourceRegion(left: 10.5, top: 20.25, right: 200.75, bottom: 260)
        expectMatches(
            image.resized(to: ImageSize(width: 224, height: 224), filter: .bilinear, region: region),
            entry.bilinearRegion224, tolerance: 1, meanTolerance: 0.01, "bilinear 224 from a fractional region")
    }

    @Test(
        "chelsea: bicubic 256 + centre crop 224 matches the EfficientNet fixture",
        .enabled(if: Fixtures.hasEfficientNetFixtures))
    func chelseaCrop() throws {
        let image = try ImageDecoder().decode(
            contentsOf: Fixtures.efficientNetDirectory.appendingPathComponent("photos/chelsea.png"))
        #expect(image.width == 451 && image.height == 300)
        let reference = try NumpyFile(
            contentsOf: Fixtures.efficientNetDirectory.appendingPathComponent("chelsea_crop_u8_hwc.npy"))
        #expect(reference.shape == [224, 224, 3])
        let crop = PretrainedPreprocessing().croppedImage(image)
        let (maximum, mean) = differences(crop.pixels, reference.uint8)
        // Stated tolerance: max abs ≤ 1, mean abs < 0.05 (the algorithm is Pillow's; only rounding of
        // the double-precision weights may differ).
        #expect(maximum <= 1, "max abs difference \(maximum)")
        #expect(mean < 0.05, "mean abs difference \(mean)")
    }

    @Test(
        "chelsea: the float NCHW input matches the EfficientNet fixture", .enabled(if: Fixtures.hasEfficientNetFixtures)
    )
    func chelseaInput() throws {
        let image = try ImageDecoder().decode(
            contentsOf: Fixtures.efficientNetDirectory.appendingPathComponent("photos/chelsea.png"))
        let reference = try NumpyFile(
            contentsOf: Fixtures.efficientNetDirectory.appendingPathComponent("chelsea_input_nchw_f32.npy"))
        #expect(reference.shape == [1, 3, 224, 224])
        let input = PretrainedPreprocessing()(image)
        let expected = reference.float32
        #expect(input.count == expected.count)
        var maximum: Float = 0
        var total: Float = 0
        for index in 0..<min(input.count, expected.count) {
            let difference = abs(input[index] - expected[index])
            maximum = max(maximum, difference)
            total += difference
        }
        // One 8-bit step is 2/255 ≈ 0.0078; same tolerance as the crop, in float units.
        #expect(maximum <= 2.0 / 255 + 1e-6, "max abs difference \(maximum)")
        #expect(total / Float(max(input.count, 1)) < 0.05 * 2 / 255, "mean abs difference")
    }
}
