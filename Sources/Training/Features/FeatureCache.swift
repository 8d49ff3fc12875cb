import AtomicFiles
import Checkpoints
import Foundation

/// Pooled backbone features stored on disk, one small file per (image, view).
///
/// Keyed by everything that changes the numbers: the model and its weights' hash, the
/// preprocessing, and the image's content hash, so a frozen epoch costs a head's training, not a
/// network's forward pass, and a changed image or model can never be served stale features.
///
/// Layout: `<root>/<namespace>/<sha256[0..2]>/<sha256>-<view>.f32` holding `featureCount` little-endian
/// floats. Written atomically, so a killed extraction leaves only complete files.
public struct FeatureCache: Sendable {
    public let directory: URL
    public let featureCount: Int

    /// - Parameter namespace: a description of the model, weights and preprocessing; hashed into the
    ///   folder name and written beside it as `namespace.txt` for people.
    public init(root: URL, namespace: String, featureCount: Int) throws {
        let digest = stableHash(namespace)
        directory = root.appendingPathComponent(String(format: "%016llx", digest), isDirectory: true)
        self.featureCount = featureCount
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let note = directory.appendingPathComponent("namespace.txt")
        if !FileManager.default.fileExists(atPath: note.path) {
            try AtomicFile.write(Data(namespace.utf8), to: note)
        }
    }

    private func url(sha256: String, view: Int) -> URL {
        directory.appendingPathComponent(String(sha256.prefix(2)), isDirectory: true)
            .appendingPathComponent("\(sha256)-\(view).f32")
    }

    /// The cached features, or nil when absent or damaged (wrong size).
    public func features(sha256: String, view: Int) -> [Float]? {
        guard let data = try? Data(contentsOf: url(sha256: sha256, view: view)),
            data.count == featureCount * MemoryLayout<Float>.size
        else { return nil }
        return data.withUnsafeBytes { raw in
            (0..<featureCount).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
    }

    public func store(_ features: [Float], sha256: String, view: Int) throws {
        precondition(features.count == featureCount, "FeatureCache: \(features.count) features, expected \(featureCount)")
        var data = Data(capacity: features.count * 4)
        for value in features { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        try AtomicFile.write(data, to: url(sha256: sha256, view: view))
    }
}

/// FNV-1a 64-bit: a stable (process-independent) hash for cache folder names.
func stableHash(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01B3
    }
    return hash
}
