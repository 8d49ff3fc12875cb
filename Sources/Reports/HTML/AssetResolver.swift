import Foundation

/// Resolves `ImageSource`s while a document renders: reads and checks each image once, and returns
/// the `src` to write: `assets/<hash>.<ext>` (collected for the writer) or a `data:` URI.
///
/// Asset names are a 64-bit FNV-1a hash of the bytes, so the same cover used twice is stored once
/// and re-rendering a report gives byte-identical files.
final class AssetResolver {
    let embedding: ReportWriter.ImageEmbedding
    let missingImages: ReportWriter.MissingImagePolicy
    let baseDirectory: URL?
    /// Relative path inside the report folder → bytes.
    private(set) var assets: [String: Data] = [:]
    /// Sources that could not be read (only with the `.placeholder` policy).
    private(set) var missing: [String] = []
    private var cache: [ImageSource: String?] = [:]

    init(embedding: ReportWriter.ImageEmbedding, missingImages: ReportWriter.MissingImagePolicy, baseDirectory: URL?) {
        self.embedding = embedding
        self.missingImages = missingImages
        self.baseDirectory = baseDirectory
    }

    /// The `src` for `source`, or `nil` when the image is missing and the policy asks for a
    /// placeholder.
    func reference(for source: ImageSource) throws -> String? {
        if let cached = cache[source] { return cached }
        let result: String?
        do {
            result = try resolve(source)
        } catch let error as ReportError where missingImages == .placeholder {
            missing.append(error.description)
            result = nil
        }
        cache[source] = result
        return result
    }

    private func resolve(_ source: ImageSource) throws -> String {
        let data: Data
        let label: String
        switch source {
        case .data(let bytes, let name):
            data = bytes
            label = name
        case .file(let path):
            let url =
                path.hasPrefix("/") || baseDirectory == nil
                ? URL(fileURLWithPath: path) : baseDirectory!.appendingPathComponent(path)
            label = path
            do {
                data = try Data(contentsOf: url)
            } catch {
                throw ReportError.unreadableImage(path: url.path, reason: "\(error.localizedDescription)")
            }
        }
        guard let format = ImageFormat(sniffing: data) else {
            throw ReportError.unsupportedImage(name: label)
        }
        switch embedding {
        case .inlineDataURIs:
            return "data:\(format.mediaType);base64,\(data.base64EncodedString())"
        case .copyIntoFolder:
            let path = "assets/\(Self.fingerprint(data)).\(format.fileExtension)"
            assets[path] = data
            return path
        }
    }

    /// FNV-1a over the bytes, as 16 hex digits.
    static func fingerprint(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
