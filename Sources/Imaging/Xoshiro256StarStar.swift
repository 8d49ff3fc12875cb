/// A reproducible random number generator: xoshiro256** seeded through SplitMix64.
///
/// Every random choice in this module takes one of these `inout`, so a run is reproducible from
/// its seed. `Double` and bounded integers come from `nextUnitDouble()` / `nextInt(below:)` rather
/// than the standard library's `random(in:using:)`, whose algorithm is not a stable contract.
/// (The xoshiro256** and SplitMix64 algorithms are by Blackman and Vigna, public domain.)
/// Weight initialisation, shuffling and dropout use `NeuralNetwork.SplitMix64` (plain
/// SplitMix64); see there why the two are not merged. Each is named for its algorithm.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var mixer = seed
        state = (Self.splitMix(&mixer), Self.splitMix(&mixer), Self.splitMix(&mixer), Self.splitMix(&mixer))
    }

    /// An independent stream for one item of a larger run, e.g. `(seed, epoch, sampleIndex)`:
    /// the components are folded through SplitMix64 so nearby indices give unrelated streams.
    public init(seed: UInt64, stream components: UInt64...) {
        var mixer = seed
        var folded = Self.splitMix(&mixer)
        for component in components {
            mixer = folded ^ component
            folded = Self.splitMix(&mixer)
        }
        self.init(seed: folded)
    }

    public mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotateLeft(state.3, 45)
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform in `range` (the upper bound is reached only through rounding).
    public mutating func nextDouble(in range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * nextUnitDouble()
    }

    /// Uniform in 0..<bound, without modulo bias (Lemire's multiply-shift with rejection).
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "nextInt(below:): bound must be positive")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold { product = next().multipliedFullWidth(by: range) }
        }
        return Int(product.high)
    }

    /// `true` with probability `probability`.
    public mutating func nextBool(probability: Double) -> Bool {
        nextUnitDouble() < probability
    }

    /// A random permutation of 0..<count (Fisher–Yates).
    public mutating func permutation(of count: Int) -> [Int] {
        var values = Array(0..<count)
        if count < 2 { return values }
        for index in stride(from: count - 1, to: 0, by: -1) {
            values.swapAt(index, nextInt(below: index + 1))
        }
        return values
    }

    private static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@inline(__always)
private func rotateLeft(_ value: UInt64, _ amount: UInt64) -> UInt64 {
    (value << amount) | (value >> (64 - amount))
}
