import Foundation
import Imaging

/// Finds the image bytes in a request body: the body itself, or the first file part of a
/// `multipart/form-data` form. The image format is decided later by sniffing the bytes, never by
/// the declared type or file name; declared types that cannot carry an image are refused early.
enum UploadExtraction {
    static func imageBytes(body: Data, contentType: String?) throws -> Data {
        guard !body.isEmpty else { throw APIError(.badRequest, code: "empty_body", "the request body is empty: send the image bytes or a multipart form with a file") }
        let type = (contentType ?? "").lowercased()
        if type.hasPrefix("multipart/form-data") {
            guard let boundary = boundary(of: contentType ?? "") else {
                throw APIError(.badRequest, code: "bad_multipart", "multipart/form-data without a boundary")
            }
            guard let part = firstFilePart(body, boundary: boundary) else {
                throw APIError(.badRequest, code: "bad_multipart", "the form has no file part")
            }
            return part
        }
        if type.hasPrefix("text/") || type.hasPrefix("application/json") || type.hasPrefix("application/x-www-form-urlencoded") {
            let format = ImageFormat(sniffing: body.prefix(64))
            guard format.isDecodable else {
                throw APIError(.unsupportedMediaType, code: "unsupported_media_type", "\(contentType ?? "") is not an image: send image/jpeg or image/png bytes")
            }
        }
        return body
    }

    static func boundary(of contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" { return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        return nil
    }

    /// The body of the first part whose headers carry a `filename` (or, failing that, the first part).
    static func firstFilePart(_ body: Data, boundary: String) -> Data? {
        let delimiter = Data(("--" + boundary).utf8)
        let headerEnd = Data("\r\n\r\n".utf8)
        var parts: [(headers: String, content: Data)] = []
        var searchStart = body.startIndex
        guard var current = body.range(of: delimiter, in: searchStart..<body.endIndex) else { return nil }
        while true {
            searchStart = current.upperBound
            guard let next = body.range(of: delimiter, in: searchStart..<body.endIndex) else { break }
            let section = body[current.upperBound..<next.lowerBound]
            if let split = section.range(of: headerEnd) {
                let headers = String(decoding: section[section.startIndex..<split.lowerBound], as: UTF8.self)
                var content = section[split.upperBound..<section.endIndex]
                if content.suffix(2) == Data("\r\n".utf8) { content = content.dropLast(2) }
                parts.append((headers, Data(content)))
            }
            current = next
        }
        return (parts.first { $0.headers.lowercased().contains("filename=") } ?? parts.first)?.content
    }
}
