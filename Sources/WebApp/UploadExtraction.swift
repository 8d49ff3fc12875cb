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
            throw APIError(
                .unsupportedMediaType, code: "unsupported_media_type", "\(declared) is not accepted: send image bytes or multipart/form-data")
        }
        guard let boundary = boundary(of: contentType ?? "") else {
            throw APIError(.badRequest, code: "bad_multipart", "multipart/form-data without a boundary parameter")
        }
        let part: MultipartForm.Part
        switch MultipartForm.firstFilePart(of: body, boundary: boundary) {
        case .found(let found): part = found
        case .malformed(let reason): throw APIError(.badRequest, code: "bad_multipart", "the multipart form is malformed (\(reason))")
        case .tooManyParts:
            throw APIError(
                .badRequest, code: "bad_multipart",
                "the multipart form has more than \(MultipartForm.maximumParts) parts before a file part")
        case .headersTooLong:
            throw APIError(
                .badRequest, code: "bad_multipart",
                "a part's headers are longer than \(MultipartForm.maximumHeaderBytes) bytes")
        case .noParts: throw APIError(.badRequest, code: "bad_multipart", "the multipart form has no file part")
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
///
/// One pass over the body, each byte looked at a bounded number of times (the delimiter search compares
/// at most `boundary + 4` bytes at a position), so a hostile body costs time linear in its size; and
/// at most `maximumParts` parts and `maximumHeaderBytes` of headers per part are read, so a body of
/// hundreds of thousands of empty parts is refused after the first few dozen.
enum MultipartForm {
    /// Parts read before giving up on finding a file (a browser's form has one to a few).
    static let maximumParts = 64
    /// Header bytes of one part (a Content-Disposition with a long file name fits many times over).
    static let maximumHeaderBytes = 8192

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

    /// How a scan of the form ended.
    enum Outcome: Equatable {
        /// The first part with a file name, or, when no part has one, the first part.
        case found(Part)
        case malformed(String)
        case tooManyParts
        case headersTooLong
        /// A well-formed form without any part.
        case noParts
    }

    /// The part an upload means: the first with a file name (the scan stops there), else the first.
    static func firstFilePart(of body: Data, boundary: String) -> Outcome {
        var first: Part?
        var chosen: Part?
        let end = scan(body, boundary: boundary) { part in
            if first == nil { first = part }
            if part.fileName != nil {
                chosen = part
                return false
            }
            return true
        }
        if let chosen { return .found(chosen) }
        switch end {
        case .closed, .stopped: return first.map { .found($0) } ?? .noParts
        case .malformed(let reason): return .malformed(reason)
        case .tooManyParts: return .tooManyParts
        case .headersTooLong: return .headersTooLong
        }
    }

    /// Every part between the delimiters, or `nil` when the form is malformed (no opening or closing
    /// delimiter, a part without a header end) or over the limits.
    static func parts(of body: Data, boundary: String) -> [Part]? {
        var parts: [Part] = []
        guard
            case .closed = scan(
                body, boundary: boundary,
                visit: {
                    parts.append($0)
                    return true
                })
        else { return nil }
        return parts
    }

    enum ScanEnd: Equatable {
        case closed, stopped, malformed(String), tooManyParts, headersTooLong
    }

    /// Calls `visit` with each part in order until it returns false.
    ///
    /// A delimiter is `CRLF--boundary` (the first may start the body without the CRLF); matching the
    /// CRLF too means `--boundary` inside file content does not split it. The body ends at
    /// `CRLF--boundary--`. Text after a delimiter up to its line end (transport padding) is skipped.
    static func scan(_ body: Data, boundary: String, visit: (Part) -> Bool) -> ScanEnd {
        // Prefixing CRLF lets the first delimiter be found like the others.
        let bytes = [UInt8]("\r\n".utf8) + [UInt8](body)
        let delimiter = [UInt8](("\r\n--" + boundary).utf8)
        return bytes.withUnsafeBufferPointer { text -> ScanEnd in
            guard var current = find(delimiter, in: text, from: 0, to: text.count) else { return .malformed("no opening boundary") }
            var count = 0
            while true {
                let afterDelimiter = current + delimiter.count
                if afterDelimiter + 2 <= text.count, text[afterDelimiter] == 0x2D, text[afterDelimiter + 1] == 0x2D { return .closed }
                guard let next = find(delimiter, in: text, from: afterDelimiter, to: text.count) else {
                    return .malformed("no closing boundary")
                }
                guard let lineEnd = find(crlf, in: text, from: afterDelimiter, to: next) else {
                    return .malformed("a boundary line without its line end")
                }
                // Headers run from the delimiter line's CRLF to the blank line (CRLF CRLF); none at all
                // is the blank line right away.
                let headerLimit = min(next, lineEnd + maximumHeaderBytes + 4)
                guard let headerEnd = find(blankLine, in: text, from: lineEnd, to: headerLimit) else {
                    return headerLimit < next ? .headersTooLong : .malformed("a part without the blank line after its headers")
                }
                count += 1
                guard count <= maximumParts else { return .tooManyParts }
                let headers = String(decoding: UnsafeBufferPointer(rebasing: text[lineEnd..<headerEnd]), as: UTF8.self)
                let content = Data(UnsafeBufferPointer(rebasing: text[(headerEnd + blankLine.count)..<next]))
                guard visit(Part(headers: headers, content: content)) else { return .stopped }
                current = next
            }
        }
    }

    private static let crlf: [UInt8] = [0x0D, 0x0A]
    private static let blankLine: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A]

    /// The first index in `start ..< end` where `needle` begins and ends before `end`.
    static func find(_ needle: [UInt8], in text: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int? {
        guard let first = needle.first, end - start >= needle.count else { return nil }
        var position = start
        let last = end - needle.count
        while position <= last {
            // memchr for the first byte, then compare the rest (at most needle.count bytes).
            guard let hit = memchr(text.baseAddress! + position, Int32(first), last - position + 1) else { return nil }
            let index = text.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if memcmp(text.baseAddress! + index, needle, needle.count) == 0 { return index }
            position = index + 1
        }
        return nil
    }
}
