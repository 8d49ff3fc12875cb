import NeuralNetwork
import TensorCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    public init(
        beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8, weightDecay: Float = 0,
        decouplesWeightDecay: Bool = false
    ) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weightDecay = weightDecay
        self.decouplesWeightDecay = decouplesWeightDecay
    }

    public func step(_ parameters: [Parameter], gradients: Gradients, learningRate: Float) {
        forEachParameterFused(parameters, gradients: gradients) { w, g, state, step in
            let (weight, m, v) = ParameterUpdate.adam(
                weight: w, gradient: g, m: state["m"], v: state["v"], step: step, learningRate: learningRate,
                beta1: beta1, beta2: beta2, eps: eps, weightDecay: weightDecay, decouplesWeightDecay: decouplesWeightDecay)
            state["m"] = m
            state["v"] = v
            return weight
        }
    }
}

/// AdamW (decoupled weight decay) with PyTorch's default weight decay 0.01.
public final class AdamW: Adam {
    public init(beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8, weightDecay: Float = 0.01) {
        super.init(beta1: beta1, beta2: beta2, eps: eps, weightDecay: weightDecay, decouplesWeightDecay: true)
    }
}
