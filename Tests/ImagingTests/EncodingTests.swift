import Foundation
import Testing

@testable import Imaging

struct EncodingTests {
    @Test func pngRoundTripIsLossless() throws {
        let image = patternImage(width: 37, height: 21)
        let data = try image.encodePNG()
        #expect(ImageFormat(sniffing: data) == .png)
        #expect(try ImageDecoder().decode(data) == image)
    }

    @Test("JPEG round trip is close", arguments: [ChromaSubsampling.none, .half])
    func jpegRoundTripIsClose(_ subsampling: ChromaSubsampling) throws {
        // Smooth colours: a fine chroma checkerboard would lose ~16 levels at 4:2:0 (Pillow too).
        let image = RGBImage(
            width: 64, height: 48,
            pixels: (0..<(64 * 48)).flatMap { index -> [UInt8] in
                let x = index % 64
                let y = index / 64
                return [UInt8(x * 4), UInt8(y * 5), UInt8((x + y) * 2)]
            })
        let data = try image.encodeJPEG(quality: 95, subsampling: subsampling)
        #expect(ImageFormat(sniffing: data) == .jpeg)
        let decoded = try ImageDecoder().decode(data)
        #expect(decoded.width == 64 && decoded.height == 48)
        let (_, mean) = differences(decoded.pixels, image.pixels)
        #expect(mean < 4, "mean abs difference \(mean)")
        #expect(try image.encodeJPEG(quality: 20).count < data.count)
    }

    @Test func writeIsAtomicAndChoosesTheFormatByExtension() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("imaging-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let image = patternImage(width: 10, height: 10)
        try image.write(to: directory.appendingPathComponent("a.png"))
        try image.write(to: directory.appendingPathComponent("b.jpg"))
        #expect(ImageFormat(sniffing: try Data(contentsOf: directory.appendingPathComponent("a.png"))) == .png)
        #expect(ImageFormat(sniffing: try Data(contentsOf: directory.appendingPathComponent("b.jpg"))) == .jpeg)
        #expect(throws: ImagingError.self) { try image.write(to: directory.appendingPathComponent("c.gif")) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["a.png", "b.jpg"])
    }

    @Test func contactSheetLaysOutCentredThumbnails() {
        let red = RGBImage(width: 40, height: 20, filledWith: RGBColor(red: 255, green: 0, blue: 0))
        let blue = RGBImage(width: 10, height: 30, filledWith: RGBColor(red: 0, green: 0, blue: 255))
        let gray = RGBColor(red: 128, green: 128, blue: 128)
        let sheet = RGBImage.contactSheet(
            [red, blue, red], columns: 2, cellSize: ImageSize(width: 20, height: 20), spacing: 2, background: gray)
        #expect(sheet.width == 2 * 20 + 3 * 2 && sheet.height == 2 * 20 + 3 * 2)
        // Red 40x20 fits as 20x10, centred vertically in cell (0, 0) at y 2 + 5.
        #expect(sheet[2, 2] == gray)
        #expect(sheet[2, 7] == RGBColor(red: 255, green: 0, blue: 0))
        #expect(sheet[21, 16] == RGBColor(red: 255, green: 0, blue: 0))
        // Blue 10x30 fits as 7x20 (rounded), centred horizontally in cell (1, 0).
        #expect(sheet[24 + 10, 12] == RGBColor(red: 0, green: 0, blue: 255))
        #expect(sheet[24 + 1, 12] == gray)
        // The fourth cell is empty.
        #expect(sheet[24 + 10, 24 + 10] == gray)
        #expect(RGBImage.contactSheet([], columns: 3, cellSize: ImageSize(width: 5, height: 5)).height == 5 + 2 * 4)
    }

    @Test func contactSheetFramesMarkCells() {
        let white = RGBImage(width: 10, height: 10, filledWith: .white)
        let green = RGBColor(red: 0, green: 200, blue: 0)
        let sheet = RGBImage.contactSheet(
            [white, white], columns: 2, cellSize: ImageSize(width: 10, height: 10), spacing: 1, background: .black,
            frames: [green, nil], frameWidth: 2)
        #expect(sheet[1, 1] == green && sheet[2, 2] == green && sheet[10, 5] == green)
        #expect(sheet[3, 3] == .white && sheet[5, 5] == .white)
        #expect(sheet[12, 1] == .white)  // the second cell has no frame
        #expect(sheet[0, 0] == .black)
    }
}

struct PerceptualHashTests {
    /// Distinct synthetic "covers": seeded random rectangles on a random background.
    static func syntheticCover(seed: UInt64) -> RGBImage {
        var generator = Xoshiro256StarStar(seed: seed)
        func color() -> RGBColor {
            RGBColor(
                red: UInt8(generator.nextInt(below: 256)), green: UInt8(generator.nextInt(below: 256)),
                blue: UInt8(generator.nextInt(below: 256)))
        }
        var image = RGBImage(width: 300, height: 300, filledWith: color())
        for _ in 0..<6 {
            let w = 30 + generator.nextInt(below: 150)
            let h = 30 + generator.nextInt(below: 150)
            let patch = RGBImage(width: w, height: h, filledWith: color())
            image.paste(patch, x: generator.nextInt(below: 300 - w), y: generator.nextInt(below: 300 - h))
        }
        return image
    }

    /// The same picture, resized and re-encoded as a low-quality JPEG, as another site would serve it.
    static func reencoded(_ image: RGBImage) throws -> RGBImage {
        let smaller = image.resized(to: ImageSize(width: 180, height: 180), filter: .bilinear)
        return try ImageDecoder().decode(smaller.encodeJPEG(quality: 50))
    }

    @Test func reencodedCopiesAreNearAndDifferentImagesAreFar() throws {
        var nearDistances: [Int] = []
        var farDistances: [Int] = []
        let covers = (1...12).map { Self.syntheticCover(seed: $0) }
        for (index, cover) in covers.enumerated() {
            let copy = try Self.reencoded(cover)
            nearDistances.append(PerceptualHash.dct(of: cover).distance(to: .dct(of: copy)))
            let other = covers[(index + 1) % covers.count]
            farDistances.append(PerceptualHash.dct(of: cover).distance(to: .dct(of: other)))
            // dHash compares neighbours, which flat synthetic areas leave to noise: looser bound.
            #expect(PerceptualHash.difference(of: cover).distance(to: .difference(of: copy)) <= 12)
        }
        #expect(nearDistances.max()! <= 4, "near \(nearDistances)")
        #expect(farDistances.min()! >= 12, "far \(farDistances)")
    }

    @Test("real covers: re-encoded copies hash within 6 bits", .enabled(if: Fixtures.hasCovers))
    func realCovers() throws {
        let urls = try coverURLs(limit: 20)
        let hashes = try urls.map { try ImageDecoder().decode(contentsOf: $0) }.map { ($0, PerceptualHash.dct(of: $0)) }
        var far: [Int] = []
        for (index, (image, hash)) in hashes.enumerated() {
            let distance = hash.distance(to: .dct(of: try Self.reencoded(image)))
            #expect(distance <= 6, "cover \(index): \(distance)")
            far.append(hash.distance(to: hashes[(index + 1) % hashes.count].1))
        }
        #expect(Double(far.reduce(0, +)) / Double(far.count) > 20, "unrelated covers: \(far)")
    }

    @Test func distanceAndDescription() {
        let a = PerceptualHash(value: 0b1011)
        #expect(a.distance(to: PerceptualHash(value: 0)) == 3)
        #expect(a.distance(to: a) == 0)
        #expect(a.description == "000000000000000b")
    }
}
