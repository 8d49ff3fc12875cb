#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Fused optimizer updates: one pass over the raw buffers of weight, gradient and state, in the
/// gradient's layout, instead of copying everything through `[Float]` arrays.
///
/// The results are new tensors (tensors stay immutable), laid out like the gradient: a convolution
/// weight updated with its nChw16c-blocked gradient becomes blocked itself, so the next forward pass
/// uses it without a reorder. Padding lanes of blocked layouts are zero in the gradient and the state,
/// so they stay zero in every result (w − lr·0 = w = 0).
public enum ParameterUpdate {
    /// SGD as `torch.optim.SGD` on one parameter:
    ///     g ← g + weightDecay·w;  b ← g (no buffer yet) or momentum·b + (1 − dampening)·g;
    ///     g ← g + momentum·b (nesterov) or b;  w ← w − lr·g.
    /// `momentumBuffer` nil is the first step; the returned buffer is nil when `momentum` is 0.
    public static func sgd(
        weight: Tensor, gradient: Tensor, momentumBuffer: Tensor?, learningRate: Float,
        momentum: Float, dampening: Float, nesterov: Bool, weightDecay: Float
    )
        -> (weight: Tensor, momentumBuffer: Tensor?)
    {
        let layout = updateLayout(weight, gradient, "sgd")
        let count = layout.elementCapacity
        // Hold the (possibly reordered) buffers, not just their pointers: a converted buffer released
        // early would be recycled by the allocator for the outputs below.
        let weightBuffer = weight.buffer(in: layout), gradientBuffer = gradient.buffer(in: layout)
        let w = weightBuffer.floats, g = gradientBuffer.floats
        let previous = momentumBuffer.map { $0.buffer(in: layout) }
        let newWeight = CachingAllocator.current.allocate(byteCount: layout.byteCount)
        let newBuffer = momentum != 0 ? CachingAllocator.current.allocate(byteCount: layout.byteCount) : nil
        let out = newWeight.floats
        if let newBuffer {
            let b = newBuffer.floats
            let old = previous?.floats
            for i in 0..<count {
                let gi = g[i] + weightDecay * w[i]
                let bi = old.map { momentum * $0[i] + (1 - dampening) * gi } ?? gi
                b[i] = bi
                out[i] = w[i] - learningRate * (nesterov ? gi + momentum * bi : bi)
            }
        } else {
            for i in 0..<count { out[i] = w[i] - learningRate * (g[i] + weightDecay * w[i]) }
        }
        withExtendedLifetime((weightBuffer, gradientBuffer, previous)) {}
        return (
            Tensor(shape: weight.shape, layout: layout, buffer: newWeight, requiresGradient: weight.requiresGradient),
            newBuffer.map { Tensor(shape: weight.shape, layout: layout, buffer: $0) }
        )
    }

    /// Adam / AdamW as `torch.optim.Adam` / `AdamW` on one parameter, at 1-based step `step`:
    ///     L2: g ← g + weightDecay·w;  decoupled: w ← w·(1 − lr·weightDecay);
    ///     m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²;
    ///     w ← w − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + eps).
    /// `m`, `v` nil are zeros (first step).
    public static func adam(
        weight: Tensor, gradient: Tensor, m: Tensor?, v: Tensor?, step: Int, learningRate: Float,
        beta1: Float, beta2: Float, eps: Float, weightDecay: Float, decouplesWeightDecay: Bool
    )
        -> (weight: Tensor, m: Tensor, v: Tensor)
    {
        require(step >= 1, "ParameterUpdate.adam: step must be 1-based, got \(step)")
        let layout = updateLayout(weight, gradient, "adam")
        let count = layout.elementCapacity
        let weightBuffer = weight.buffer(in: layout), gradientBuffer = gradient.buffer(in: layout)
        let w = weightBuffer.floats, g = gradientBuffer.floats
        let oldM = m.map { $0.buffer(in: layout) }, oldV = v.map { $0.buffer(in: layout) }
        let newWeight = CachingAllocator.current.allocate(byteCount: layout.byteCount)
        let newM = CachingAllocator.current.allocate(byteCount: layout.byteCount)
        let newV = CachingAllocator.current.allocate(byteCount: layout.byteCount)
        let correction1 = 1 - Float(pow(Double(beta1), Double(step)))
        let correction2 = 1 - Float(pow(Double(beta2), Double(step)))
        let stepSize = learningRate / correction1
        let root2 = correction2.squareRoot()
        let decay = decouplesWeightDecay ? 1 - learningRate * weightDecay : 1
        let l2 = decouplesWeightDecay ? 0 : weightDecay
        let out = newWeight.floats, mOut = newM.floats, vOut = newV.floats
        let mIn = oldM?.floats, vIn = oldV?.floats
        for i in 0..<count {
            let wi = weightDecay != 0 && decouplesWeightDecay ? w[i] * decay : w[i]
            let gi = l2 != 0 ? g[i] + l2 * w[i] : g[i]
            let mi = beta1 * (mIn?[i] ?? 0) + (1 - beta1) * gi
            let vi = beta2 * (vIn?[i] ?? 0) + (1 - beta2) * gi * gi
            mOut[i] = mi
            vOut[i] = vi
            out[i] = wi - stepSize * mi / (vi.squareRoot() / root2 + eps)
        }
        withExtendedLifetime((weightBuffer, gradientBuffer, oldM, oldV)) {}
        return (
            Tensor(shape: weight.shape, layout: layout, buffer: newWeight, requiresGradient: weight.requiresGradient),
            Tensor(shape: weight.shape, layout: layout, buffer: newM), Tensor(shape: weight.shape, layout: layout, buffer: newV)
        )
    }

    /// The gradient's layout when it describes the weight's logical shape, else plain.
    private static func updateLayout(_ weight: Tensor, _ gradient: Tensor, _ name: String) -> Layout {
        require(
            weight.shape == gradient.shape,
            "ParameterUpdate.\(name): weight \(weight.shape) and gradient \(gradient.shape) differ")
        let shape = weight.shape.isEmpty ? [1] : weight.shape
        return gradient.layout.dimensions == shape && gradient.layout.isFloat32 ? gradient.layout : .plain(weight.shape)
    }
}
