import Foundation
import NeuralNetwork
import Optimizers
import TensorCore
import Testing

/// Optimizers, schedules and clipping against torch.optim trajectories
/// (`scripts/reference/make_optimizer_fixtures.py`); f32 tolerance 1e-5 relative (+1e-6 absolute).
struct OptimizerTests {
    nonisolated(unsafe) static let fixtures: [String: Any] = {
        let url = Bundle.module.url(forResource: "optimizer_fixtures", withExtension: "json", subdirectory: "Fixtures")!
        return try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }()

    private static func floats(_ value: Any?) -> [Float] { (value as! [Double]).map { Float($0) } }

    private func makeOptimizer(_ name: String, options: [String: Any]) -> any Optimizer {
        let momentum = Float(options["momentum"] as? Double ?? 0)
        let weightDecay = Float(options["weight_decay"] as? Double ?? 0)
        switch name {
        case let n where n.hasPrefix("sgd"):
            return SGD(
                momentum: momentum, dampening: Float(options["dampening"] as? Double ?? 0),
                nesterov: options["nesterov"] as? Bool ?? false, weightDecay: weightDecay)
        case let n where n.hasPrefix("adamw"):
            return AdamW(weightDecay: options["weight_decay"] == nil ? 0.01 : weightDecay)
        case let n where n.hasPrefix("adam"):
            let betas = (options["betas"] as? [Double]) ?? [0.9, 0.999]
            return Adam(beta1: Float(betas[0]), beta2: Float(betas[1]), weightDecay: weightDecay)
        default:
            return RMSprop(alpha: Float(options["alpha"] as? Double ?? 0.99), momentum: momentum, weightDecay: weightDecay)
        }
    }

    @Test(
        "four steps follow torch.optim",
        arguments: [
            "sgd", "sgd_momentum", "sgd_nesterov_decay", "sgd_dampening", "adam", "adam_decay", "adamw", "adamw_decay",
            "rmsprop", "rmsprop_momentum_decay",
        ])
    func trajectories(_ name: String) {
        let fixture = Self.fixtures
        let entry = (fixture["optimizers"] as! [String: Any])[name] as! [String: Any]
        let optimizer = makeOptimizer(name, options: entry["options"] as! [String: Any])
        let parameter = Parameter(Tensor(shape: [5], scalars: Self.floats(fixture["initial"])))
        let learningRate = Float(fixture["learningRate"] as! Double)
        let gradients = (fixture["gradients"] as! [Any]).map(Self.floats)
        for (step, expected) in (entry["trajectory"] as! [Any]).map(Self.floats).enumerated() {
            // The gradient is fixed by the fixture: Σ w·g has dL/dw = g.
            let loss = linear(parameter.value.reshaped(to: [1, 5]), weight: Tensor(shape: [1, 5], scalars: gradients[step]), bias: nil)
            optimizer.step([parameter], gradients: loss.backward(), learningRate: learningRate)
            let actual = parameter.value.scalars()
            for i in 0..<5 {
                #expect(
                    abs(actual[i] - expected[i]) <= 1e-6 + 1e-5 * abs(expected[i]),
                    "\(name) step \(step) element \(i): \(actual[i]) vs \(expected[i])")
            }
        }
    }

    @Test("step and cosine schedules match torch.optim.lr_scheduler; warm-up ramps linearly")
    func schedules() {
        let schedules = Self.fixtures["schedules"] as! [String: [String: Any]]
        let stepEntry = schedules["step"]!
        let step = LearningRateSchedule.step(initial: 0.1, stepSize: stepEntry["stepSize"] as! Int, gamma: 0.5)
        for (index, expected) in Self.floats(stepEntry["values"]).enumerated() { #expect(abs(step(index) - expected) < 1e-7) }
        let cosineEntry = schedules["cosine"]!
        let cosine = LearningRateSchedule.cosine(initial: 0.1, totalSteps: cosineEntry["totalSteps"] as! Int, minimum: 0.001)
        for (index, expected) in Self.floats(cosineEntry["values"]).enumerated() {
            #expect(abs(cosine(index) - expected) < 1e-6, "cosine step \(index): \(cosine(index)) vs \(expected)")
        }
        let warm = LearningRateSchedule.warmup(steps: 4, then: .constant(0.2))
        #expect([0, 1, 2, 3, 4, 10].map { warm($0) } == [0.05, 0.1, 0.15, 0.2, 0.2, 0.2])
    }

    @Test("clipGradientNorm matches torch.nn.utils.clip_grad_norm_")
    func clipping() {
        let entry = Self.fixtures["clipping"] as! [String: Any]
        let a = Parameter(Tensor(shape: [2], scalars: [3, -4])), b = Parameter(Tensor(shape: [1, 1], scalars: [12]))
        // Loss whose gradients are a's and b's own values: ½(|a|² + |b|²).
        let loss = scaled(
            add(
                mean(matmul(a.value.reshaped(to: [1, 2]), a.value.reshaped(to: [2, 1]))),
                mean(matmul(b.value, b.value))), by: 0.5)
        var gradients = loss.backward()
        let norm = clipGradientNorm([a, b], gradients: &gradients, maxNorm: Float(entry["maxNorm"] as! Double))
        #expect(abs(norm - Float(entry["norm"] as! Double)) < 1e-5)
        let clippedA = gradients[a.value]!.scalars(), expectedA = Self.floats(entry["a"])
        for i in 0..<2 { #expect(abs(clippedA[i] - expectedA[i]) < 1e-5) }
        #expect(abs(gradients[b.value]!.scalars()[0] - Self.floats(entry["b"])[0]) < 1e-5)
    }

    @Test("a small Sequential CNN trained with SGD + momentum lowers its loss on a fixed batch")
    func trainingLowersLoss() {
        var generator = SplitMix64(seed: 21)
        let model = Sequential([
            Conv2d(
                inputChannels: 3, outputChannels: 24, kernelSize: 3, stride: 2, padding: .symmetric(1), bias: false,
                generator: &generator),
            BatchNorm2d(channels: 24), Lambda.relu6,
            Conv2d(
                inputChannels: 24, outputChannels: 24, kernelSize: 5, stride: 2, padding: .tfSame, groups: 24,
                bias: false, generator: &generator),
            BatchNorm2d(channels: 24), Lambda.relu6, Lambda.globalAveragePool,
            Linear(inputFeatures: 24, outputFeatures: 4, generator: &generator),
        ])
        let x = Tensor(shape: [4, 3, 16, 16], scalars: (0..<(4 * 3 * 256)).map { _ in Float.random(in: -1...1, using: &generator) })
        let labels = [0, 1, 2, 3]
        let optimizer = SGD(momentum: 0.9)
        var losses: [Float] = []
        for _ in 0..<8 {
            let loss = softmaxCrossEntropy(logits: model(x, mode: .training), labels: labels)
            losses.append(loss.item())
            optimizer.step(model.trainableParameters, gradients: loss.backward(), learningRate: 0.05)
        }
        #expect(losses.last! < losses.first! * 0.8, "losses: \(losses)")
    }
}
