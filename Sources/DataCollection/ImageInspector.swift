import Crypto

/// What the header of a downloaded image says, without decoding pixels.
public struct ImageInfo: Sendable, Equatable {
    public enum Format: String, Sendable { case jpeg, png }
    public var format: Format
    public var width: Int
    public var height: Int

    public var fileExtension: String { format == .jpeg ? "jpg" : "png" }
}

/// Sniffs JPEG/PNG magic bytes and reads dimensions from the headers: PNG from IHDR, JPEG from
/// the first start-of-frame marker (SOF0–SOF15 except DHT C4, JPG C8, DAC CC).
public enum ImageInspector {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case notAnImage
        case truncated
        case zeroSize
        public var description: String {
            switch self {
            case .notAnImage: "neither JPEG nor PNG (magic bytes do not match)"
            case .truncated: "header is truncated before the image size"
            case .zeroSize: "header gives a zero width or height"
            }
        }
    }

    public static func inspect(_ bytes: [UInt8]) throws(Failure) -> ImageInfo {
        let info: ImageInfo
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            info = try png(bytes)
        } else if bytes.starts(with: [0xFF, 0xD8, 0xFF]) {
            info = try jpeg(bytes)
        } else {
            throw .notAnImage
        }
        guard info.width > 0, info.height > 0 else { throw .zeroSize }
        return info
    }

    static func bigEndian(_ bytes: [UInt8], at offset: Int, count: Int) -> Int {
        var value = 0
        for index in offset..<(offset + count) { value = value << 8 | Int(bytes[index]) }
        return value
    }

    static func png(_ bytes: [UInt8]) throws(Failure) -> ImageInfo {
        // Signature (8) + chunk length (4) + "IHDR" (4) + width (4) + height (4).
        guard bytes.count >= 24, Array(bytes[12..<16]) == Array("IHDR".utf8) else { throw .truncated }
        return ImageInfo(format: .png, width: bigEndian(bytes, at: 16, count: 4), height: bigEndian(bytes, at: 20, count: 4))
    }

    static func jpeg(_ bytes: [UInt8]) throws(Failure) -> ImageInfo {
        var offset = 2
        while offset + 4 <= bytes.count {
            guard bytes[offset] == 0xFF else { throw .truncated }
            let marker = bytes[offset + 1]
            if marker == 0xFF {
                offset += 1
                continue
            }  // fill byte
            if marker == 0xD8 || (0xD0...0xD7).contains(marker) || marker == 0x01 {
                offset += 2
                continue
            }
            let length = bigEndian(bytes, at: offset + 2, count: 2)
            let isStartOfFrame = (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker)
            if isStartOfFrame {
                // Segment: length (2), precision (1), height (2), width (2).
                guard offset + 9 <= bytes.count else { throw .truncated }
                return ImageInfo(
                    format: .jpeg, width: bigEndian(bytes, at: offset + 7, count: 2),
                    height: bigEndian(bytes, at: offset + 5, count: 2))
            }
            if marker == 0xD9 || marker == 0xDA { break }  // end of image or scan before any frame header
            guard length >= 2 else { throw .truncated }
            offset += 2 + length
        }
        throw .truncated
    }

    /// Lower-case hex SHA-256 of the bytes.
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
