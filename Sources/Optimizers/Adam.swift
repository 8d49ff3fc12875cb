#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NeuralNetwork
import TensorCore

/// Adam (`torch.optim.Adam`, L2 weight decay added to the gradient) and AdamW (`torch.optim.AdamW`,
/// decoupled decay w ← w·(1 − lr·weightDecay) before the update):
///     m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²;
///     w ← w − lr · (m / (1 − β1ᵗ)) / (√(v / (1 − β2ᵗ)) + eps).
public class Adam: ParameterwiseOptimizer, Optimizer {
    public var beta1: Float
    public var beta2: Float
    public var eps: Float
    public var weightDecay: Float
    /// Decoupled weight decay (AdamW) instead of L2 on the gradient.
    public let decouplesWeightDecay: Bool

    public init(beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8, weightDecay: Float = 0,
                decouplesWeightDecay: Bool = false) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weightDecay = weightDecay
        self.decouplesWeightDecay = decouplesWeightDecay
    }

    public func step(_ parameters: [Parameter], gradients: Gradients, learningRate: Float) {
        forEachParameter(parameters, gradients: gradients) { w, gradient, state, step in
            var g = gradient
            if weightDecay != 0 {
                if decouplesWeightDecay {
                    for i in w.indices { w[i] *= 1 - learningRate * weightDecay }
                } else {
                    for i in g.indices { g[i] += weightDecay * w[i] }
                }
            }
            var m = state["m"] ?? [Float](repeating: 0, count: g.count)
            var v = state["v"] ?? [Float](repeating: 0, count: g.count)
            for i in g.indices {
                m[i] = beta1 * m[i] + (1 - beta1) * g[i]
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
            }
            state["m"] = m
            state["v"] = v
            let correction1 = 1 - Float(pow(Double(beta1), Double(step)))
            let correction2 = 1 - Float(pow(Double(beta2), Double(step)))
            let stepSize = learningRate / correction1
            let root2 = correction2.squareRoot()
            for i in w.indices { w[i] -= stepSize * m[i] / (v[i].squareRoot() / root2 + eps) }
        }
    }
}

/// AdamW (decoupled weight decay) with PyTorch's default weight decay 0.01.
public final class AdamW: Adam {
    public init(beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8, weightDecay: Float = 0.01) {
        super.init(beta1: beta1, beta2: beta2, eps: eps, weightDecay: weightDecay, decouplesWeightDecay: true)
    }
}
