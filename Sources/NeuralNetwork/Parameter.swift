import TensorCore

/// A named, replaceable tensor owned by a layer: a trainable weight or a buffer (running statistics).
///
/// `value` is always a leaf; it requires a gradient exactly when the parameter is trainable, so frozen
/// layers record no autodiff history. Optimizers replace `value` after each step.
public final class Parameter {
    public var value: Tensor {
        didSet { normalise() }
    }
    /// Whether optimizers update it (and gradients flow to it). Always false for buffers.
    public var isTrainable: Bool {
        didSet { normalise() }
    }
    /// Running statistics and counters: saved and loaded, never trained.
    public let isBuffer: Bool

    public init(_ value: Tensor, isTrainable: Bool = true, isBuffer: Bool = false) {
        self.value = value
        self.isTrainable = isTrainable && !isBuffer
        self.isBuffer = isBuffer
        normalise()
    }

    /// A buffer parameter (never trainable).
    public static func buffer(_ value: Tensor) -> Parameter { Parameter(value, isTrainable: false, isBuffer: true) }

    public var shape: [Int] { value.shape }

    private func normalise() {
        let wanted = isTrainable && !isBuffer
        if value.requiresGradient != wanted || !value.isLeaf { value = value.requiringGradient(wanted) }
    }
}
