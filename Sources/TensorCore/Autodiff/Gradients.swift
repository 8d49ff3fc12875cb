/// Gradients of a scalar with respect to the leaf tensors (tensors without an origin, e.g. parameters
/// and inputs created with `requiresGradient: true`) that it depends on, keyed by tensor identity.
public struct Gradients: @unchecked Sendable {
    private var storage: [ObjectIdentifier: (tensor: Tensor, gradient: Tensor)] = [:]

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
