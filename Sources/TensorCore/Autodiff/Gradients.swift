/// Gradients of a scalar with respect to the leaf tensors (tensors without an origin, e.g. parameters
/// and inputs created with `requiresGradient: true`) that it depends on, keyed by tensor identity.
public struct Gradients: @unchecked Sendable {
    fileprivate var storage: [ObjectIdentifier: (tensor: Tensor, gradient: Tensor)] = [:]

    init() {}

    /// The gradient for `tensor` (same logical shape), or nil when the loss does not depend on it.
    public subscript(_ tensor: Tensor) -> Tensor? {
        storage[ObjectIdentifier(tensor)]?.gradient
    }

    /// Number of tensors with a gradient.
    public var count: Int { storage.count }

    mutating func set(_ gradient: Tensor, for tensor: Tensor) {
        storage[ObjectIdentifier(tensor)] = (tensor, gradient)
    }
}

extension Gradients {
    /// Multiplies the gradients of `tensors` (all gradients when nil) by `factor` (gradient-norm
    /// clipping, loss scaling).
    public mutating func scale(by factor: Float, only tensors: [Tensor]? = nil) {
        let selected = tensors.map { Set($0.map(ObjectIdentifier.init)) }
        for (key, entry) in storage where selected?.contains(key) ?? true {
            let (buffer, layout) = eltwise(entry.gradient, .linear(scale: factor), training: false)
            storage[key] = (entry.tensor, Tensor(shape: entry.gradient.shape, layout: layout, buffer: buffer))
        }
    }
}
