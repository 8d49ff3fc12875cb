import AtomicFiles
import Foundation

/// Renders a `ReportDocument` into a self-contained folder: `index.html` plus `assets/` with the
/// images it shows. The folder opens offline from disk in any browser.
///
/// Writes are atomic per file (temporary file + rename): assets first, `index.html` last, so a
/// reader never sees a page that references an image not yet written. After the page is in place,
/// assets no longer referenced by it are removed.
public struct ReportWriter: Sendable {
    /// How images reach the page.
    public enum ImageEmbedding: Sendable {
        /// Copy image bytes to `assets/<hash>.<ext>` and reference them relatively.
        case copyIntoFolder
        /// Inline images as `data:` URIs (one file, larger).
        case inlineDataURIs
    }

    /// What to do when an image cannot be read or is not a browser image format.
    public enum MissingImagePolicy: Sendable {
        /// Throw `ReportError.unreadableImage` / `.unsupportedImage`.
        case fail
        /// Show a labelled placeholder and list the problem in `WrittenReport.missingImages`.
        case placeholder
    }

    /// The result of rendering without writing.
    public struct RenderedReport: Sendable {
        public var html: String
        /// Paths relative to the report folder (`assets/…`) → bytes.
        public var assets: [String: Data]
        public var missingImages: [String]
    }

    /// The result of writing a report folder.
    public struct WrittenReport: Sendable {
        public var folder: URL
        public var indexFile: URL
        public var assetPaths: [String]
        public var missingImages: [String]
    }

    public var imageEmbedding: ImageEmbedding
    public var missingImages: MissingImagePolicy
    /// Directory that relative image paths are resolved against (e.g. the dataset root).
    public var imageBaseDirectory: URL?

    public init(
        imageEmbedding: ImageEmbedding = .copyIntoFolder, missingImages: MissingImagePolicy = .placeholder,
        imageBaseDirectory: URL? = nil
    ) {
        self.imageEmbedding = imageEmbedding
        self.missingImages = missingImages
        self.imageBaseDirectory = imageBaseDirectory
    }

    /// Renders the page and collects its assets without touching the disk (beyond reading images).
    public func render(_ document: ReportDocument) throws -> RenderedReport {
        let resolver = AssetResolver(embedding: imageEmbedding, missingImages: missingImages, baseDirectory: imageBaseDirectory)
        let html = try document.render(resolver: resolver)
        return RenderedReport(html: html, assets: resolver.assets, missingImages: resolver.missing)
    }

    /// Renders `document` and writes it into `folder` (created if needed).
    @discardableResult
    public func write(_ document: ReportDocument, to folder: URL) throws -> WrittenReport {
        let rendered = try render(document)
        let fileManager = FileManager.default
        let assetsFolder = folder.appendingPathComponent("assets", isDirectory: true)
        do {
            try fileManager.createDirectory(at: assetsFolder, withIntermediateDirectories: true)
        } catch {
            throw ReportError.writeFailed(path: assetsFolder.path, reason: error.localizedDescription)
        }
        for (path, data) in rendered.assets.sorted(by: { $0.key < $1.key }) {
            let url = folder.appendingPathComponent(path)
            // Names are content hashes: an existing file of the same size already holds these bytes.
            if let size = (try? fileManager.attributesOfItem(atPath: url.path))?[.size] as? Int, size == data.count {
                continue
            }
            try Self.writeAtomically(data, to: url)
        }
        let index = folder.appendingPathComponent("index.html")
        try Self.writeAtomically(Data(rendered.html.utf8), to: index)
        pruneAssets(in: assetsFolder, keeping: Set(rendered.assets.keys.map { ($0 as NSString).lastPathComponent }))
        return WrittenReport(
            folder: folder, indexFile: index, assetPaths: rendered.assets.keys.sorted(), missingImages: rendered.missingImages)
    }

    /// `AtomicFile.write`, failing as a `ReportError`.
    static func writeAtomically(_ data: Data, to url: URL) throws {
        do {
            try AtomicFile.write(data, to: url)
        } catch {
            throw ReportError.writeFailed(path: error.path, reason: error.reason)
        }
    }

    /// Removes files in `assets/` the new page does not reference (left by an earlier render).
    private func pruneAssets(in folder: URL, keeping names: Set<String>) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for entry in entries where !names.contains(entry) && !entry.hasPrefix(".") {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(entry))
        }
    }
}
