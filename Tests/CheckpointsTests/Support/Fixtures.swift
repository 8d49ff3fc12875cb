import Foundation

@testable import Checkpoints

/// Locations of test fixtures and of the real pretrained weights (when installed).
enum Fixtures {
    /// `Tests/CheckpointsTests/Fixtures/<name>` from the test bundle.
    static func url(_ name: String) -> URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures").appendingPathComponent(name)
    }

    static func data(_ name: String) throws -> Data { try Data(contentsOf: url(name)) }

    static func json(_ name: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: data(name)) as! [String: Any]
    }

    /// The repository root, from this file's path (Tests/CheckpointsTests/Support/Fixtures.swift).
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The installed EfficientNet-Lite0 `.pth` (via `albumgenre weights install`), or nil.
    static let lite0URL: URL? = try? PretrainedWeights().locate(.efficientNetLite0)
    static var hasLite0: Bool { lite0URL != nil }
}

/// A deterministic pseudo-random generator (SplitMix64) so fuzz cases are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
