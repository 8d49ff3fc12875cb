import Foundation
import Testing

@testable import Imaging

struct ImageDecoderTests {
    struct OddFile: Decodable, Sendable {
        var width: Int?
        var height: Int?
        var rgbHex: String?
        var error: String?
        enum CodingKeys: String, CodingKey {
            case width, height, error
            case rgbHex = "rgb_hex"
        }
    }
    struct OddFiles: Decodable { var files: [String: OddFile] }

    static let oddFiles: [String: OddFile] =
        try! Fixtures.jsonDecoder.decode(OddFiles.self, from: Fixtures.data("odd_expected.json")).files

    @Test("synthetic odd files decode like Pillow or fail with the expected error", arguments: oddFiles.keys.sorted())
    func oddFile(_ name: String) throws {
        let expected = Self.oddFiles[name]!
        let data = try Fixtures.data("odd/\(name)")
        let decoder = ImageDecoder()
        if let errorKind = expected.error {
            do {
                _ = try decoder.decode(data, name: name)
                Issue.record("\(name) decoded but should fail with \(errorKind)")
            } catch {
                #expect(error.kind == errorKind, "\(name): \(error)")
                #expect(error.description.hasPrefix(name))
            }
            return
        }
        let image = try decoder.decode(data, name: name)
        #expect(image.width == expected.width && image.height == expected.height)
        guard image.width == expected.width, image.height == expected.height else { return }
        let (maximum, mean) = differences(image.pixels, hexBytes(expected.rgbHex!))
        #expect(maximum <= 1, "\(name): max abs difference \(maximum), mean \(mean)")
    }

    @Test func decompressionBombIsRefusedBeforeAllocating() throws {
        // A valid PNG header claiming 30000x30000 pixels with almost no data.
        let data = try Fixtures.data("odd/rgb.png")
        var bytes = [UInt8](data)
        bytes.replaceSubrange(16..<24, with: [0, 0, 0x75, 0x30, 0, 0, 0x75, 0x30])
        fixCRC(&bytes, chunkAt: 8)
        #expect(throws: ImagingError.self) { try ImageDecoder().decode(Data(bytes), name: "bomb.png") }
        do {
            _ = try ImageDecoder().decode(Data(bytes), name: "bomb.png")
        } catch {
            #expect(error.kind == "limitExceeded", "\(error)")
        }
        let tight = ImageDecoder(limits: DecodeLimits(maximumBytes: 100))
        #expect(throws: ImagingError.self) { try tight.decode(Fixtures.data("odd/baseline.jpg"), name: "big.jpg") }
        let fewPixels = ImageDecoder(limits: DecodeLimits(maximumPixels: 100))
        #expect(throws: ImagingError.self) { try fewPixels.decode(Fixtures.data("odd/baseline.jpg"), name: "a.jpg") }
    }

    /// Issue 20: a 138-byte 20000x1 PNG cost 176 MB to resize. Extreme strips are refused from the
    /// header; an ordinary wide image (3:1) still decodes.
    @Test func extremeAspectRatiosAreRefused() throws {
        for (width, height) in [(20_000, 1), (1, 5_000), (2_100, 100)] {
            let png = try RGBImage(width: width, height: height, filledWith: RGBColor(red: 9, green: 9, blue: 9)).encodePNG()
            do {
                _ = try ImageDecoder().decode(png, name: "strip.png")
                Issue.record("decoded a \(width)x\(height) strip")
            } catch {
                #expect(error.kind == "limitExceeded" && error.description.contains("longer than wide"), "\(error)")
            }
        }
        let wide = try RGBImage(width: 300, height: 100, filledWith: RGBColor(red: 9, green: 9, blue: 9)).encodePNG()
        #expect(try ImageDecoder().decode(wide).width == 300)
    }

