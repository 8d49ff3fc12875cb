import Foundation
import Testing

/// Locations of committed fixtures and of the shared (uncommitted) data beside the repository.
enum Fixtures {
    static func url(_ relativePath: String) -> URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(relativePath)
    }

    static var jsonDecoder: JSONDecoder { JSONDecoder() }

    static func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: url(relativePath))
    }

    /// `<repo root>/../shared`, found from this file's path (works in CI and in worktrees).
    static let sharedDirectory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // ImagingTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repo root
        .deletingLastPathComponent()
        .appendingPathComponent("shared")

    static let coversDirectory = sharedDirectory.appendingPathComponent("datasets/covers-dev")
    static let efficientNetDirectory = sharedDirectory.appendingPathComponent("fixtures/efficientnet-lite0")

    static var hasCovers: Bool {
        FileManager.default.fileExists(atPath: coversDirectory.appendingPathComponent("manifest.csv").path)
    }
    static var hasEfficientNetFixtures: Bool {
        FileManager.default.fileExists(atPath: efficientNetDirectory.appendingPathComponent("photos/chelsea.png").path)
    }
}

/// SplitMix64, written independently of `Imaging.Xoshiro256StarStar`, to regenerate the sample
/// positions of `scripts/reference/make_imaging_fixtures.py`.
struct ReferenceSplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func hexBytes(_ hex: String) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(hex.utf8.count / 2)
    var iterator = hex.utf8.makeIterator()
    func nibble(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : c - 87 }
    while let high = iterator.next(), let low = iterator.next() {
        bytes.append(nibble(high) << 4 | nibble(low))
    }
    return bytes
}

/// Largest and mean absolute difference between two byte arrays of equal length.
func differences(_ a: [UInt8], _ b: [UInt8]) -> (max: Int, mean: Double) {
    precondition(a.count == b.count)
    var maximum = 0
    var total = 0
    for index in a.indices {
        let difference = abs(Int(a[index]) - Int(b[index]))
        maximum = max(maximum, difference)
        total += difference
    }
    return (maximum, Double(total) / Double(max(a.count, 1)))
}
