import Foundation
import Testing

@testable import WebApp

/// The multipart reader on hand-written bodies (RFC 2046 §5.1.1 examples and edge cases).
@Suite struct MultipartTests {
    @Test func readsPartsWithPreambleAndEpilogue() throws {
        let body = Data(
            "preamble to ignore\r\n--b1\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nfirst\r\n--b1\r\n\r\nsecond, no headers\r\n--b1--\r\nepilogue"
                .utf8)
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

    /// CPU seconds of this process so far (user + system).
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// Issue 20: 9.9 MB of ~825,000 empty parts took over two minutes of CPU (quadratic scan); now
    /// the reader gives up after `maximumParts` parts, and a 9.9 MB file part is read in one pass.
    @Test("hostile multipart bodies cost little: 825,000 empty parts are refused, a 9.9 MB file is one pass")
    func hostileBodiesAreCheap() throws {
        let empties = Data(String(repeating: "--b\r\n\r\n\r\n", count: 825_000).utf8)
        var started = Self.processCPUSeconds()
        #expect(MultipartForm.firstFilePart(of: empties, boundary: "b") == .tooManyParts)
        #expect(throws: APIError.self) { try UploadExtraction.imageBytes(body: empties, contentType: "multipart/form-data; boundary=b") }
        #expect(Self.processCPUSeconds() - started < 2, "empty parts: \(Self.processCPUSeconds() - started) s CPU")

        // A file of 9.9 MB of CRs and dashes (near-misses of the delimiter at every byte).
        let file = Data((0..<9_900_000).map { $0 % 3 == 0 ? 0x0D : 0x2D } as [UInt8])
        let body = TestImages.multipart(file: file, boundary: "b")
        started = Self.processCPUSeconds()
        let bytes = try UploadExtraction.imageBytes(body: body, contentType: "multipart/form-data; boundary=b")
        #expect(bytes == file)
        #expect(Self.processCPUSeconds() - started < 2, "9.9 MB part: \(Self.processCPUSeconds() - started) s CPU")
    }

    @Test("a part's headers are capped; a form without a file part falls back to its first part")
    func headerCapAndFallback() throws {
        let longHeader = "--b\r\nX-Padding: " + String(repeating: "x", count: 10_000) + "\r\n\r\ndata\r\n--b--\r\n"
        #expect(MultipartForm.firstFilePart(of: Data(longHeader.utf8), boundary: "b") == .headersTooLong)
        let textOnly = Data("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nfirst\r\n--b--\r\n".utf8)
        guard case .found(let part) = MultipartForm.firstFilePart(of: textOnly, boundary: "b") else {
            Issue.record("no part found")
            return
        }
        #expect(part.content == Data("first".utf8))
        #expect(MultipartForm.firstFilePart(of: Data("--b--\r\n".utf8), boundary: "b") == .noParts)
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
