import Foundation
import Imaging

/// The encoded covers the imaging benchmarks decode: the first `count` files of
/// `../shared/datasets/covers-dev` (manifest order, sorted by path, as `scripts/bench/pillow_decode.py`
/// reads them) when that directory exists, else synthetic 300×300 JPEGs. File reads happen here, outside
/// any timing.
public struct CoverSet: Sendable {
    public let blobs: [Data]
    /// Where the covers came from: the dataset directory or "synthetic".
    public let source: String

    public init(count: Int = 500) {
        if let directory = Self.datasetDirectory, let blobs = try? Self.readDataset(directory, count: count), !blobs.isEmpty {
            self.blobs = blobs
            source = directory.path
        } else {
            blobs = Self.synthetic(count: count)
            source = "synthetic"
        }
    }

    /// `$ALBUMGENRE_COVERS`, or `<repo>/../shared/datasets/covers-dev` found from this file's location.
    public static var datasetDirectory: URL? {
        if let path = ProcessInfo.processInfo.environment["ALBUMGENRE_COVERS"] { return URL(fileURLWithPath: path) }
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()  // BenchmarkWorkloads
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()  // Sources, Benchmarks, repo
        let directory = repository.deletingLastPathComponent().appendingPathComponent("shared/datasets/covers-dev")
        return FileManager.default.fileExists(atPath: directory.appendingPathComponent("manifest.csv").path) ? directory : nil
    }

    private static func readDataset(_ directory: URL, count: Int) throws -> [Data] {
        let manifest = try String(contentsOf: directory.appendingPathComponent("manifest.csv"), encoding: .utf8)
        let paths = manifest.split(whereSeparator: \.isNewline).dropFirst()
            .map { String($0.split(separator: ",")[0]) }.sorted()
        return try paths.prefix(count).map { try Data(contentsOf: directory.appendingPathComponent($0)) }
    }

    /// 300×300 JPEGs (quality 90, 4:2:0, like most covers) of smooth gradients with some texture, so
    /// that the entropy decoder has realistic work.
    static func synthetic(count: Int) -> [Data] {
        (0..<count).compactMap { index in
            var pixels = [UInt8](repeating: 0, count: 300 * 300 * 3)
            var state = UInt32(truncatingIfNeeded: index &* 2_654_435_761 &+ 1)
            for y in 0..<300 {
                for x in 0..<300 {
                    state = state &* 1_664_525 &+ 1_013_904_223
                    let noise = Int(state >> 27)
                    let base = (y * 300 + x) * 3
                    pixels[base] = UInt8((x + index * 7 + noise) & 255)
                    pixels[base + 1] = UInt8((y + index * 13 + noise) & 255)
                    pixels[base + 2] = UInt8(((x ^ y) + noise) & 255)
                }
            }
            return try? RGBImage(width: 300, height: 300, pixels: pixels).encodeJPEG(quality: 90)
        }
    }
}

/// The imaging work the issue measures: decode a cover and preprocess it for a 224×224 network
/// (shorter side to 256 bicubic, centre crop 224, normalise to CHW floats), as Pillow + numpy do in
/// `pillow_throughput.py`.
public struct CoverPreprocessing: Sendable {
    let decoder = ImageDecoder()
    let preprocessing = PretrainedPreprocessing()

    public init() {}

    /// Decodes and preprocesses one encoded cover; returns the [3, 224, 224] floats.
    public func callAsFunction(_ blob: Data) throws -> [Float] {
        preprocessing(try decoder.decode(blob))
    }
}
