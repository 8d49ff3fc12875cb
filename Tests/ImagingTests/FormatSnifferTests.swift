import Foundation
import Testing

@testable import Imaging

struct FormatSnifferTests {
    @Test func sniffsByContentNotName() {
        func sniff(_ text: String) -> ImageFormat { ImageFormat(sniffing: Array(text.utf8)) }
        #expect(sniff("\u{FEFF}  \n<!doctype html><html>") == .html)
        #expect(sniff("<HTML><body>403 Forbidden</body></HTML>") == .html)
        #expect(sniff("<?xml version=\"1.0\"?><svg/>") == .xml)
        #expect(sniff("%PDF-1.7") == .pdf)
        #expect(sniff("Access denied") == .text)
        #expect(ImageFormat(sniffing: [UInt8]()) == .empty)
        #expect(ImageFormat(sniffing: [0xFF, 0xD8, 0xFF, 0xE0]) == .jpeg)
        #expect(ImageFormat(sniffing: [0xFF, 0xD8]) != .jpeg)  // too short to be a JPEG
        #expect(ImageFormat(sniffing: Array("\0\0\0\u{1C}ftypavif".utf8)) == .heif)
        #expect(ImageFormat(sniffing: [0x49, 0x49, 0x2A, 0x00, 8, 0, 0, 0]) == .tiff)
        #expect(ImageFormat(sniffing: [0x00, 0x01, 0x02, 0x03, 0x9F]) == .unknown)
        #expect(ImageFormat.png.isDecodable && !ImageFormat.gif.isDecodable && ImageFormat.gif.isImage)
    }

    @Test func errorsNameTheFileAndTheReason() {
        let error = ImagingError.unsupportedFormat(name: "covers/a.jpg", format: .gif)
        #expect(error.description == "covers/a.jpg: GIF images are not supported")
        #expect(ImagingError.notAnImage(name: "b.jpg", format: .html).description == "b.jpg: not an image (HTML)")
    }
}

struct ExifOrientationTests {
    /// A little- or big-endian TIFF block with one IFD0 entry.
    func tiff(bigEndian: Bool, tag: UInt16 = 0x0112, type: UInt16 = 3, value: UInt16, ifdOffset: UInt32 = 8) -> [UInt8] {
        func u16(_ v: UInt16) -> [UInt8] {
            bigEndian ? [UInt8(v >> 8), UInt8(v & 0xFF)] : [UInt8(v & 0xFF), UInt8(v >> 8)]
        }
        func u32(_ v: UInt32) -> [UInt8] {
            let bytes = [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
            return bigEndian ? bytes : bytes.reversed()
        }
        return (bigEndian ? [0x4D, 0x4D] : [0x49, 0x49]) + u16(42) + u32(ifdOffset) + u16(1)
            + u16(tag) + u16(type) + u32(1) + u16(value) + [0, 0] + u32(0)
    }

    func parse(_ bytes: [UInt8]) -> ExifOrientation? {
        bytes.withUnsafeBytes { ExifOrientation.fromTIFF($0) }
    }

    @Test func readsBothByteOrders() {
        #expect(parse(tiff(bigEndian: true, value: 6)) == .right)
        #expect(parse(tiff(bigEndian: false, value: 8)) == .left)
    }

    @Test func malformedBlocksGiveNil() {
        #expect(parse(tiff(bigEndian: false, value: 9)) == nil)  // out of range
        #expect(parse(tiff(bigEndian: false, type: 4, value: 6)) == nil)  // wrong type
        #expect(parse(tiff(bigEndian: false, value: 6, ifdOffset: 4000)) == nil)  // IFD beyond the end
        #expect(parse(Array(tiff(bigEndian: false, value: 6).prefix(12))) == nil)  // entry cut off
        #expect(parse(tiff(bigEndian: false, tag: 0x0110, value: 6)) == nil)  // no orientation tag
        #expect(parse([0x49, 0x49, 0x2A]) == nil)
    }

    @Test func orientationsComposeBackToTheOriginal() {
        let image = patternImage(width: 5, height: 3)
        // Rotating clockwise four times, or mirroring twice, is the identity.
        var turned = image
        for _ in 0..<4 { turned = turned.applying(.right) }
        #expect(turned == image)
        #expect(image.applying(.right).applying(.left) == image)
        #expect(image.applying(.upMirrored) == image.horizontallyFlipped())
        #expect(image.applying(.leftMirrored).applying(.leftMirrored) == image)
        #expect(image.applying(.down).applying(.down) == image)
        #expect(image.applying(.right)[0, 0] == image[0, 2])  // bottom-left goes to top-left
    }
}
