import ArgumentParser
import TensorCore

/// `--precision f32|bf16` of `predict` and `serve`: the arithmetic of the model's convolutions
/// (`ComputePrecision`). bf16 pays on CPUs with AVX-512 BF16 (or AMX); elsewhere oneDNN emulates it.
enum PrecisionOption: String, ExpressibleByArgument, CaseIterable {
    case f32, bf16

    var compute: ComputePrecision { self == .bf16 ? .bfloat16 : .float32 }
}
