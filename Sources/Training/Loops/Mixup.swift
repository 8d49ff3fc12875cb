import Foundation
import NeuralNetwork
import TensorCore

/// Mixup (Zhang, Cissé, Dauphin & Lopez-Paz 2018): train on convex combinations of pairs of
/// images, with the same combination of their losses.
///
/// Per batch, λ ~ Beta(α, α) and π is a random permutation of the batch:
///
///     x̃_i = λ x_i + (1 − λ) x_π(i)        L̃ = λ L(z, y) + (1 − λ) L(z, y_π)
///
/// where z are the logits of x̃. Small α (0.2–0.4) keeps most batches close to one of the two
/// images; the network can no longer memorise single covers, which is what fine-tuning on a few
/// thousand of them otherwise does within a few epochs.
struct Mixup {
    /// α of the Beta distribution; 0 turns mixup off.
    let alpha: Float

    /// The mixed batch `[N, C, H, W]`, λ, and the partner π(i) of each row.
    func mix<G: RandomNumberGenerator>(_ input: Tensor, generator: inout G) -> (input: Tensor, lambda: Float, partners: [Int]) {
        let n = input.shape[0]
        let lambda = Float(BetaSampler.sample(alpha: Double(alpha), beta: Double(alpha), using: &generator))
        let partners = Array(0..<n).shuffled(using: &generator)
        let x = input.scalars()
        let rowLength = x.count / max(n, 1)
        var mixed = [Float](repeating: 0, count: x.count)
        for row in 0..<n {
            let own = row * rowLength
            let other = partners[row] * rowLength
            for offset in 0..<rowLength { mixed[own + offset] = lambda * x[own + offset] + (1 - lambda) * x[other + offset] }
        }
        return (Tensor(shape: input.shape, scalars: mixed), lambda, partners)
    }
}

/// Samples of Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b).
enum BetaSampler {
    static func sample<G: RandomNumberGenerator>(alpha: Double, beta: Double, using generator: inout G) -> Double {
        let x = gamma(shape: alpha, using: &generator)
        let y = gamma(shape: beta, using: &generator)
        return x + y > 0 ? x / (x + y) : 0.5
    }

    /// Gamma(k, 1) by Marsaglia & Tsang (2000); for k < 1, Gamma(k + 1) · U^(1/k).
    static func gamma<G: RandomNumberGenerator>(shape: Double, using generator: inout G) -> Double {
        precondition(shape > 0, "Gamma shape must be positive")
        if shape < 1 {
            let u = Double.random(in: Double.leastNonzeroMagnitude..<1, using: &generator)
            return gamma(shape: shape + 1, using: &generator) * pow(u, 1 / shape)
        }
        let d = shape - 1.0 / 3
        let c = 1 / (9 * d).squareRoot()
        while true {
            let x = standardNormal(using: &generator)
            let root = 1 + c * x
            guard root > 0 else { continue }
            let v = root * root * root
            let u = Double.random(in: Double.leastNonzeroMagnitude..<1, using: &generator)
            if log(u) < 0.5 * x * x + d - d * v + d * log(v) { return d * v }
        }
    }

    /// N(0, 1) by the Box–Muller transform.
    static func standardNormal<G: RandomNumberGenerator>(using generator: inout G) -> Double {
        let u1 = Double.random(in: Double.leastNonzeroMagnitude..<1, using: &generator)
        let u2 = Double.random(in: 0..<1, using: &generator)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
