import Foundation
import Testing

@testable import Imaging

/// A deterministic test pattern: smooth gradients plus a checkerboard, so resizes and flips show.
func patternImage(width: Int, height: Int) -> RGBImage {
    var pixels: [UInt8] = []
    pixels.reserveCapacity(width * height * 3)
    for y in 0..<height {
        for x in 0..<width {
            pixels.append(UInt8(x * 255 / max(width - 1, 1)))
            pixels.append(UInt8(y * 255 / max(height - 1, 1)))
            pixels.append((x / 4 + y / 4) % 2 == 0 ? 230 : 20)
        }
    }
    return RGBImage(width: width, height: height, pixels: pixels)
}

struct SeededGeneratorTests {
    @Test func sameSeedSameStreamDifferentSeedDifferentStream() {
        var a = Xoshiro256StarStar(seed: 42)
        var b = Xoshiro256StarStar(seed: 42)
        var c = Xoshiro256StarStar(seed: 43)
        let first = (0..<8).map { _ in a.next() }
        #expect(first == (0..<8).map { _ in b.next() })
        #expect(first != (0..<8).map { _ in c.next() })
        var e1 = Xoshiro256StarStar(seed: 7, stream: 1, 2)
        var e2 = Xoshiro256StarStar(seed: 7, stream: 2, 1)
        #expect(e1.next() != e2.next())
    }

    @Test func boundedIntegersAreInRangeAndRoughlyUniform() {
        var generator = Xoshiro256StarStar(seed: 1)
        var counts = [Int](repeating: 0, count: 10)
        for _ in 0..<100_000 { counts[generator.nextInt(below: 10)] += 1 }
        // Expected 10,000 each; 5 standard deviations is about ±475.
        #expect(counts.allSatisfy { abs($0 - 10_000) < 500 }, "\(counts)")
        let unit = (0..<10_000).map { _ in generator.nextUnitDouble() }
        #expect(unit.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(abs(unit.reduce(0, +) / 10_000 - 0.5) < 0.02)
        #expect(generator.permutation(of: 50).sorted() == Array(0..<50))
    }
}

struct AugmentationTests {
    @Test func randomResizedCropStaysInsideAndRespectsScaleAndRatio() {
        var generator = Xoshiro256StarStar(seed: 3)
        let crop = RandomResizedCrop(scale: 0.2...0.9, ratio: 0.75...(4.0 / 3))
        let size = ImageSize(width: 300, height: 200)
        for _ in 0..<500 {
            let (x, y, cropSize) = crop.rectangle(for: size, generator: &generator)
            #expect(x >= 0 && y >= 0 && x + cropSize.width <= 300 && y + cropSize.height <= 200)
            let area = Double(cropSize.width * cropSize.height) / 60_000
            let ratio = Double(cropSize.width) / Double(cropSize.height)
            // Sides are rounded to whole pixels, hence the small slack.
            #expect(area > 0.19 && area < 0.92, "area \(area)")
            #expect(ratio > 0.73 && ratio < 1.36, "ratio \(ratio)")
        }
    }

    @Test func randomResizedCropFallsBackToAClampedCentreCrop() {
        var generator = Xoshiro256StarStar(seed: 3)
        // 10x1000: no crop of ratio ≥ 3/4 with scale ≥ 0.5 fits, so the fallback applies.
        let (x, y, size) = RandomResizedCrop(scale: 0.5...1).rectangle(
            for: ImageSize(width: 10, height: 1000), generator: &generator)
        #expect(size == ImageSize(width: 10, height: 13))
        #expect(x == 0 && y == (1000 - 13) / 2)
    }

    @Test func trainingAugmentationIsReproducibleAndHasTheOutputSize() {
        let image = patternImage(width: 300, height: 300)
        let augmentation = TrainingAugmentation(outputSize: ImageSize(width: 64, height: 48))
        var g1 = Xoshiro256StarStar(seed: 9, stream: 1, 5)
        var g2 = Xoshiro256StarStar(seed: 9, stream: 1, 5)
        var g3 = Xoshiro256StarStar(seed: 9, stream: 2, 5)
        let a = augmentation.transformed(image, generator: &g1)
        let b = augmentation.transformed(image, generator: &g2)
        let c = augmentation.transformed(image, generator: &g3)
        #expect(a.width == 64 && a.height == 48)
        #expect(a == b)
        #expect(a != c)
        #expect(augmentation.tensor(image, generator: &g1).count == 3 * 64 * 48)
    }