    /// The decoded-bytes budget is checked from the header, for PNG and JPEG alike.
    @Test func decodedBytesBudgetIsCheckedBeforeAllocating() throws {
        let png = try RGBImage(width: 1_000, height: 1_000, filledWith: RGBColor(red: 1, green: 2, blue: 3)).encodePNG()
        let tight = ImageDecoder(limits: DecodeLimits(maximumDecodedBytes: 2_999_999))
        do {
            _ = try tight.decode(png, name: "big.png")
            Issue.record("decoded 3,000,000 bytes of samples under a 2,999,999-byte budget")
        } catch {
            #expect(error.kind == "limitExceeded" && error.description.contains("3000000 bytes"), "\(error)")
        }
        #expect(try ImageDecoder(limits: DecodeLimits(maximumDecodedBytes: 3_000_000)).decode(png).width == 1_000)
        // baseline.jpg is 20 pixels wide: any JPEG over a 10-byte budget is refused.
        #expect(throws: ImagingError.self) {
            try ImageDecoder(limits: DecodeLimits(maximumDecodedBytes: 10)).decode(Fixtures.data("odd/baseline.jpg"))
        }
    }

    /// Issue 20: a 22 KB progressive JPEG of 2,000 scans took 2.6 s of CPU. Past 500 scans a file is
    /// refused (the fixture's own 10 scans decode).
    @Test func progressiveJPEGWithThousandsOfScansIsRefused() throws {
        let data = [UInt8](try Fixtures.data("odd/progressive.jpg"))
        #expect(try ImageDecoder().decode(Data(data)).width > 0)
        // Repeat the last scan (its SOS marker up to EOI) 600 times.
        let lastScan = try #require((0..<(data.count - 1)).last { data[$0] == 0xFF && data[$0 + 1] == 0xDA })
        let end = try #require((0..<(data.count - 1)).last { data[$0] == 0xFF && data[$0 + 1] == 0xD9 })
        var hostile = Array(data[..<end])
        for _ in 0..<600 { hostile += data[lastScan..<end] }
        hostile += [0xFF, 0xD9]
        let started = ContinuousClock.now
        #expect(throws: ImagingError.self) { try ImageDecoder().decode(Data(hostile), name: "scans.jpg") }
        #expect(ContinuousClock.now - started < .seconds(2))
    }

    @Test func placeholdersCanBeRefused() throws {
        let strict = ImageDecoder(limits: DecodeLimits(minimumSide: 8))
        for name in ["placeholder-1x1.jpg", "placeholder-1x1.png"] {
            let data = try Fixtures.data("odd/\(name)")
            do {
                _ = try strict.decode(data, name: name)
                Issue.record("\(name) accepted")
            } catch {
                #expect(error.kind == "tooSmall", "\(error)")
            }
        }
        #expect(try strict.decode(Fixtures.data("odd/baseline.jpg")).width == 20)
    }

    @Test func jpegClaimingHugeDimensionsIsRefused() throws {
        var bytes = [UInt8](try Fixtures.data("odd/baseline.jpg"))
        // SOF0 marker FF C0: length (2), precision (1), height (2), width (2).
        let sof = try #require((0..<(bytes.count - 1)).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 })
        bytes.replaceSubrange((sof + 5)..<(sof + 9), with: [0xEA, 0x60, 0xEA, 0x60])  // 60000x60000
        do {
            _ = try ImageDecoder().decode(Data(bytes), name: "huge.jpg")
            Issue.record("decoded a 60000x60000 JPEG")
        } catch {
            #expect(error.kind == "limitExceeded", "\(error)")
        }
    }

    @Test func oversizedFilesAreRefusedBeforeReading() {
        let decoder = ImageDecoder(limits: DecodeLimits(maximumBytes: 500))
        do {
            _ = try decoder.decode(contentsOf: Fixtures.url("odd/baseline.jpg"))  // 758 bytes
            Issue.record("read a file over the byte limit")
        } catch {
            #expect(error.kind == "limitExceeded", "\(error)")
            #expect(error.description.contains("758 bytes"))
        }
    }

    @Test func missingFileIsAReadError() {
        let url = URL(fileURLWithPath: "/nonexistent/cover.jpg")
        do {
            _ = try ImageDecoder().decode(contentsOf: url)
            Issue.record("decoded a missing file")
        } catch {
            #expect(error.kind == "readFailed")
            #expect(error.description.contains("/nonexistent/cover.jpg"))
        }
    }

    @Test func exifOrientationCanBeIgnored() throws {
        let data = try Fixtures.data("odd/exif-orientation-6.jpg")
        let raw = try ImageDecoder(appliesExifOrientation: false).decode(data)
        let upright = try ImageDecoder().decode(data)
        #expect(raw.width == 20 && raw.height == 12)
        #expect(upright.width == 12 && upright.height == 20)
    }

    @Test(.enabled(if: Fixtures.hasCovers)) func dctScalingPicksTheStrongestReductionAboveTheMinimum() throws {
        let url = try #require(try coverURLs(limit: 1).first)
        let decoder = ImageDecoder()
        let full = try decoder.decode(contentsOf: url)
        let half = try decoder.decode(contentsOf: url, minimumSize: ImageSize(width: 150, height: 150))
        let notHalvable = try decoder.decode(contentsOf: url, minimumSize: ImageSize(width: 224, height: 100))
        let quarter = try decoder.decode(contentsOf: url, minimumSize: ImageSize(width: 60, height: 75))
        let eighth = try decoder.decode(contentsOf: url, minimumSize: ImageSize(width: 1, height: 1))
        #expect(full.width == 300)
        #expect(half.width == 150 && half.height == 150)
        #expect(notHalvable == full)  // 7/8 would fit but is slower than a full decode
        #expect(quarter.width == 75 && quarter.height == 75)
        #expect(eighth.width == 38)
        // The halved decode is close to an area-resampled full decode.
        let (_, mean) = differences(
            half.pixels, full.resized(to: ImageSize(width: 150, height: 150), filter: .box).pixels)
        #expect(mean < 3, "mean abs difference \(mean)")
        let tooBig = try decoder.decode(contentsOf: url, minimumSize: ImageSize(width: 400, height: 400))
        #expect(tooBig.width == 300)
    }
}

