import Testing

@testable import NeuralNetwork

/// The initialiser's own uniform draw gives, value for value, what `Float.random(in:using:)` gives,
/// so that making it fast changed no seed's initial weights.
struct InitializersTests {
    /// Replays a fixed list of words: the edges of the draw on purpose.
    struct ScriptedGenerator: RandomNumberGenerator {
        let words: [UInt64]
        var position = 0
        mutating func next() -> UInt64 {
            defer { position = (position + 1) % words.count }
            return words[position]
        }
    }

    @Test("a million seeded draws equal the standard library's, for several bounds", arguments: [1, 3, 27, 144, 1280])
    func seededDrawsMatchTheStandardLibrary(fanIn: Int) {
        let bound = 1 / Float(fanIn).squareRoot()
        var ours = SplitMix64(seed: UInt64(fanIn))
        var library = SplitMix64(seed: UInt64(fanIn))
        var mismatches = 0
        for _ in 0..<1_000_000 where UniformDraw.closed(-bound, bound, using: &ours) != Float.random(in: -bound...bound, using: &library) {
            mismatches += 1
        }
        #expect(mismatches == 0)
        #expect(ours.next() == library.next(), "both consumed the same number of words")
    }

    /// UInt32.max draws r = 2²⁴ (the upper bound itself); a low word of 0 is rejected and drawn again;
    /// the upper 32 bits of a word are ignored.
    @Test func edgeWordsMatchTheStandardLibrary() {
        let words: [UInt64] = [.max, 0, 1, 0xFF_FFFF, 0x100_0000, 0xFFFF_FFFF_0000_0000, 0x8000_0000, 12345, 0, 0, .max - 1, 0xFEFF_FFFF]
        for (lower, upper) in [(Float(-1), Float(1)), (-0.03, 0.03), (0, 1), (-2.5, 7)] {
            var ours = ScriptedGenerator(words: words), library = ScriptedGenerator(words: words)
            for _ in 0..<words.count * 3 {
                #expect(UniformDraw.closed(lower, upper, using: &ours) == Float.random(in: lower...upper, using: &library))
                #expect(ours.position == library.position)
            }
        }
    }

    @Test func uniformFanInFillsTheShapeWithinTheBound() {
        var generator = SplitMix64(seed: 7)
        let tensor = Initializers.uniformFanIn([8, 3, 3, 3], fanIn: 27, generator: &generator)
        #expect(tensor.shape == [8, 3, 3, 3])
        let values = tensor.scalars()
        #expect(values.count == 216)
        #expect(values.allSatisfy { abs($0) <= 1 / Float(27).squareRoot() })
        #expect(Set(values).count > 200)
    }
}
