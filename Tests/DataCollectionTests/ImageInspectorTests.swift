import Testing

@testable import DataCollection
@testable import FakeServices

struct ImageInspectorTests {
    @Test func readsJPEGDimensionsFromTheFrameHeader() throws {
        let bytes = FakeImages.jpeg(width: 300, height: 200, red: 10, green: 200, blue: 30, label: "x")
        #expect(try ImageInspector.inspect(bytes) == ImageInfo(format: .jpeg, width: 300, height: 200))
    }

    @Test func readsPNGDimensionsFromIHDR() throws {
        let bytes = FakeImages.png(width: 500, height: 250, red: 1, green: 2, blue: 3, label: "x")
        #expect(try ImageInspector.inspect(bytes) == ImageInfo(format: .png, width: 500, height: 250))
    }

    @Test func handWrittenHeadersMatchTheSpecification() throws {
        // PNG signature + IHDR chunk for 640×480.
        let png: [UInt8] = [
            0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
            0, 0, 0x02, 0x80, 0, 0, 0x01, 0xE0, 8, 2, 0, 0, 0,
        ]
        #expect(try ImageInspector.inspect(png) == ImageInfo(format: .png, width: 640, height: 480))
        // SOI, an APP0 segment, then SOF2 (progressive) for 64×48.
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC2, 0x00, 0x11, 0x08, 0x00, 0x30, 0x00, 0x40, 0x03]
        #expect(try ImageInspector.inspect(jpeg) == ImageInfo(format: .jpeg, width: 64, height: 48))
    }

    @Test func rejectsWhatIsNotAnImage() {
        #expect(throws: ImageInspector.Failure.notAnImage) { try ImageInspector.inspect(Array("<html>".utf8)) }
        #expect(throws: ImageInspector.Failure.truncated) { try ImageInspector.inspect([0xFF, 0xD8, 0xFF, 0xE0, 0x00]) }
        #expect(throws: ImageInspector.Failure.truncated) { try ImageInspector.inspect([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) }
    }

    @Test func hashesWithSHA256() {
        #expect(ImageInspector.sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
