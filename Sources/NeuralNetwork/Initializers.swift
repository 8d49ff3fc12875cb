import TensorCore

/// PyTorch's default initialisers.
public enum Initializers {
    /// U(−bound, bound) with bound = 1/√fanIn: what `kaiming_uniform_(a=√5)` gives for Conv2d/Linear
    /// weights (gain √(1/3) · √(3/fanIn)), and PyTorch's bias initialisation.
    ///
    /// Each value is `Float.random(in: -bound...bound, using: &generator)`, drawn by
    /// `UniformDraw` (the same values from the same generator, so every seed keeps its weights):
    /// the standard library's generic path is not specialised across modules and took three
    /// quarters of the time to load a trained model, whose values then replace these.
    public static func uniformFanIn(_ shape: [Int], fanIn: Int, generator: inout some RandomNumberGenerator) -> Tensor {
        let bound = 1 / Float(fanIn).squareRoot()
        let count = shape.reduce(1, *)
        let scalars = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            for index in 0..<count { buffer[index] = UniformDraw.closed(-bound, bound, using: &generator) }
            initialized = count
        }
        return Tensor(shape: shape, scalars: scalars)
    }
}

/// `Float.random(in: lower...upper, using:)` written out with concrete integer types.
///
/// The standard library draws an integer r uniformly from 0 … 2²⁴ (2²⁴ + 1 values: a Float has a
/// 24-bit significand) with Lemire's multiply-and-reject method on 32-bit words, returns `upper`
/// when r = 2²⁴, and otherwise `(upper − lower) · (r · 2⁻²⁴) + lower`. The same steps in the same
/// order give the same Float; `InitializersTests` checks it against the standard library.
enum UniformDraw {
    static func closed(_ lower: Float, _ upper: Float, using generator: inout some RandomNumberGenerator) -> Float {
        let steps: UInt32 = 1 << 24
        let r = below(steps + 1, using: &generator)
        if r == steps { return upper }
        let unit = Float(r) * (Float.ulpOfOne / 2)
        return (upper - lower) * unit + lower
    }

    /// A uniform integer in 0 ..< `bound`: the high word of a 32-bit draw times `bound`, drawing
    /// again while the low word falls in the biased remainder (Lemire 2019, arXiv:1805.10941).
    static func below(_ bound: UInt32, using generator: inout some RandomNumberGenerator) -> UInt32 {
        var product = UInt64(UInt32(truncatingIfNeeded: generator.next())) * UInt64(bound)
        if UInt32(truncatingIfNeeded: product) < bound {
            let threshold = (0 &- bound) % bound
            while UInt32(truncatingIfNeeded: product) < threshold {
                product = UInt64(UInt32(truncatingIfNeeded: generator.next())) * UInt64(bound)
            }
        }
        return UInt32(truncatingIfNeeded: product >> 32)
    }
}
