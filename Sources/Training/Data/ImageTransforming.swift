import Foundation
import NeuralNetwork

/// Turns a cover file into a model input: `3 × size × size` floats in CHW order, normalised.
///
/// Training code sees only this protocol; `CoverPreprocessing` implements it with the Imaging
/// module (decode, resize, crop, augment), and tests can substitute synthetic inputs.
public protocol ImageTransforming: Sendable {
    /// Side length of the square input.
    var size: Int { get }
    /// Deterministic evaluation input: resize the shorter side, center crop, normalise.
    func evaluationInput(for url: URL) throws -> [Float]
    /// A random augmented view (random resized crop, flip, colour jitter) drawn from `generator`.
    func trainingInput(for url: URL, generator: inout SplitMix64) throws -> [Float]
    /// A description of every setting that changes the numbers (part of the feature-cache key).
    var cacheDescription: String { get }
}

/// Seeds for every random choice, derived from one run seed so that a resumed run draws exactly
/// the same numbers as an uninterrupted one.
public enum SeedDerivation {
    /// The generator for `purpose` (e.g. "shuffle", "augment") at `epoch`, item `index`.
    public static func generator(seed: UInt64, purpose: String, epoch: Int, index: Int = 0) -> SplitMix64 {
        var mixer = SplitMix64(seed: seed ^ stableHash(purpose))
        _ = mixer.next()
        let epochSeed = mixer.next() &+ UInt64(truncatingIfNeeded: epoch) &* 0x9E37_79B9_7F4A_7C15
        var itemMixer = SplitMix64(seed: epochSeed &+ UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03)
        return SplitMix64(seed: itemMixer.next())
    }
}
