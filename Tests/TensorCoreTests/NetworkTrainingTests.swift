import Testing

@testable import TensorCore

/// A small network trained with plain SGD on a fixed batch must follow PyTorch step by step.
struct NetworkTrainingTests {
    /// The `network_sgd` fixture's network in training mode: conv 3×3 stride 2 → BN → ReLU6 → 5×5
    /// depthwise stride 2 with TF-SAME `depthwisePadding` (top, left, bottom, right) → BN → ReLU6 →
    /// global average pool → linear. `afterFirstBlock` sees the first ReLU6's output.
    static func logits(
        _ x: Tensor, _ parameters: [Tensor], statistics: (RunningStatistics, RunningStatistics), depthwisePadding p: [Int],
        afterFirstBlock: (Tensor) -> Void = { _ in }
    ) -> Tensor {
        var h = conv2d(x, weight: parameters[0], stride: 2, padding: .symmetric(1))
        h = relu6(
            batchNorm2d(h, scale: parameters[1], shift: parameters[2], statistics: statistics.0, mode: .training, momentum: 0.1, eps: 1e-5))
        afterFirstBlock(h)
        h = conv2d(h, weight: parameters[3], stride: 2, padding: Padding2D(top: p[0], left: p[1], bottom: p[2], right: p[3]), groups: 24)
        h = relu6(
            batchNorm2d(h, scale: parameters[4], shift: parameters[5], statistics: statistics.1, mode: .training, momentum: 0.1, eps: 1e-5))
        return linear(globalAveragePool2d(h), weight: parameters[6], bias: parameters[7])
    }

    @Test("conv-BN-relu6-dw5x5(TF SAME)-BN-relu6-pool-linear: 5 SGD steps match PyTorch's losses and weights (1e-3 relative)")
    func sgdMatchesPyTorch() {
        let f = OpFixtures.shared.fixture("network_sgd")
        let names = ["conv.weight", "bn1.weight", "bn1.bias", "dw.weight", "bn2.weight", "bn2.bias", "fc.weight", "fc.bias"]
        var parameters = names.map { f.tensor("initial." + $0, requiresGradient: true) }
        let bn1 = RunningStatistics(channels: 24), bn2 = RunningStatistics(channels: 24)
        let x = f.tensor("x"), labels = f.ints("labels")
        let p = f.ints("dwPadding")
        let learningRate = f.float("learningRate")
        let kernelRunsBefore = TensorEngine.handWrittenDepthwiseKernelRuns
        var losses: [Float] = []
        for _ in 0..<f.int("steps") {
            let logits = Self.logits(x, parameters, statistics: (bn1, bn2), depthwisePadding: p)
            let loss = softmaxCrossEntropy(logits: logits, labels: labels, labelSmoothing: f.float("smoothing"))
            losses.append(loss.item())
            let gradients = loss.backward()
            parameters = parameters.map { parameter in
                let gradient = gradients[parameter]!.scalars()
                return Tensor(
                    shape: parameter.shape, scalars: zip(parameter.scalars(), gradient).map { $0 - learningRate * $1 },
                    requiresGradient: true)
            }
        }
        expectClose(losses, f.values("losses"), tolerance: 1e-3, "losses")
        #expect(losses.last! < losses.first!, "loss did not fall: \(losses)")
        for (name, parameter) in zip(names, parameters) {
            expectClose(parameter.scalars(), f.values("final." + name), tolerance: 1e-3, "final \(name)")
        }
        expectClose(bn1.mean.scalars(), f.values("final.bn1.running_mean"), tolerance: 1e-3, "bn1 running mean")
        expectClose(bn1.variance.scalars(), f.values("final.bn1.running_var"), tolerance: 1e-3, "bn1 running var")
        if TensorEngine.activationChannelBlock != nil {
            #expect(TensorEngine.handWrittenDepthwiseKernelRuns >= kernelRunsBefore + f.int("steps"))
        }
    }
}
