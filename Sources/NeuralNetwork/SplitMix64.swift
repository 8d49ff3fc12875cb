/// SplitMix64 (Steele, Lea & Flood 2014): a small, fast, reproducible random number generator. One seed feeds initialisation,
/// shuffling, augmentation and dropout, so a training run can be repeated exactly.
///
/// `Imaging.Xoshiro256StarStar` (with bounded integers and permutations) draws the
/// augmentations. The two stay apart on purpose: merging them would change the stream behind every
/// seed, so no recorded run (README commands included) would repeat any more.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
