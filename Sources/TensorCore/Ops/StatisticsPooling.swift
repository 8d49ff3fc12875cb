/// Statistics pooling: the mean and the standard deviation of each channel over H and W.
///
/// `[N, C, H, W]` → `[N, 2C]`: columns `0..<C` hold μ = (1/HW) Σ x, columns `C..<2C` hold
/// σ = √(v + ε) with v = (1/HW) Σ (x − μ)² (the biased variance, as `torch.std(unbiased=False)`).
/// Average pooling keeps how strongly a feature fires on the whole cover; σ adds how unevenly, which
/// separates a cover with one small motif from one evenly textured, a difference genres care about.
///
/// Gradient, with M = HW: ∂L/∂x = (1/M) ∂L/∂μ + ∂L/∂σ · (x − μ) / (M σ) (the ∂μ/∂x part of ∂σ/∂x
/// vanishes because Σ (x − μ) = 0). Computed in plain NCHW on the CPU: the map is small (Lite0's
/// last block: 320 × 7 × 7 per image), so this costs far less than the convolutions around it.
public func globalMeanAndStdPool2d(_ input: Tensor, epsilon: Float = 1e-5) -> Tensor {
    let (n, c, h, w) = input.nchw("globalMeanAndStdPool2d")
    let area = h * w
    let values = input.plainBuffer()
    var means = [Float](repeating: 0, count: n * c)
    var deviations = [Float](repeating: 0, count: n * c)
    let output = Tensor(shape: [n, 2 * c], repeating: 0)
    let pooled = output.buffer.floats
    for image in 0..<n {
        for channel in 0..<c {
            let plane = values.floats + (image * c + channel) * area
            var sum = 0.0
            for i in 0..<area { sum += Double(plane[i]) }
            let mean = sum / Double(area)
            var squares = 0.0
            for i in 0..<area {
                let centred = Double(plane[i]) - mean
                squares += centred * centred
            }
            let deviation = (squares / Double(area) + Double(epsilon)).squareRoot()
            means[image * c + channel] = Float(mean)
            deviations[image * c + channel] = Float(deviation)
            pooled[image * 2 * c + channel] = Float(mean)
            pooled[image * 2 * c + c + channel] = Float(deviation)
        }
    }
    return .result("globalMeanAndStdPool2d", shape: [n, 2 * c], layout: output.layout, buffer: output.buffer, inputs: [input]) { gradient in
        let upstream = gradient.plainBuffer().floats
        let inputGradient = Tensor(shape: [n, c, h, w], repeating: 0)
        let result = inputGradient.buffer.floats
        for image in 0..<n {
            for channel in 0..<c {
                let index = image * c + channel
                let plane = values.floats + index * area
                let target = result + index * area
                let fromMean = upstream[image * 2 * c + channel] / Float(area)
                let fromDeviation = upstream[image * 2 * c + c + channel] / (Float(area) * deviations[index])
                let mean = means[index]
                for i in 0..<area { target[i] = fromMean + fromDeviation * (plane[i] - mean) }
            }
        }
        return [inputGradient]
    }
}
