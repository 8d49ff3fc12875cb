import Foundation

/// Where a report image comes from: an already-encoded file on disk, or encoded bytes in memory.
///
/// The Reports module never decodes or resizes images; it copies PNG/JPEG/GIF/WebP bytes into the
/// report folder (or inlines them as data URIs), so covers look exactly as the model saw them.
public enum ImageSource: Sendable, Hashable, Codable {
    /// A file path; relative paths resolve against `ReportWriter.imageBaseDirectory`.
    case file(String)
    /// Encoded image bytes; `name` is a hint for the asset file name.
    case data(Data, name: String)

    /// A short human-readable name (file name, or the data's name hint).
    public var displayName: String {
        switch self {
        case .file(let path): (path as NSString).lastPathComponent
        case .data(_, let name): name
        }
    }
}

/// Image formats a browser shows without plugins, recognised by their leading bytes.
public enum ImageFormat: String, Sendable, CaseIterable {
    case png, jpeg, gif, webp

    /// The MIME type for data URIs.
    public var mediaType: String { "image/\(rawValue)" }

    /// The file extension used for assets.
    public var fileExtension: String { self == .jpeg ? "jpg" : rawValue }

    /// Recognises a format from magic bytes: PNG `89 50 4E 47 0D 0A 1A 0A`, JPEG `FF D8 FF`,
    /// GIF `GIF8`, WebP `RIFF….WEBP`; `nil` otherwise.
    public init?(sniffing data: Data) {
        let bytes = [UInt8](data.prefix(12))
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = .png
        } else if bytes.starts(with: [0xFF, 0xD8, 0xFF]) {
            self = .jpeg
        } else if bytes.starts(with: Array("GIF8".utf8)) {
            self = .gif
        } else if bytes.count >= 12 && bytes.starts(with: Array("RIFF".utf8)) && Array(bytes[8..<12]) == Array("WEBP".utf8) {
            self = .webp
        } else {
            return nil
        }
    }
}
