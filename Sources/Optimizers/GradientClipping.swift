import NeuralNetwork
import TensorCore

/// Scales the gradients of `parameters` so that their global L2 norm is at most `maxNorm`
/// (`torch.nn.utils.clip_grad_norm_`: factor maxNorm / (norm + 1e-6) when norm > maxNorm).
/// Returns the norm before clipping.
@discardableResult
public func clipGradientNorm(_ parameters: [Parameter], gradients: inout Gradients, maxNorm: Float) -> Float {
    require(maxNorm > 0, "clipGradientNorm: maxNorm must be positive, got \(maxNorm)")
    var squares = 0.0
    for parameter in parameters {
        guard let gradient = gradients[parameter.value] else { continue }
        for value in gradient.scalars() { squares += Double(value) * Double(value) }
    }
    let norm = Float(squares.squareRoot())
    if norm > maxNorm { gradients.scale(by: maxNorm / (norm + 1e-6), only: parameters.map(\.value)) }
    return norm
}
