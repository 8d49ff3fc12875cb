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
    fileprivate(set) var state: [ObjectIdentifier: [String: [Float]]] = [:]
    /// State of the fused updates (`ParameterUpdate`), kept as tensors in the gradient's layout.
    fileprivate(set) var tensorState: [ObjectIdentifier: [String: Tensor]] = [:]
    /// How many steps each parameter has taken (Adam's bias correction).
    fileprivate(set) var steps: [ObjectIdentifier: Int] = [:]

    public init() {}

    /// Applies `update(weights, gradient, state, step)` to every trainable parameter with a gradient.
    func forEachParameter(
        _ parameters: [Parameter], gradients: Gradients,
        _ update: (inout [Float], [Float], inout [String: [Float]], Int) -> Void
    ) {
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

    /// Applies a fused update `update(weight, gradient, state, step) -> new weight` (see
    /// `ParameterUpdate`) to every trainable parameter with a gradient: no `[Float]` copies, and the
    /// weight takes the gradient's layout. State restored from a checkpoint (`[Float]`) moves to tensors.
    func forEachParameterFused(
        _ parameters: [Parameter], gradients: Gradients,
        _ update: (Tensor, Tensor, inout [String: Tensor], Int) -> Tensor
    ) {
        for parameter in parameters where parameter.isTrainable && !parameter.isBuffer {
            guard let gradient = gradients[parameter.value] else { continue }
            let key = ObjectIdentifier(parameter)
            var parameterState = tensorState[key] ?? [:]
            if let restored = state.removeValue(forKey: key) {
                for (name, values) in restored { parameterState[name] = Tensor(shape: parameter.shape, scalars: values) }
            }
            let step = (steps[key] ?? 0) + 1
            let updated = update(parameter.value, gradient, &parameterState, step)
            tensorState[key] = parameterState
            steps[key] = step
            parameter.value = updated.requiringGradient(true)
        }
    }

    /// Forgets all state (e.g. after loading new weights).
    public func reset() {
        state = [:]
        tensorState = [:]
        steps = [:]
    }
}

/// Optimizer state that can be checkpointed, so a resumed run continues with the same moments.
public protocol CheckpointableOptimizer: Optimizer {
    /// Every state array, keyed `"<state>.<path>"` (e.g. `"m.features.0.0.weight"`), plus the step
    /// count of each parameter as `"step.<path>"`.
    func stateDict(names: [(path: String, parameter: Parameter)]) -> [String: [Float]]
    /// Restores what `stateDict` returned, matching parameters by path.
    func loadStateDict(_ state: [String: [Float]], names: [(path: String, parameter: Parameter)])
}

extension ParameterwiseOptimizer {
    public func stateDict(names: [(path: String, parameter: Parameter)]) -> [String: [Float]] {
        var result: [String: [Float]] = [:]
        for (path, parameter) in names {
            let key = ObjectIdentifier(parameter)
            for (name, values) in state[key] ?? [:] { result["\(name).\(path)"] = values }
            for (name, tensor) in tensorState[key] ?? [:] { result["\(name).\(path)"] = tensor.scalars() }
            if let step = steps[key] { result["step.\(path)"] = [Float(step)] }
        }
        return result
    }

    public func loadStateDict(_ saved: [String: [Float]], names: [(path: String, parameter: Parameter)]) {
        reset()
        let byPath = Dictionary(uniqueKeysWithValues: names.map { ($0.path, ObjectIdentifier($0.parameter)) })
        for (key, values) in saved {
            guard let dot = key.firstIndex(of: ".") else { continue }
            let name = String(key[..<dot]), path = String(key[key.index(after: dot)...])
            guard let id = byPath[path] else { continue }
            if name == "step" {
                steps[id] = Int(values.first ?? 0)
            } else {
                state[id, default: [:]][name] = values
            }
        }
    }
}

extension Adam: CheckpointableOptimizer {}
extension SGD: CheckpointableOptimizer {}
extension RMSprop: CheckpointableOptimizer {}
