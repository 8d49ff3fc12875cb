#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Row-wise softmax of [N, K] logits: p[i, k] = exp(z[i, k] − max_k z) / Σ_k exp(z[i, k] − max_k z).
/// Gradient: dz = p ⊙ (dp − Σ_k dp ⊙ p).
public func softmax(_ logits: Tensor) -> Tensor {
    require(logits.shape.count == 2, "softmax: logits must be [N, K], got \(logits.shape)")
    let (n, k) = (logits.shape[0], logits.shape[1])
    let probabilities = softmaxRows(logits.scalars(), rows: n, columns: k)
    let output = Tensor(shape: [n, k], scalars: probabilities)
    return .result("softmax", shape: [n, k], layout: output.layout, buffer: output.buffer, inputs: [logits]) { gradient in
        let dp = gradient.scalars()
        var dz = [Float](repeating: 0, count: n * k)
        for row in 0..<n {
            var dot: Float = 0
            for column in 0..<k { dot += dp[row * k + column] * probabilities[row * k + column] }
            for column in 0..<k { dz[row * k + column] = probabilities[row * k + column] * (dp[row * k + column] - dot) }
        }
        return [Tensor(shape: [n, k], scalars: dz)]
    }
}

/// Numerically stable row softmax.
func softmaxRows(_ z: [Float], rows: Int, columns: Int) -> [Float] {
    var p = [Float](repeating: 0, count: rows * columns)
    for row in 0..<rows {
        let slice = z[(row * columns)..<((row + 1) * columns)]
        let largest = slice.max()!
        var total: Float = 0
        for column in 0..<columns {
            let e = expf(z[row * columns + column] - largest)
            p[row * columns + column] = e
            total += e
        }
        for column in 0..<columns { p[row * columns + column] /= total }
    }
    return p
}

/// Cross-entropy of softmax(logits) against integer labels, averaged like PyTorch's
/// `CrossEntropyLoss(weight: classWeights, label_smoothing: ε)` with mean reduction:
///
///     L = [ (1 − ε) Σ_i w[y_i] · (−log p[i, y_i]) + (ε / K) Σ_i Σ_k w[k] · (−log p[i, k]) ] / Σ_i w[y_i]
///
/// (w ≡ 1 without class weights, so the divisor is N). logits [N, K]; labels N values in 0..<K.
/// Gradient: dz[i, j] = [ (1 − ε) w[y_i] (p[i, j] − δ(j, y_i)) + (ε / K)(p[i, j] Σ_k w[k] − w[j]) ] / Σ_i w[y_i].
public func softmaxCrossEntropy(
    logits: Tensor, labels: [Int], classWeights: [Float]? = nil,
    labelSmoothing: Float = 0
) -> Tensor {
    require(logits.shape.count == 2, "softmaxCrossEntropy: logits must be [N, K], got \(logits.shape)")
    let (n, k) = (logits.shape[0], logits.shape[1])
    require(labels.count == n, "softmaxCrossEntropy: \(labels.count) labels for logits \(logits.shape)")
    require(labels.allSatisfy { (0..<k).contains($0) }, "softmaxCrossEntropy: labels \(labels) outside 0..<\(k)")
    require(
        classWeights.map { $0.count == k } ?? true,
        "softmaxCrossEntropy: \(classWeights?.count ?? 0) class weights for \(k) classes")
    require(labelSmoothing >= 0 && labelSmoothing <= 1, "softmaxCrossEntropy: label smoothing \(labelSmoothing) outside [0, 1]")
    let weights = classWeights ?? [Float](repeating: 1, count: k)
    let z = logits.scalars()
    let p = softmaxRows(z, rows: n, columns: k)
    let epsilon = Double(labelSmoothing)
    let weightSum = weights.reduce(0, +)
    var total = 0.0, normaliser = 0.0
    for row in 0..<n {
        let largest = Double(z[(row * k)..<((row + 1) * k)].max()!)
        var sumExp = 0.0
        for column in 0..<k { sumExp += exp(Double(z[row * k + column]) - largest) }
        let logSum = largest + log(sumExp)
        let label = labels[row]
        normaliser += Double(weights[label])
        total += (1 - epsilon) * Double(weights[label]) * (logSum - Double(z[row * k + label]))
        if epsilon > 0 {
            var smooth = 0.0
            for column in 0..<k { smooth += Double(weights[column]) * (logSum - Double(z[row * k + column])) }
            total += epsilon / Double(k) * smooth
        }
    }
    require(normaliser > 0, "softmaxCrossEntropy: the labels' class weights sum to zero")
    let loss = Tensor(shape: [], scalars: [Float(total / normaliser)])
    return .result("softmaxCrossEntropy", shape: [], layout: loss.layout, buffer: loss.buffer, inputs: [logits]) { gradient in
        let scale = gradient.item() / Float(normaliser)
        let smoothing = labelSmoothing / Float(k)
        var dz = [Float](repeating: 0, count: n * k)
        for row in 0..<n {
            let label = labels[row]
            for column in 0..<k {
                let probability = p[row * k + column]
                var value = (1 - labelSmoothing) * weights[label] * (probability - (column == label ? 1 : 0))
                value += smoothing * (probability * weightSum - weights[column])
                dz[row * k + column] = value * scale
            }
        }
        return [Tensor(shape: [n, k], scalars: dz)]
    }
}
