import Testing

@testable import TensorCore

/// relu, relu6, add, scaled, pooling, linear and softmax against PyTorch or exact maths.
struct ElementwiseTests {
    @Test(
        "unary ops match PyTorch on plain and channel-blocked inputs",
        arguments: ["relu", "relu6", "maxpool_k3_s2", "maxpool_k2_s2", "maxpool_k3_s2_p1", "global_average_pool", "softmax"])
    func unaryMatchesPyTorch(_ name: String) {
        let f = OpFixtures.shared.fixture(name)
        let plain = f.tensor("x")
        var inputs = [Tensor(shape: plain.shape, scalars: plain.scalars(), requiresGradient: true)]
        if plain.shape.count == 4 { inputs.append(relaid(plain, .channelBlocked16(plain.shape), requiresGradient: true)) }
        for x in inputs {
            let y: Tensor
            switch name {
            case "relu": y = relu(x)
            case "relu6": y = relu6(x)
            case "maxpool_k3_s2", "maxpool_k2_s2": y = maxPool2d(x, kernelSize: f.int("kernel"), stride: f.int("stride"))
            case "maxpool_k3_s2_p1":
                y = maxPool2d(x, kernelSize: f.int("kernel"), stride: f.int("stride"), padding: f.int("padding"))
            case "global_average_pool": y = globalAveragePool2d(x)
            default: y = softmax(x)
            }
            #expect(y.shape == f.shape("y"))
            expectClose(y.scalars(), f.values("y"), "\(name) y (\(x.layout.isPlain ? "plain" : "blocked"))")
            let dx = y.backward(seed: f.tensor("dy"))[x]!
            expectClose(dx.scalars(), f.values("dx"), "\(name) dx (\(x.layout.isPlain ? "plain" : "blocked"))")
        }
    }

    @Test("linear matches PyTorch F.linear")
    func linearMatchesPyTorch() {
        let f = OpFixtures.shared.fixture("linear")
        let x = f.tensor("x", requiresGradient: true), w = f.tensor("w", requiresGradient: true)
        let b = f.tensor("b", requiresGradient: true)
        let y = linear(x, weight: w, bias: b)
        expectClose(y.scalars(), f.values("y"), "linear y")
        let gradients = y.backward(seed: f.tensor("dy"))
        expectClose(gradients[x]!.scalars(), f.values("dx"), "linear dx")
        expectClose(gradients[w]!.scalars(), f.values("dw"), "linear dw")
        expectClose(gradients[b]!.scalars(), f.values("db"), "linear db")
    }

    @Test("add and scaled: exact values and gradients, mixed layouts")
    func addAndScaled() {
        let a = Tensor(shape: [1, 20, 2, 3], scalars: (0..<120).map { Float($0) }, requiresGradient: true)
        let bPlain = Tensor(shape: [1, 20, 2, 3], scalars: (0..<120).map { Float($0) * -0.5 + 1 })
        let b = relaid(bPlain, .channelBlocked16(bPlain.shape), requiresGradient: true)
        let y = scaled(add(a, b), by: 3)
        let expected: [Float] = (0..<120).map { (Float($0) * 0.5 + 1) * 3 }
        #expect(y.scalars() == expected)
        let seed = Tensor(shape: y.shape, scalars: (0..<120).map { Float($0 % 7) })
        let gradients = y.backward(seed: seed)
        #expect(gradients[a]!.scalars() == seed.scalars().map { $0 * 3 })
        #expect(gradients[b]!.scalars() == seed.scalars().map { $0 * 3 })
    }

    @Test("matmul: [2,3]·[3,2] by hand")
    func matmulByHand() {
        let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6], requiresGradient: true)
        let b = Tensor(shape: [3, 2], scalars: [7, 8, 9, 10, 11, 12], requiresGradient: true)
        let y = matmul(a, b)
        #expect(y.scalars() == [58, 64, 139, 154])
        let gradients = mean(y).backward()
        // d mean / dA = (1/4) · 1 · Bᵀ row sums; dB = (1/4) Aᵀ · 1.
        let expectedA: [Float] = [15, 19, 23, 15, 19, 23].map { $0 / 4 }
        let expectedB: [Float] = [5, 5, 7, 7, 9, 9].map { $0 / 4 }
        #expect(gradients[a]!.scalars() == expectedA)
        #expect(gradients[b]!.scalars() == expectedB)
    }

    @Test("reshaped and flattened keep row-major order and route gradients back")
    func reshaping() {
        let plain = Tensor(shape: [2, 20, 1, 2], scalars: (0..<80).map { Float($0) })
        let x = relaid(plain, .channelBlocked16(plain.shape), requiresGradient: true)
        let y = flattened(x)
        #expect(y.shape == [2, 40] && y.scalars() == plain.scalars())
        let dx = y.backward(seed: Tensor(shape: [2, 40], scalars: (0..<80).map { Float($0) * 2 }))[x]!
        let expected: [Float] = (0..<80).map { Float($0) * 2 }
        #expect(dx.shape == [2, 20, 1, 2])
        #expect(dx.scalars() == expected)
        #expect(x.reshaped(to: [4, -1]).shape == [4, 20])
    }
}
