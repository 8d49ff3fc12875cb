import Foundation
import NeuralNetwork
import Optimizers
import TensorCore
import Testing

/// The fused updates (`ParameterUpdate`) work in the gradient's layout. Convolution weight gradients
/// come back in oneDNN's blocked weight layout (channels padded to 16): the updated weights must hold
/// the same values as the textbook formulas computed on plain arrays, and checkpointed state must
/// resume exactly.
struct FusedUpdateTests {
    /// A 24-channel 1×1 convolution (padded to 32 lanes in the blocked layout) and a fixed input.
    private func problem() -> (weight: [Float], input: Tensor, seed: Tensor) {
        var generator = SplitMix64(seed: 5)
        let weight = (0..<(24 * 20)).map { _ in Float.random(in: -0.5...0.5, using: &generator) }
        let input = Tensor(shape: [2, 20, 5, 7], scalars: (0..<(2 * 20 * 35)).map { _ in Float.random(in: -1...1, using: &generator) })
        let seed = Tensor(shape: [2, 24, 5, 7], scalars: (0..<(2 * 24 * 35)).map { _ in Float.random(in: -1...1, using: &generator) })
        return (weight, input, seed)
    }

    /// Runs `steps` optimizer steps on the convolution weight; returns the weight's values after each
    /// step and the gradients the steps used (read back as plain arrays).
    private func run(_ optimizer: any Optimizer, parameter: Parameter, input: Tensor, seed: Tensor, steps: Int)
        -> (weights: [[Float]], gradients: [[Float]])
    {
        var weights: [[Float]] = [], gradients: [[Float]] = []
        for _ in 0..<steps {
            let output = conv2d(input, weight: parameter.value)
            let grads = output.backward(seed: seed)
            gradients.append(grads[parameter.value]!.scalars())
            optimizer.step([parameter], gradients: grads, learningRate: 0.1)
            weights.append(parameter.value.scalars())
        }
        return (weights, gradients)
    }

    /// |a − b| ≤ absolute + 1e-5·|b| elementwise.
    private func expectClose(_ a: [Float], _ b: [Float], _ label: String, absolute: Float = 1e-6) {
        #expect(a.count == b.count)
        let worst = zip(a, b).map { abs($0 - $1) / (absolute + 1e-5 * abs($1)) }.max() ?? 0
        #expect(worst <= 1, "\(label): worst difference \(worst) × tolerance")
    }

    @Test("SGD with momentum, Nesterov and weight decay on a blocked conv gradient equals the plain formulas")
    func sgdOnBlockedGradient() {
        let (initial, input, seed) = problem()
        let parameter = Parameter(Tensor(shape: [24, 20, 1, 1], scalars: initial))
        let (momentum, decay, rate): (Float, Float, Float) = (0.9, 0.01, 0.1)
        let (weights, gradients) = run(
            SGD(momentum: momentum, nesterov: true, weightDecay: decay), parameter: parameter,
            input: input, seed: seed, steps: 3)
        var w = initial, buffer: [Float]? = nil
        for (step, gradient) in gradients.enumerated() {
            let g = zip(gradient, w).map { $0 + decay * $1 }
            let b = buffer.map { zip($0, g).map { momentum * $0 + $1 } } ?? g
            buffer = b
            w = (0..<w.count).map { w[$0] - rate * (g[$0] + momentum * b[$0]) }
            expectClose(weights[step], w, "step \(step)")
        }
        // The updated weight is used as it is by the next forward pass: same result as a plain copy.
        let reference = conv2d(input, weight: Tensor(shape: [24, 20, 1, 1], scalars: parameter.value.scalars()))
        expectClose(conv2d(input, weight: parameter.value).scalars(), reference.scalars(), "forward with the updated weight")
    }

    @Test("AdamW on a blocked conv gradient equals the plain formulas")
    func adamWOnBlockedGradient() {
        let (initial, input, seed) = problem()
        let parameter = Parameter(Tensor(shape: [24, 20, 1, 1], scalars: initial))
        let (weights, gradients) = run(AdamW(weightDecay: 0.05), parameter: parameter, input: input, seed: seed, steps: 3)
        var w = initial.map(Double.init)
        var m = [Double](repeating: 0, count: w.count), v = m
        for (step, gradient) in gradients.enumerated() {
            let t = Double(step + 1)
            for i in w.indices {
                let g = Double(gradient[i])
                w[i] *= 1 - 0.1 * 0.05
                m[i] = 0.9 * m[i] + 0.1 * g
                v[i] = 0.999 * v[i] + 0.001 * g * g
                w[i] -= 0.1 / (1 - pow(0.9, t)) * m[i] / ((v[i] / (1 - pow(0.999, t))).squareRoot() + 1e-8)
            }
            // Float32 against a Float64 reference: Adam's m/√v amplifies rounding for small gradients.
            expectClose(weights[step], w.map(Float.init), "step \(step)", absolute: 2e-5)
        }
    }

    @Test("SGD momentum state saved after fused steps resumes exactly")
    func checkpointedStateResumes() {
        let (initial, input, seed) = problem()
        let uninterrupted = Parameter(Tensor(shape: [24, 20, 1, 1], scalars: initial))
        let expected = run(SGD(momentum: 0.9), parameter: uninterrupted, input: input, seed: seed, steps: 3).weights.last!

        let resumed = Parameter(Tensor(shape: [24, 20, 1, 1], scalars: initial))
        let first = SGD(momentum: 0.9)
        _ = run(first, parameter: resumed, input: input, seed: seed, steps: 2)
        let names = [(path: "conv.weight", parameter: resumed)]
        let saved = first.stateDict(names: names)
        #expect(saved["momentum.conv.weight"]?.count == 24 * 20)
        let second = SGD(momentum: 0.9)
        second.loadStateDict(saved, names: names)
        resumed.value = Tensor(shape: [24, 20, 1, 1], scalars: resumed.value.scalars())  // as loaded from a checkpoint
        let actual = run(second, parameter: resumed, input: input, seed: seed, steps: 1).weights.last!
        expectClose(actual, expected, "resumed step 3")
    }
}