/// A few real cover files, empty when the shared dataset is absent.
func coverURLs(limit: Int) throws -> [URL] {
    guard Fixtures.hasCovers else { return [] }
    let manifest = try String(
        contentsOf: Fixtures.coversDirectory.appendingPathComponent("manifest.csv"), encoding: .utf8)
    return manifest.split(whereSeparator: \.isNewline).dropFirst().prefix(limit).map {
        Fixtures.coversDirectory.appendingPathComponent(String($0.split(separator: ",")[0]))
    }
}

/// Recomputes the CRC of the PNG chunk starting at `offset` (length, type, data, CRC).
func fixCRC(_ bytes: inout [UInt8], chunkAt offset: Int) {
    let length =
        Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes[(offset + 4)..<(offset + 8 + length)] {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    crc ^= 0xFFFF_FFFF
    let at = offset + 8 + length
    bytes[at] = UInt8(crc >> 24)
    bytes[at + 1] = UInt8((crc >> 16) & 0xFF)
    bytes[at + 2] = UInt8((crc >> 8) & 0xFF)
    bytes[at + 3] = UInt8(crc & 0xFF)
}

extension ImagingError {
    /// The case name, compared with the error kinds of `odd_expected.json`.
    var kind: String {
        switch self {
        case .emptyFile: "emptyFile"
        case .unsupportedFormat: "unsupportedFormat"
        case .notAnImage: "notAnImage"
        case .limitExceeded: "limitExceeded"
        case .tooSmall: "tooSmall"
        case .truncated: "truncated"
        case .corrupt: "corrupt"
        case .readFailed: "readFailed"
        case .encodingFailed: "encodingFailed"
        }
    }
}
