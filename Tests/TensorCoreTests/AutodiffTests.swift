import Testing

@testable import TensorCore

/// The tape: what is recorded, accumulation, and finite-difference checks of composite graphs.
struct AutodiffTests {
    @Test("inference records nothing; a tensor that requires gradients records its history")
    func recordsOnlyWhenNeeded() {
        let x = Tensor(shape: [1, 3, 5, 5], repeating: 0.5)
        let w = Tensor(shape: [4, 3, 3, 3], repeating: 0.1)
        let y = relu6(conv2d(x, weight: w, padding: .symmetric(1)))
        #expect(!y.requiresGradient && y.origin == nil)
        #expect(mean(y).backward().count == 0)
        let trainable = Tensor(shape: [4, 3, 3, 3], repeating: 0.1, requiresGradient: true)
        let z = relu6(conv2d(x, weight: trainable, padding: .symmetric(1)))
        #expect(z.requiresGradient && z.origin?.operation == "relu6")
        let gradients = mean(z).backward()
        #expect(gradients[trainable] != nil && gradients[x] == nil)
    }

    @Test("withoutGradients records nothing even for trainable tensors")
    func noGradientScope() {
        let w = Tensor(shape: [4, 3, 3, 3], repeating: 0.1, requiresGradient: true)
        let x = Tensor(shape: [1, 3, 5, 5], repeating: 0.5)
        let y = TensorEngine.withoutGradients { relu6(conv2d(x, weight: w, padding: .symmetric(1))) }
        #expect(!y.requiresGradient && y.origin == nil)
        #expect(relu6(conv2d(x, weight: w, padding: .symmetric(1))).requiresGradient)
        #expect(y.scalars() == relu6(conv2d(x, weight: w.detached(), padding: .symmetric(1))).scalars())
    }

    @Test("a tensor used twice (residual) gets the sum of both gradients")
    func accumulatesResidualGradients() {
        let values: [Float] = (0..<(2 * 20 * 3 * 3)).map { Float($0 % 11) / 5 - 1 }
        let plain = Tensor(shape: [2, 20, 3, 3], scalars: values)
        let x = relaid(plain, .channelBlocked16(plain.shape), requiresGradient: true)
        // y = x + relu(x): dy/dx = 1 + [x > 0].
        let y = add(x, relu(x))
        let seed = Tensor(shape: x.shape, scalars: values.indices.map { Float($0 % 5) })
        let dx = y.backward(seed: seed)[x]!.scalars()
        let expected: [Float] = values.indices.map { seed.scalars()[$0] * (values[$0] > 0 ? 2 : 1) }
        #expect(dx == expected)
        // add(x, x) doubles.
        let doubled = add(x, x).backward(seed: seed)[x]!.scalars()
        #expect(doubled == seed.scalars().map { $0 * 2 })
    }

    @Test("finite differences agree with backward through conv → BN → relu6 → dw5x5 (TF SAME) → pool → linear → CE")
    func finiteDifferences() {
        var generator = SplitMix64(seed: 3)
        func random(_ shape: [Int], _ scale: Float) -> Tensor {
            let count = shape.reduce(1, *)
            return Tensor(
                shape: shape,
                scalars: (0..<count).map { _ in
                    (Float(generator.next() % 20_001) / 10_000 - 1) * scale
                })
        }
        let x = random([2, 3, 9, 8], 1)
        var parameters = [random([20, 3, 3, 3], 0.4), random([20, 1, 5, 5], 0.3), random([4, 20], 0.5), random([4], 0.1)]
        let scale = Tensor(shape: [20], repeating: 1), shift = random([20], 0.1)
        let padding = Padding2D.tfSame(inputHeight: 9, inputWidth: 8, kernelSize: 5, stride: 2)

        func loss(_ p: [Tensor]) -> Tensor {
            let statistics = RunningStatistics(channels: 20)
            var h = conv2d(x, weight: p[0], padding: .symmetric(1))
            h = relu6(batchNorm2d(h, scale: scale, shift: shift, statistics: statistics, mode: .training, momentum: 0.1, eps: 1e-5))
            h = conv2d(h, weight: p[1], stride: 2, padding: padding, groups: 20)
            let logits = linear(globalAveragePool2d(h), weight: p[2], bias: p[3])
            return softmaxCrossEntropy(logits: logits, labels: [1, 3], classWeights: [1, 2, 0.5, 1], labelSmoothing: 0.1)
        }
        parameters = parameters.map { Tensor(shape: $0.shape, scalars: $0.scalars(), requiresGradient: true) }
        let gradients = loss(parameters).backward()
        let step: Float = 1e-2
        for (which, parameter) in parameters.enumerated() {
            let analytic = gradients[parameter]!.scalars()
            let values = parameter.scalars()
            for index in stride(from: which, to: values.count, by: max(1, values.count / 6)) {
                func perturbed(_ delta: Float) -> Float {
                    var changed = values
                    changed[index] += delta
                    var p = parameters.map { $0.detached() }
                    p[which] = Tensor(shape: parameter.shape, scalars: changed)
                    return loss(p).item()
                }
                let numeric = (perturbed(step) - perturbed(-step)) / (2 * step)
                // Central differences in f32 with step 1e-2: error ~ 1e-3 absolute on gradients of O(0.1).
                #expect(
                    abs(numeric - analytic[index]) <= 2e-3 + 0.05 * abs(analytic[index]),
                    "parameter \(which) element \(index): numeric \(numeric), backward \(analytic[index])")
            }
        }
    }

    @Test("misuse stops the process with a message naming the op and the shapes")
    func misuseMessages() async {
        let add = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = TensorCore.add(Tensor.zeros([2, 3]), Tensor.zeros([3, 2]))
        }
        #expect(add.map { String(decoding: $0.standardErrorContent, as: UTF8.self) }?.contains("add: shapes differ, [2, 3] vs [3, 2]") == true)
        let conv = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = conv2d(Tensor.zeros([1, 5, 4, 4]), weight: Tensor.zeros([8, 3, 3, 3]))
        }
        #expect(conv.map { String(decoding: $0.standardErrorContent, as: UTF8.self) }?.contains("conv2d: weight [8, 3, 3, 3]") == true)
    }
}
