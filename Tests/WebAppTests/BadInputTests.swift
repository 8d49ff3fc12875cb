import Foundation
import Hummingbird
import HummingbirdTesting
import Imaging
import Testing

@testable import WebApp

/// Every class of bad input gets a 4xx with a JSON error and a stable code, never a 5xx.
@Suite struct BadInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var contentType: String?
        var body: Data
        var status: HTTPResponse.Status
        var code: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "empty body", contentType: "image/jpeg", body: Data(), status: .badRequest, code: "empty_body"),
        Case(
            name: "plain text", contentType: "text/plain", body: Data("hello, this is not a cover".utf8), status: .unsupportedMediaType,
            code: "not_an_image"),
        Case(
            name: "HTML declared as JPEG", contentType: "image/jpeg", body: Data("<!doctype html><html><body>404</body></html>".utf8),
            status: .unsupportedMediaType, code: "not_an_image"),
        Case(
            name: "JSON", contentType: "application/json", body: Data(#"{"image": "cover.jpg"}"#.utf8), status: .unsupportedMediaType,
            code: "not_an_image"),
        Case(name: "GIF", contentType: "image/gif", body: TestImages.gif, status: .unsupportedMediaType, code: "unsupported_format"),
        Case(
            name: "truncated JPEG", contentType: "image/jpeg", body: TestImages.truncatedJPEG(), status: .unprocessableContent,
            code: "truncated_image"),
        // Cut inside the headers: libjpeg reports a corrupt stream rather than a premature end.
        Case(
            name: "JPEG with only its first bytes", contentType: nil, body: Data(TestImages.jpeg().prefix(40)), status: .unprocessableContent,
            code: "undecodable"),
        Case(
            name: "30000x30000 PNG header", contentType: "image/png", body: TestImages.hugePNGHeader(), status: .contentTooLarge,
            code: "image_too_large"),
        Case(
            name: "30000x30000 JPEG header", contentType: "image/jpeg", body: TestImages.hugeJPEGHeader(), status: .contentTooLarge,
            code: "image_too_large"),
        Case(
            name: "7000x7000 PNG header (over the pixel limit)", contentType: "image/png", body: TestImages.hugePNGHeader(side: 7000),
            status: .contentTooLarge, code: "image_too_large"),
        Case(
            name: "multipart without boundary", contentType: "multipart/form-data", body: Data("--x\r\n\r\nhi\r\n--x--".utf8),
            status: .badRequest, code: "bad_multipart"),
        Case(
            name: "multipart without closing delimiter", contentType: "multipart/form-data; boundary=abc",
            body: Data("--abc\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.jpg\"\r\n\r\n".utf8) + TestImages.jpeg(),
            status: .badRequest, code: "bad_multipart"),
        Case(
            name: "multipart with an empty file", contentType: "multipart/form-data; boundary=abc",
            body: TestImages.multipart(file: Data(), boundary: "abc"), status: .badRequest, code: "empty_body"),
        Case(
            name: "multipart with a text file", contentType: "multipart/form-data; boundary=abc",
            body: TestImages.multipart(file: Data("just words".utf8), boundary: "abc"), status: .unsupportedMediaType, code: "not_an_image"),
        Case(
            name: "multipart/mixed", contentType: "multipart/mixed; boundary=abc",
            body: TestImages.multipart(file: TestImages.jpeg(), boundary: "abc"),
            status: .unsupportedMediaType, code: "unsupported_media_type"),
        Case(
            name: "body over the limit", contentType: "image/jpeg", body: TestImages.jpeg() + Data(count: 400_000),
            status: .contentTooLarge, code: "body_too_large"),
    ]

    @Test(arguments: cases)
    func refusedInProcess(_ bad: Case) async throws {
        try await TestApp.make(maximumBodyBytes: 300_000).test(.router) { client in
            var headers: HTTPFields = [:]
            if let type = bad.contentType { headers[.contentType] = type }
            let response = try await client.execute(uri: "/api/predict", method: .post, headers: headers, body: ByteBuffer(bytes: bad.body))
            try response.expectError(bad.status, code: bad.code)
        }
    }

    /// The same inputs over a real socket (streamed bodies, Content-Length), then a good request on
    /// the same server: refusals must leave it serving.
    @Test func refusedOverTheNetworkAndTheServerKeepsServing() async throws {
        try await TestApp.make(maximumBodyBytes: 300_000).test(.live) { client in
            for bad in Self.cases {
                var headers: HTTPFields = [:]
                if let type = bad.contentType { headers[.contentType] = type }
                let response = try await client.execute(uri: "/api/predict", method: .post, headers: headers, body: ByteBuffer(bytes: bad.body))
                try response.expectError(bad.status, code: bad.code)
            }
            let good = try await client.execute(uri: "/api/predict", method: .post, body: ByteBuffer(bytes: TestImages.jpeg()))
            #expect(try TestModel.genres.contains(good.prediction().genre))
        }
    }

    @Test func unknownRoutesAndMethodsAreJSONErrors() async throws {
        try await TestApp.make().test(.router) { client in
            try await client.execute(uri: "/nope", method: .get).expectError(.notFound, code: "http_404")
            let wrongMethod = try await client.execute(uri: "/api/predict", method: .get)
            #expect([.notFound, .methodNotAllowed].contains(wrongMethod.status))
            try wrongMethod.expectError(wrongMethod.status, code: "http_\(wrongMethod.status.code)")
        }
    }

    /// Negative control for the fixtures above: the rewritten PNG header must be well-formed, so the
    /// refusal comes from the size limit and not from a bad CRC.
    @Test func hugePNGHeaderIsWellFormed() throws {
        #expect(CRC32.checksum(Data("IEND".utf8)) == 0xAE42_6082)  // the CRC every PNG ends with
        let original = TestImages.png()
        #expect(TestImages.pngClaiming(width: 120, height: 100, from: original) == original)
        do {
            _ = try ImageDecoder().decode(TestImages.hugePNGHeader())
            Issue.record("a 30000x30000 header was decoded")
        } catch {
            guard case .limitExceeded = error else {
                Issue.record("expected limitExceeded, got \(error)")
                return
            }
        }
    }
}
