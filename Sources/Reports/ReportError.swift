/// Errors of the Reports module. Each case carries the context needed to fix the input.
public enum ReportError: Error, Equatable, CustomStringConvertible {
    /// An image file could not be read.
    case unreadableImage(path: String, reason: String)
    /// Image bytes are not PNG, JPEG, GIF or WebP.
    case unsupportedImage(name: String)
    /// Report input is inconsistent (e.g. a confusion matrix that is not square).
    case invalidInput(String)
    /// The report folder or a file in it could not be written.
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadableImage(let path, let reason): "cannot read image \(path): \(reason)"
        case .unsupportedImage(let name): "image \(name) is not PNG, JPEG, GIF or WebP"
        case .invalidInput(let message): "invalid report input: \(message)"
        case .writeFailed(let path, let reason): "cannot write \(path): \(reason)"
        }
    }
}
