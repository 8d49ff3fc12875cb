import AtomicFiles
import Catalog
import Foundation

/// Reads and writes ImageFolder trees: `DIR/<genre>/<file>` or `DIR/<split>/<genre>/<file>`
/// with split ∈ train/val/test, plus a `manifest.csv` (path, genre, sha256, width, height,
/// group_id, album_id, artist, title, split) that `import` reads back.
public enum ImageFolder {
    public enum Failure: Error, CustomStringConvertible {
        case notADirectory(String)
        case empty(String)
        case invalidImage(path: String, reason: String)
        case missingSplits(count: Int)
        case io(path: String, reason: String)

        public var description: String {
            switch self {
            case .notADirectory(let path): "\(path) is not a directory"
            case .empty(let path):
                "no JPEG or PNG images found in \(path) (expected DIR/<genre>/* or DIR/{train,val,test}/<genre>/*, where val may be named valid or validation)"
            case .invalidImage(let path, let reason): "\(path): \(reason)"
            case .missingSplits(let count): "\(count) images have no recorded split; run `albumgenre split` first, or export without --by-split"
            case .io(let path, let reason): "\(path): \(reason)"
            }
        }
    }

    static let manifestHeader = ["path", "genre", "sha256", "width", "height", "group_id", "album_id", "artist", "title", "split"]
    static let imageExtensions: Set<String> = ["jpg", "jpeg", "png"]

    /// Scans an ImageFolder tree: every JPEG/PNG is checked (magic bytes, header size) and hashed.
    /// Split layout is recognised when the top level holds `train`, `val` or `test` folders
    /// (`valid` and `validation` are the validation split too, as many ImageFolder datasets name it).
    public static func scan(_ directory: String) throws -> [Catalog.ImportedImage] {
        let root = URL(fileURLWithPath: directory).standardizedFileURL
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Failure.notADirectory(directory)
        }
        let top = try subdirectories(of: root)
        let splitFolders = top.filter { split(namedBy: $0) != nil }
        let manifest = readManifest(root.appendingPathComponent("manifest.csv"))
        var images: [Catalog.ImportedImage] = []
        let layouts: [(split: Split?, base: URL)] =
            splitFolders.isEmpty
            ? [(nil, root)] : splitFolders.sorted().map { (split(namedBy: $0), root.appendingPathComponent($0)) }
        for layout in layouts {
            for genre in try subdirectories(of: layout.base).sorted() {
                let folder = layout.base.appendingPathComponent(genre)
                let files = (try? manager.contentsOfDirectory(atPath: folder.path)) ?? []
                for file in files.sorted() where imageExtensions.contains((file as NSString).pathExtension.lowercased()) {
                    let url = folder.appendingPathComponent(file)
                    guard let data = manager.contents(atPath: url.path) else { throw Failure.io(path: url.path, reason: "unreadable") }
                    let bytes = [UInt8](data)
                    let info: ImageInfo
                    do { info = try ImageInspector.inspect(bytes) } catch {
                        throw Failure.invalidImage(path: url.path, reason: error.description)
                    }
                    let relative = String(url.path.dropFirst(root.path.count + 1))
                    let row = manifest[relative]
                    images.append(
                        Catalog.ImportedImage(
                            genre: genre, filePath: url.path, sha256: ImageInspector.sha256Hex(bytes), width: info.width,
                            height: info.height, split: layout.split ?? row?["split"].flatMap(split(namedBy:)),
                            artist: row?["artist"] ?? "", title: row?["title"] ?? (file as NSString).deletingPathExtension,
                            group: row?["group_id"].flatMap { $0.isEmpty ? nil : $0 }))
                }
            }
        }
        guard !images.isEmpty else { throw Failure.empty(directory) }
        return images
    }

    /// The split a folder (or a manifest's `split` cell) names: `train`; `val`, `valid` or
    /// `validation`; `test` (any case); nil for anything else.
    public static func split(namedBy name: String) -> Split? {
        switch name.lowercased() {
        case "train": .train
        case "val", "valid", "validation": .val
        case "test": .test
        default: nil
        }
    }

    static func subdirectories(of url: URL) throws -> [String] {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: url.path) else {
            throw Failure.io(path: url.path, reason: "cannot list directory")
        }
        return names.filter { name in
            var isDirectory: ObjCBool = false
            return !name.hasPrefix(".") && manager.fileExists(atPath: url.appendingPathComponent(name).path, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }
    }

    /// manifest.csv rows by relative path, or empty when absent.
    static func readManifest(_ url: URL) -> [String: [String: String]] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [:] }
        let rows = CSV.parse(text)
        guard let header = rows.first, let pathColumn = header.firstIndex(of: "path") else { return [:] }
        var result: [String: [String: String]] = [:]
        for row in rows.dropFirst() where row.count == header.count {
            result[row[pathColumn]] = Dictionary(uniqueKeysWithValues: zip(header, row))
        }
        return result
    }

    /// Writes the labelled images into `directory` (created if needed) and a manifest.csv.
    /// Files are copied under `<album id>-<sha256 prefix>.<ext>`, each atomically (`AtomicFile`).
    /// Returns the number of images written.
    @discardableResult
    public static func export(_ images: [LabelledImage], to directory: String, bySplit: Bool) throws -> Int {
        if bySplit {
            let unsplit = images.filter { $0.split == nil }.count
            if unsplit > 0 { throw Failure.missingSplits(count: unsplit) }
        }
        let root = URL(fileURLWithPath: directory).standardizedFileURL
        let manager = FileManager.default
        var lines = [CSV.line(manifestHeader)]
        for image in images {
            let ext = (image.filePath as NSString).pathExtension.lowercased()
            let name = "\(image.albumID)-\(image.sha256.prefix(12)).\(ext.isEmpty ? "jpg" : ext)"
            let relative = (bySplit ? "\(image.split!.rawValue)/" : "") + "\(image.genre)/\(name)"
            let target = root.appendingPathComponent(relative)
            if !manager.fileExists(atPath: target.path) {
                do {
                    try AtomicFile.copy(URL(fileURLWithPath: image.filePath), to: target)
                } catch {
                    throw Failure.io(path: error.path, reason: error.reason)
                }
            }
            lines.append(
                CSV.line([
                    relative, image.genre, image.sha256, String(image.width), String(image.height),
                    "album:\(image.albumID)", String(image.albumID), image.artist, image.title,
                    image.split?.rawValue ?? "",
                ]))
        }
        do {
            try AtomicFile.write(Data((lines.joined(separator: "\n") + "\n").utf8), to: root.appendingPathComponent("manifest.csv"))
        } catch {
            throw Failure.io(path: error.path, reason: error.reason)
        }
        return images.count
    }
}