    @Test func flipProbabilityOneMirrorsTheSameCrop() {
        let image = patternImage(width: 120, height: 90)
        let plain = TrainingAugmentation(
            outputSize: ImageSize(width: 40, height: 40), horizontalFlipProbability: 0, colorJitter: nil)
        var flipping = plain
        flipping.horizontalFlipProbability = 1
        var g1 = Xoshiro256StarStar(seed: 1)
        var g2 = Xoshiro256StarStar(seed: 1)
        #expect(
            flipping.transformed(image, generator: &g1)
                == plain.transformed(image, generator: &g2).horizontallyFlipped())
    }

    @Test func colourAdjustmentsAtTheirExtremes() {
        let image = patternImage(width: 16, height: 16)
        #expect(image.adjustingBrightness(by: 0).pixels.allSatisfy { $0 == 0 })
        #expect(image.adjustingBrightness(by: 1) == image)
        #expect(image.adjustingContrast(by: 1) == image)
        #expect(image.adjustingSaturation(by: 1) == image)
        let gray = image.adjustingSaturation(by: 0)
        for index in stride(from: 0, to: gray.pixels.count, by: 3) {
            #expect(gray.pixels[index] == gray.pixels[index + 1] && gray.pixels[index] == gray.pixels[index + 2])
        }
        let flat = image.adjustingContrast(by: 0)
        #expect(Set(flat.pixels).count == 1)
        let brighter = image.adjustingBrightness(by: 1.5)
        #expect(zip(brighter.pixels, image.pixels).allSatisfy { $0 >= $1 })
    }

    @Test func hueShiftsRotateTheColourWheel() {
        let colors = RGBImage(width: 4, height: 1, pixels: [255, 0, 0, 0, 255, 0, 0, 0, 255, 90, 90, 90])
        #expect(colors.shiftingHue(by: 0) == colors)
        #expect(colors.shiftingHue(by: 1.0 / 3).pixels == [0, 255, 0, 0, 0, 255, 255, 0, 0, 90, 90, 90])
        #expect(colors.shiftingHue(by: -1.0 / 3).pixels == [0, 0, 255, 255, 0, 0, 0, 255, 0, 90, 90, 90])
        #expect(colors.shiftingHue(by: 0.5)[0, 0] == RGBColor(red: 0, green: 255, blue: 255))
        let image = patternImage(width: 16, height: 16)
        #expect(image.shiftingHue(by: 0) == image)
        let (maximum, _) = differences(image.shiftingHue(by: 0.2).shiftingHue(by: -0.2).pixels, image.pixels)
        #expect(maximum <= 2)
    }

    @Test func tensorFlowLiteNormalisation() {
        let values = Normalization.tensorFlowLite.chw(RGBImage(width: 1, height: 1, pixels: [0, 127, 255]))
        #expect(abs(values[0] - (-127.0 / 128)) < 1e-6 && abs(values[1]) < 1e-6 && abs(values[2] - 1) < 1e-6)
    }

    @Test func colorJitterWithZeroStrengthsIsIdentity() {
        let image = patternImage(width: 16, height: 16)
        var generator = Xoshiro256StarStar(seed: 5)
        #expect(ColorJitter().apply(to: image, generator: &generator) == image)
        let jitter = ColorJitter(brightness: 0.3, contrast: 0.3, saturation: 0.3, hue: 0.1)
        var g1 = Xoshiro256StarStar(seed: 8)
        var g2 = Xoshiro256StarStar(seed: 8)
        #expect(jitter.apply(to: image, generator: &g1) == jitter.apply(to: image, generator: &g2))
        #expect(jitter.apply(to: image, generator: &g1) != image)
    }
}

