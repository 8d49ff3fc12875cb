/// What a file's leading bytes say it is. Decoding dispatches on this, never on the file name:
/// covers saved as `.jpg` are sometimes PNGs, GIFs or the HTML of an error page.
public enum ImageFormat: Sendable, Equatable {
    case jpeg, png
    case gif, webp, bmp, tiff, heif, ico
    case html, xml, pdf, text
    case empty, unknown

    /// Sniffs the format from the first bytes (at most 512 are looked at).
    public init<Bytes: Collection<UInt8>>(sniffing bytes: Bytes) {
        let head = Array(bytes.prefix(512))
        self = ImageFormat.sniff(head)
    }

    /// Whether this module decodes the format.
    public var isDecodable: Bool { self == .jpeg || self == .png }

    /// Whether the format is an image format at all (decodable or not).
    public var isImage: Bool {
        switch self {
        case .jpeg, .png, .gif, .webp, .bmp, .tiff, .heif, .ico: true
        default: false
        }
    }

    public var displayName: String {
        switch self {
        case .jpeg: "JPEG"
        case .png: "PNG"
        case .gif: "GIF"
        case .webp: "WebP"
        case .bmp: "BMP"
        case .tiff: "TIFF"
        case .heif: "HEIF/AVIF"
        case .ico: "ICO"
        case .html: "HTML"
        case .xml: "XML/SVG"
        case .pdf: "PDF"
        case .text: "text"
        case .empty: "empty"
        case .unknown: "unknown bytes"
        }
    }

    private static func sniff(_ b: [UInt8]) -> ImageFormat {
        if b.isEmpty { return .empty }
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            b.count >= offset + prefix.count && Array(b[offset..<offset + prefix.count]) == prefix
        }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .gif }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .webp }
        if starts(Array("BM".utf8)) && b.count >= 14 { return .bmp }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return .tiff }
        if starts(Array("ftyp".utf8), at: 4) { return .heif }
        if starts([0x00, 0x00, 0x01, 0x00]) { return .ico }
        if starts(Array("%PDF".utf8)) { return .pdf }
        return sniffText(b)
    }

    /// Markup and text: skip a UTF-8 BOM and whitespace, then look at the first tag.
    private static func sniffText(_ b: [UInt8]) -> ImageFormat {
        var start = 0
        if b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF { start = 3 }
        while start < b.count, [0x20, 0x09, 0x0A, 0x0D].contains(b[start]) { start += 1 }
        let rest = b[start...]
        guard !rest.isEmpty else { return .text }
        let lowered = String(decoding: rest.prefix(64), as: UTF8.self).lowercased()
        if lowered.hasPrefix("<!doctype html") || lowered.hasPrefix("<html") || lowered.hasPrefix("<head")
            || lowered.hasPrefix("<body") || lowered.hasPrefix("<!--")
        {
            return .html
        }
        if lowered.hasPrefix("<?xml") || lowered.hasPrefix("<svg") { return .xml }
        if lowered.hasPrefix("<") { return .html }
        let printable = rest.prefix(256).allSatisfy { $0 >= 0x20 || [0x09, 0x0A, 0x0D].contains($0) }
        return printable ? .text : .unknown
    }
}
