import CDNNL

/// The arithmetic convolutions use, and with them the element type of the activations between ops.
///
/// - `float32` (the default): everything in IEEE single precision.
/// - `bfloat16`: convolutions read bf16 activations and bf16 weights (8-bit mantissa, float32's
///   exponent range) and accumulate in f32 inside oneDNN (AVX-512 BF16 dot products, `vdpbf16ps`);
///   they write bf16. Batch norm, ReLU/ReLU6, residual additions and pooling then run on those bf16
///   activations (oneDNN computes them in f32 internally and rounds the result), so the activations stay
///   bf16 in the blocked layout from the first convolution to the global pooling: half the memory
///   traffic and no conversion around each op. Everything that leaves the convolutional part is f32
///   again: pooled features, `linear`, losses, `scalars()`. Parameters and their gradients stay f32
///   (weights are converted to bf16 once per weight tensor, i.e. once for inference, once per step in
///   training); batch-norm statistics, scale and shift are f32.
///
/// A bf16 value keeps 8 significant bits (relative rounding error ≤ 2⁻⁸ ≈ 0.4 %), so results differ
/// from float32 by far more than float32 rounding: see Docs/EngineInternals.md for the measured effect
/// on EfficientNet-Lite0's logits. Needs an AVX-512 BF16 CPU to pay; elsewhere oneDNN emulates it.
public enum ComputePrecision: String, Sendable, Hashable, CaseIterable, Codable {
    case float32
    case bfloat16

    /// The oneDNN element type of convolution activations and weights under this precision.
    var activationDataType: dnnl_data_type_t {
        switch self {
        case .float32: dnnl_f32
        case .bfloat16: dnnl_bf16
        }
    }
}

extension TensorEngine {
    /// The precision convolutions compute in, scoped to the current task (default `.float32`):
    /// `TensorEngine.$computePrecision.withValue(.bfloat16) { model(images, mode: .inference) }`, or
    /// `TensorEngine.withComputePrecision(.bfloat16) { … }`.
    ///
    /// It is read when a convolution runs forward; its backward pass uses the same precision whatever
    /// the value at `backward()` time. Ops other than convolution follow their input's element type.
    @TaskLocal public static var computePrecision = ComputePrecision.float32

    /// Under `.bfloat16`: the element type convolutions write, and so the type of the activations
    /// between them (task-scoped, default `.bfloat16`). `.float32` converts every convolution's output
    /// back to f32, so batch norm, activations and residual additions run in f32 and each convolution
    /// converts its input to bf16 again: a little more accurate, slower (the measurements are in
    /// Docs/EngineInternals.md). Ignored under `.float32`.
    @TaskLocal public static var bfloat16ActivationPrecision = ComputePrecision.bfloat16

    /// Runs `body` with convolutions computing in `precision` (task-scoped, like `withoutGradients`).
    public static func withComputePrecision<Result>(_ precision: ComputePrecision, _ body: () throws -> Result) rethrows -> Result {
        try $computePrecision.withValue(precision, operation: body)
    }

    /// Whether this CPU has native bf16 dot products (AVX-512 BF16 or AMX), i.e. whether
    /// `.bfloat16` can be expected to run faster than `.float32`.
    public static var cpuHasNativeBFloat16: Bool {
        let isa = dnnl_get_effective_cpu_isa()
        return isa == dnnl_cpu_isa_avx512_core_bf16 || isa == dnnl_cpu_isa_avx512_core_amx
    }
}

extension Tensor {
    /// The precision the values are stored in: `.bfloat16` for activations computed under
    /// `ComputePrecision.bfloat16`, `.float32` for everything else. `scalars()` always returns f32.
    public var storagePrecision: ComputePrecision {
        layout.dataType == dnnl_bf16 ? .bfloat16 : .float32
    }
}