struct ResizeAndGeometryTests {
    @Test("a constant image stays constant under every filter", arguments: ResampleFilter.allCases)
    func constantImage(_ filter: ResampleFilter) {
        let image = RGBImage(width: 37, height: 23, filledWith: RGBColor(red: 200, green: 17, blue: 99))
        for size in [
            ImageSize(width: 10, height: 7), ImageSize(width: 80, height: 50), ImageSize(width: 37, height: 5),
        ] {
            let resized = image.resized(to: size, filter: filter)
            #expect(
                resized
                    == RGBImage(
                        width: size.width, height: size.height, filledWith: RGBColor(red: 200, green: 17, blue: 99)))
        }
    }

    @Test func boxHalvingAveragesTwoByTwoBlocks() {
        let image = patternImage(width: 8, height: 6)
        let half = image.resized(to: ImageSize(width: 4, height: 3), filter: .box)
        for y in 0..<3 {
            for x in 0..<4 {
                for channel in 0..<3 {
                    func value(_ px: Int, _ py: Int) -> Int { Int(image.pixels[(py * 8 + px) * 3 + channel]) }
                    // Each pass rounds half up; two passes of pair averages.
                    let top = (value(2 * x, 2 * y) + value(2 * x + 1, 2 * y) + 1) / 2
                    let bottom = (value(2 * x, 2 * y + 1) + value(2 * x + 1, 2 * y + 1) + 1) / 2
                    let expected = (top + bottom + 1) / 2
                    #expect(Int(half.pixels[(y * 4 + x) * 3 + channel]) == expected)
                }
            }
        }
    }

    @Test func sameSizeResizeIsIdentityAndRegionResizeEqualsCropWhenUnscaled() {
        let image = patternImage(width: 30, height: 20)
        #expect(image.resized(to: ImageSize(width: 30, height: 20)) == image)
        let region = SourceRegion(left: 5, top: 4, right: 15, bottom: 14)
        let viaRegion = image.resized(to: ImageSize(width: 10, height: 10), filter: .bilinear, region: region)
        #expect(viaRegion == image.cropped(x: 5, y: 4, size: ImageSize(width: 10, height: 10)))
    }

    @Test func cropsPadWithBlackAndCentreLikeTorchvision() {
        let image = patternImage(width: 10, height: 9)
        let padded = image.cropped(x: -2, y: -1, size: ImageSize(width: 4, height: 3))
        #expect(padded[0, 0] == .black && padded[1, 2] == .black)
        #expect(padded[2, 1] == image[0, 0])
        // (9 - 4) / 2 = 2.5 rounds to 2 (half to even), (10 - 5) / 2 = 2.5 → 2.
        #expect(
            image.centerCropped(to: ImageSize(width: 5, height: 4))
                == image.cropped(x: 2, y: 2, size: ImageSize(width: 5, height: 4)))
        #expect(image.horizontallyFlipped().horizontallyFlipped() == image)
        #expect(image.horizontallyFlipped()[0, 3] == image[9, 3])
        #expect(image.sizeWithShorterSide(256) == ImageSize(width: 284, height: 256))
    }

    @Test func normalisationMapsToMinusOneOne() {
        let image = RGBImage(width: 2, height: 1, pixels: [0, 255, 51, 255, 0, 102])
        let values = Normalization.symmetric.chw(image)
        #expect(values[0] == -1 && values[1] == 1 && values[2] == 1 && values[3] == -1)
        #expect(values[4] == (Float(51) / 255 - 0.5) / 0.5)
        let imageNet = Normalization.imageNet.chw(image)
        #expect(abs(imageNet[0] - (0 - 0.485) / 0.229) < 1e-6)
    }
}

struct ResizeIntoCropTests {
    @Test("resizing straight into a crop equals resize then crop", arguments: ResampleFilter.allCases)
    func fusedCrop(_ filter: ResampleFilter) {
        let image = patternImage(width: 61, height: 47)
        let cases: [(ImageSize, (x: Int, y: Int, size: ImageSize))] = [
            (ImageSize(width: 40, height: 30), (5, 3, ImageSize(width: 30, height: 20))),
            (ImageSize(width: 61, height: 30), (7, 0, ImageSize(width: 50, height: 30))),  // no horizontal pass
            (ImageSize(width: 30, height: 47), (0, 9, ImageSize(width: 30, height: 20))),  // no vertical pass
            (ImageSize(width: 61, height: 47), (2, 2, ImageSize(width: 10, height: 10))),  // neither
            (ImageSize(width: 90, height: 80), (0, 0, ImageSize(width: 90, height: 80))),
        ]
        for (size, crop) in cases {
            let fused = image.resized(to: size, filter: filter, thenCroppedTo: crop)
            let reference = image.resized(to: size, filter: filter).cropped(x: crop.x, y: crop.y, size: crop.size)
            #expect(fused == reference, "\(size) \(crop)")
        }
    }
}

struct MirroredPreprocessingTests {
    /// A mirrored evaluation view is the same resize and centre crop with every row reversed.
    @Test func aMirroredViewReversesEveryRowOfTheSameCrop() {
        let image = patternImage(width: 75, height: 60)
        let plain = PretrainedPreprocessing(resizeShorterSide: 40, cropSize: ImageSize(width: 32, height: 32))
        var mirroring = plain
        mirroring.mirrored = true
        let (a, b) = (plain(image), mirroring(image))
        let side = 32
        #expect(a.count == 3 * side * side && b.count == a.count)
        #expect(a != b, "the pattern is not symmetric, so the mirror must differ")
        for channel in 0..<3 {
            for y in 0..<side {
                let row = channel * side * side + y * side
                #expect(Array(b[row..<(row + side)]) == Array(a[row..<(row + side)].reversed()), "channel \(channel) row \(y)")
            }
        }
    }
}
