import NeuralNetwork
import TensorCore

/// Stochastic gradient descent with momentum, as `torch.optim.SGD`:
///     g ← g + weightDecay·w;  b ← g (first step) or momentum·b + (1 − dampening)·g;
///     g ← g + momentum·b (nesterov) or b;  w ← w − lr·g.
public final class SGD: ParameterwiseOptimizer, Optimizer {
    public var momentum: Float
    public var dampening: Float
    public var nesterov: Bool
    public var weightDecay: Float

    public init(momentum: Float = 0, dampening: Float = 0, nesterov: Bool = false, weightDecay: Float = 0) {
        require(!nesterov || (momentum > 0 && dampening == 0), "SGD: Nesterov needs momentum > 0 and no dampening")
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        self.weightDecay = weightDecay
    }

    public func step(_ parameters: [Parameter], gradients: Gradients, learningRate: Float) {
        forEachParameterFused(parameters, gradients: gradients) { w, g, state, _ in
            let (weight, buffer) = ParameterUpdate.sgd(
                weight: w, gradient: g, momentumBuffer: state["momentum"], learningRate: learningRate,
                momentum: momentum, dampening: dampening, nesterov: nesterov, weightDecay: weightDecay)
            state["momentum"] = buffer
            return weight
        }
    }
}

/// RMSprop, as `torch.optim.RMSprop` (not centered):
///     g ← g + weightDecay·w;  s ← α·s + (1 − α)·g²;  d = g / (√s + eps);
///     with momentum: b ← momentum·b + d, w ← w − lr·b; else w ← w − lr·d.
public final class RMSprop: ParameterwiseOptimizer, Optimizer {
    public var alpha: Float
    public var eps: Float
    public var momentum: Float
    public var weightDecay: Float

    public init(alpha: Float = 0.99, eps: Float = 1e-8, momentum: Float = 0, weightDecay: Float = 0) {
        self.alpha = alpha
        self.eps = eps
        self.momentum = momentum
        self.weightDecay = weightDecay
    }

    public func step(_ parameters: [Parameter], gradients: Gradients, learningRate: Float) {
        forEachParameter(parameters, gradients: gradients) { w, gradient, state, _ in
            var g = gradient
            if weightDecay != 0 { for i in g.indices { g[i] += weightDecay * w[i] } }
            var square = state["square"] ?? [Float](repeating: 0, count: g.count)
            for i in g.indices { square[i] = alpha * square[i] + (1 - alpha) * g[i] * g[i] }
            state["square"] = square
            var direction = g
            for i in g.indices { direction[i] = g[i] / (square[i].squareRoot() + eps) }
            if momentum > 0 {
                var buffer = state["momentum"] ?? [Float](repeating: 0, count: g.count)
                for i in g.indices { buffer[i] = momentum * buffer[i] + direction[i] }
                state["momentum"] = buffer
                direction = buffer
            }
            for i in w.indices { w[i] -= learningRate * direction[i] }
        }
    }
}
