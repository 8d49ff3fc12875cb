/// How a tensor was computed: its inputs and the pullback that maps the gradient of the output to the
/// gradients of the inputs (nil for inputs that need none).
final class Origin {
    let operation: String
    let inputs: [Tensor]
    let pullback: (Tensor) -> [Tensor?]

    init(operation: String, inputs: [Tensor], pullback: @escaping (Tensor) -> [Tensor?]) {
        self.operation = operation
        self.inputs = inputs
        self.pullback = pullback
    }
}

extension Tensor {
    /// The output of an op. Records `pullback` only when an input requires a gradient, so inference
    /// builds no graph. The pullback receives the output gradient (any layout, logical shape `shape`)
    /// and returns one entry per input, in order; it may return nil for inputs that do not require a
    /// gradient and must not compute those.
    static func result(
        _ operation: String, shape: [Int], layout: Layout, buffer: Buffer, inputs: [Tensor],
        pullback: @escaping (Tensor) -> [Tensor?]
    ) -> Tensor {
        let tracked = recordsGradient(inputs)
        return Tensor(
            shape: shape, layout: layout, buffer: buffer,
            origin: tracked ? Origin(operation: operation, inputs: inputs, pullback: pullback) : nil)
    }
}

extension TensorEngine {
    /// False inside `withoutGradients`: ops then record no history (validation, feature extraction).
    @TaskLocal public static var isRecordingGradients = true

    /// Runs `body` without recording autodiff history, even for tensors that require gradients
    /// (PyTorch `torch.no_grad()`); scoped to the current task.
    public static func withoutGradients<Result>(_ body: () throws -> Result) rethrows -> Result {
        try $isRecordingGradients.withValue(false, operation: body)
    }
}

/// Whether an op on `inputs` must record a pullback (and so run oneDNN's forward_training variant).
func recordsGradient(_ inputs: [Tensor?]) -> Bool {
    TensorEngine.isRecordingGradients && inputs.contains { $0?.requiresGradient ?? false }
}
