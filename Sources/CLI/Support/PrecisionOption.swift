import ArgumentParser
import TensorCore

/// `--precision f32|bf16` of `predict` and `serve`: the arithmetic of the model's convolutions
/// (`ComputePrecision`). bf16 pays on CPUs with AVX-512 BF16 (or AMX); other AVX-512 CPUs emulate it,
/// and oneDNN has no bf16 convolutions below AVX-512, where bf16 is refused with a message.
enum PrecisionOption: String, ExpressibleByArgument, CaseIterable {
    case f32, bf16

    var compute: ComputePrecision {
        get throws {
            guard self == .bf16 else { return .float32 }
            guard TensorEngine.supportsBFloat16 else {
                throw ValidationError(
                    "--precision bf16 needs bf16 convolutions, which oneDNN \(TensorEngine.oneDNNVersion) "
                        + "does not have on this CPU (\(TensorEngine.cpuInstructionSet)); use --precision f32")
            }
            return .bfloat16
        }
    }
}
