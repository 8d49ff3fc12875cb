import Foundation
import Testing
@testable import WebApp

/// The multipart reader on hand-written bodies (RFC 2046 §5.1.1 examples and edge cases).
@Suite struct MultipartTests {
    @Test func readsPartsWithPreambleAndEpilogue() throws {
        let body = Data("preamble to ignore\r\n--b1\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nfirst\r\n--b1\r\n\r\nsecond, no headers\r\n--b1--\r\nepilogue".utf8)
        let parts = try #require(MultipartForm.parts(of: body, boundary: "b1"))
        #expect(parts.map { String(decoding: $0.content, as: UTF8.self) } == ["first", "second, no headers"])
        #expect(parts[0].fileName == nil)
    }

    /// `--boundary` inside the file content, not at a line start, must not split the part.
    @Test func boundaryTextInsideContentDoesNotSplit() throws {
        let content = Data("binary--b1 still binary\r\n-b1 and \n--b1 too".utf8)
        let body = Data("--b1\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.bin\"\r\n\r\n".utf8) + content + Data("\r\n--b1--\r\n".utf8)
        let parts = try #require(MultipartForm.parts(of: body, boundary: "b1"))
        #expect(parts.count == 1)
        #expect(parts[0].content == content)
        #expect(parts[0].fileName == "x.bin")
    }

    @Test func fileFieldIsPreferredOverTextFields() throws {
        let image = Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3])
        let bytes = try UploadExtraction.imageBytes(
            body: TestImages.multipart(file: image, boundary: "zz"), contentType: "multipart/form-data; boundary=zz")
        #expect(bytes == image)
    }

    @Test func malformedBodiesAreNil() {
        #expect(MultipartForm.parts(of: Data("no delimiter at all".utf8), boundary: "b1") == nil)
        #expect(MultipartForm.parts(of: Data("--b1\r\nContent-Type: x\r\n\r\nunterminated".utf8), boundary: "b1") == nil)
        #expect(MultipartForm.parts(of: Data("--b1\r\nheaders without end\r\n--b1--".utf8), boundary: "b1") == nil)
    }

    @Test func boundaryParameter() {
        #expect(UploadExtraction.boundary(of: "multipart/form-data; boundary=abc") == "abc")
        #expect(UploadExtraction.boundary(of: "multipart/form-data; charset=utf-8; BOUNDARY=\"a b\"") == "a b")
        #expect(UploadExtraction.boundary(of: "multipart/form-data") == nil)
        #expect(UploadExtraction.boundary(of: "multipart/form-data; boundary=" + String(repeating: "x", count: 71)) == nil)
    }
}

@Suite struct BatcherTests {
    @Test func batchesArePowersOfTwoWithinTheMaximum() {
        let sizes = (1...20).map { PredictionBatcher.batchSize(waiting: $0, maximum: 16) }
        #expect(sizes == [1, 2, 2, 4, 4, 4, 4, 8, 8, 8, 8, 8, 8, 8, 8, 16, 16, 16, 16, 16])
        #expect(PredictionBatcher.batchSize(waiting: 9, maximum: 6) == 4)
        #expect(PredictionBatcher.batchSize(waiting: 0, maximum: 16) == 1)
    }
}
