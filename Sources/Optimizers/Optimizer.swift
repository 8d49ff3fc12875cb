import NeuralNetwork
import TensorCore

/// An update rule applied parameter by parameter, with per-parameter state (momentum buffers, moments).
///
/// `step` skips frozen parameters, buffers and parameters without a gradient, and replaces each updated
/// parameter's `value` with a new trainable leaf. State is keyed by parameter identity.
public protocol Optimizer: AnyObject {
    func step(_ parameters: [Parameter], gradients: Gradients, learningRate: Float)
}

/// Shared bookkeeping: named state arrays per parameter and the per-parameter loop.
open class ParameterwiseOptimizer {
    private var state: [ObjectIdentifier: [String: [Float]]] = [:]
    /// How many steps each parameter has taken (Adam's bias correction).
    private var steps: [ObjectIdentifier: Int] = [:]

    public init() {}

    /// Applies `update(weights, gradient, state, step)` to every trainable parameter with a gradient.
    func forEachParameter(_ parameters: [Parameter], gradients: Gradients,
                          _ update: (inout [Float], [Float], inout [String: [Float]], Int) -> Void) {
        for parameter in parameters where parameter.isTrainable && !parameter.isBuffer {
            guard let gradient = gradients[parameter.value] else { continue }
            let key = ObjectIdentifier(parameter)
            var weights = parameter.value.scalars()
            var parameterState = state[key] ?? [:]
            let step = (steps[key] ?? 0) + 1
            update(&weights, gradient.scalars(), &parameterState, step)
            state[key] = parameterState
            steps[key] = step
            parameter.value = Tensor(shape: parameter.shape, scalars: weights, requiresGradient: true)
        }
    }

    /// Forgets all state (e.g. after loading new weights).
    public func reset() {
        state = [:]
        steps = [:]
    }
}
