import Foundation
import Imaging

/// Finds the image bytes in a request body: the body itself, or the first file part of a
/// `multipart/form-data` form.
///
/// The bytes decide, not the declared type: a body that starts like a JPEG or PNG is the image
/// whatever `Content-Type` says (browsers and scripts often send `application/octet-stream` or a
/// wrong type). Only a body that is not itself an image is parsed as multipart when declared so;
/// everything else goes to the decoder, whose sniffing refuses text, HTML and other formats.
enum UploadExtraction {
    static func imageBytes(body: Data, contentType: String?) throws(APIError) -> Data {
        guard !body.isEmpty else {
            throw APIError(.badRequest, code: "empty_body", "the request body is empty: send the image bytes or a multipart form with a file")
        }
        let declared = (contentType ?? "").lowercased()
        guard declared.hasPrefix("multipart/"), !ImageFormat(sniffing: body.prefix(64)).isDecodable else { return body }
        guard declared.hasPrefix("multipart/form-data") else {
            throw APIError(.unsupportedMediaType, code: "unsupported_media_type", "\(declared) is not accepted: send image bytes or multipart/form-data")
        }
        guard let boundary = boundary(of: contentType ?? "") else {
            throw APIError(.badRequest, code: "bad_multipart", "multipart/form-data without a boundary parameter")
        }
        guard let parts = MultipartForm.parts(of: body, boundary: boundary) else {
            throw APIError(.badRequest, code: "bad_multipart", "the multipart form is malformed (no closing boundary)")
        }
        guard let part = parts.first(where: { $0.fileName != nil }) ?? parts.first else {
            throw APIError(.badRequest, code: "bad_multipart", "the multipart form has no file part")
        }
        guard !part.content.isEmpty else {
            throw APIError(.badRequest, code: "empty_body", "the uploaded file is empty")
        }
        return part.content
    }

    /// The `boundary` parameter of a multipart content type (quotes removed), if valid (RFC 2046:
    /// 1 to 70 characters).
    static func boundary(of contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return (1...70).contains(value.utf8.count) ? value : nil
        }
        return nil
    }
}

/// A minimal `multipart/form-data` reader (RFC 7578 / RFC 2046), enough for file uploads.
enum MultipartForm {
    struct Part: Equatable {
        var headers: String
        var content: Data
        /// The `filename` of the part's `Content-Disposition`, if any.
        var fileName: String? {
            // `isNewline`: a CRLF is one Character in Swift, equal to neither "\r" nor "\n".
            for line in headers.split(whereSeparator: \.isNewline)
            where line.lowercased().hasPrefix("content-disposition:") {
                guard let range = line.range(of: "filename=", options: .caseInsensitive) else { return nil }
                return String(line[range.upperBound...]).trimmingCharacters(in: CharacterSet(charactersIn: "\" ;"))
            }
            return nil
        }
    }

    /// The parts between the delimiters, or `nil` when there is no opening or no closing delimiter.
    ///
    /// A delimiter is `CRLF--boundary` (the first may start the body without the CRLF); matching the
    /// CRLF too means `--boundary` inside file content does not split it. The body ends at
    /// `CRLF--boundary--`.
    static func parts(of body: Data, boundary: String) -> [Part]? {
        // Prefixing CRLF lets the first delimiter be found like the others.
        let text = Data("\r\n".utf8) + body
        let delimiter = Data(("\r\n--" + boundary).utf8)
        let headerEnd = Data("\r\n\r\n".utf8)
        guard var current = text.range(of: delimiter) else { return nil }
        var parts: [Part] = []
        while true {
            let afterDelimiter = text[current.upperBound...]
            if afterDelimiter.starts(with: Data("--".utf8)) { return parts }  // closing delimiter
            guard let next = text.range(of: delimiter, in: current.upperBound..<text.endIndex) else { return nil }
            // Skip the rest of the delimiter line (transport padding and its CRLF).
            let section = text[current.upperBound..<next.lowerBound]
            guard let lineEnd = section.range(of: Data("\r\n".utf8)) else { return nil }
            let partText = section[lineEnd.lowerBound...]
            if let split = partText.range(of: headerEnd) {
                let headers = String(decoding: partText[partText.startIndex..<split.lowerBound], as: UTF8.self)
                parts.append(Part(headers: headers, content: Data(partText[split.upperBound...])))
            } else {
                return nil
            }
            current = next
        }
    }
}
