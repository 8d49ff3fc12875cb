/// Why an image could not be read, decoded or encoded. Every case names the file (or the caller's
/// label for in-memory data) so a skipped training sample can be traced back.
public enum ImagingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file or buffer holds no bytes.
    case emptyFile(name: String)
    /// The bytes are a known format this module does not decode (GIF, WebP, BMP, TIFF, HEIF, ...).
    case unsupportedFormat(name: String, format: ImageFormat)
    /// The bytes are not an image at all (an HTML error page, text, unknown bytes).
    case notAnImage(name: String, format: ImageFormat)
    /// The image exceeds a `DecodeLimits` bound (bytes, pixels or side length).
    case limitExceeded(name: String, detail: String)
    /// The image is smaller than `DecodeLimits.minimumSide` (a placeholder).
    case tooSmall(name: String, detail: String)
    /// The file ends before the image data does (an interrupted download).
    case truncated(name: String, detail: String)
    /// The decoder rejected the data.
    case corrupt(name: String, detail: String)
    /// The file could not be read from disk.
    case readFailed(name: String, detail: String)
    /// Encoding or writing an image failed.
    case encodingFailed(detail: String)

    public var description: String {
        switch self {
        case .emptyFile(let name): "\(name): empty file"
        case .unsupportedFormat(let name, let format): "\(name): \(format.displayName) images are not supported"
        case .notAnImage(let name, let format): "\(name): not an image (\(format.displayName))"
        case .limitExceeded(let name, let detail): "\(name): too large: \(detail)"
        case .tooSmall(let name, let detail): "\(name): too small: \(detail)"
        case .truncated(let name, let detail): "\(name): truncated: \(detail)"
        case .corrupt(let name, let detail): "\(name): corrupt image: \(detail)"
        case .readFailed(let name, let detail): "\(name): cannot read: \(detail)"
        case .encodingFailed(let detail): "encoding failed: \(detail)"
        }
    }
}
