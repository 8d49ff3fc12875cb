import Testing

@testable import TensorCore

/// `globalMeanAndStdPool2d`: values against the definition, any input layout, and finite differences.
struct StatisticsPoolingTests {
    /// Deterministic values in [-1, 1) with uneven spread per channel.
    static func values(_ count: Int, seed: UInt64) -> [Float] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { index in (Float(generator.next() % 20_001) / 10_000 - 1) * Float(1 + index % 3) }
    }

    @Test("means then standard deviations (biased, + eps) per channel, from plain and blocked inputs")
    func matchesTheDefinition() {
        let (n, c, h, w) = (2, 20, 3, 4)
        let values = Self.values(n * c * h * w, seed: 7)
        let plain = Tensor(shape: [n, c, h, w], scalars: values)
        for input in [plain, relaid(plain, .channelBlocked16(plain.shape), requiresGradient: false)] {
            let pooled = globalMeanAndStdPool2d(input, epsilon: 1e-5)
            #expect(pooled.shape == [n, 2 * c])
            let result = pooled.scalars()
            for image in 0..<n {
                for channel in 0..<c {
                    let plane = values[((image * c + channel) * h * w)..<((image * c + channel + 1) * h * w)].map(Double.init)
                    let mean = plane.reduce(0, +) / Double(plane.count)
                    let variance = plane.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(plane.count)
                    #expect(abs(Double(result[image * 2 * c + channel]) - mean) < 1e-6)
                    #expect(abs(Double(result[image * 2 * c + c + channel]) - (variance + 1e-5).squareRoot()) < 1e-5)
                }
            }
        }
    }

    @Test("finite differences agree with backward, through a convolution below the pooling")
    func finiteDifferences() {
        let x = Tensor(shape: [2, 3, 6, 5], scalars: Self.values(2 * 3 * 6 * 5, seed: 11))
        let weightValues = Self.values(16 * 3 * 3 * 3, seed: 12).map { $0 * 0.3 }
        let seedValues = Self.values(2 * 32, seed: 13)
        let seed = Tensor(shape: [2, 32], scalars: seedValues)
        func objective(_ weight: Tensor) -> Tensor {
            globalMeanAndStdPool2d(conv2d(x, weight: weight, padding: .symmetric(1)))
        }
        let weight = Tensor(shape: [16, 3, 3, 3], scalars: weightValues, requiresGradient: true)
        let analytic = objective(weight).backward(seed: seed)[weight]!.scalars()
        let step: Float = 1e-2
        for index in stride(from: 0, to: weightValues.count, by: 23) {
            func value(_ delta: Float) -> Double {
                var changed = weightValues
                changed[index] += delta
                let output = objective(Tensor(shape: [16, 3, 3, 3], scalars: changed)).scalars()
                return zip(output, seedValues).reduce(0) { $0 + Double($1.0) * Double($1.1) }
            }
            let numeric = (value(step) - value(-step)) / Double(2 * step)
            #expect(
                abs(numeric - Double(analytic[index])) < 5e-3 * max(1, abs(numeric)),
                "weight \(index): numeric \(numeric), backward \(analytic[index])")
        }
    }
}
