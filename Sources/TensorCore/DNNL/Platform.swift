import CDNNL

extension TensorEngine {
    /// The oneDNN the engine runs on, e.g. "3.2.0 (compiled against 3.2.0)". Both versions are given
    /// because the build and the loaded library could in principle differ (an rpath or
    /// `LD_LIBRARY_PATH` pointing elsewhere); they must share the major version.
    public static var oneDNNVersion: String {
        "\(versionString(agdnnl_runtime_version())) (compiled against \(versionString(agdnnl_compiled_version())))"
    }

    /// The instruction set oneDNN dispatches to, after `ONEDNN_MAX_CPU_ISA`, e.g. `cpu_isa_avx512_core_bf16`
    /// or `cpu_isa_avx2`.
    public static var cpuInstructionSet: String {
        String(cString: dnnl_cpu_isa2str(dnnl_get_effective_cpu_isa()))
    }

    /// The channel block oneDNN's convolutions keep activations in on this CPU: 16 (nChw16c) with
    /// AVX-512, 8 (nChw8c) with AVX2; nil where it picks no channel-blocked layout (e.g. NHWC). Asked
    /// of oneDNN once, by letting a representative convolution choose its destination layout.
    public static var activationChannelBlock: Int? { probedActivationChannelBlock }

    /// Whether oneDNN has bf16 convolutions on this CPU (AVX-512 or newer; oneDNN 2.6 has none for AVX2),
    /// i.e. whether `ComputePrecision.bfloat16` can run at all. Asked of oneDNN once.
    public static var supportsBFloat16: Bool { probedBFloat16Support }

    private static func versionString(_ version: Int32) -> String {
        "\(version / 10000).\(version / 100 % 100).\(version % 100)"
    }
}

/// The probe behind `TensorEngine.activationChannelBlock`: a 3×3 convolution of 32 channels on a 14×14
/// map (the shape of a mid-network layer) with every layout left to oneDNN.
private let probedActivationChannelBlock: Int? = {
    let geometry = ConvolutionGeometry(
        batch: 2, inputChannels: 32, inputHeight: 14, inputWidth: 14, outputChannels: 32,
        kernelHeight: 3, kernelWidth: 3, stride: 1, padding: .symmetric(1), groups: 1,
        hasBias: false)
    return Convolution.forwardPrimitive(geometry, training: true).layout(DNNL_ARG_DST).channelBlock
}()

/// The probe behind `TensorEngine.supportsBFloat16`: whether oneDNN can create a bf16 convolution.
private let probedBFloat16Support: Bool = {
    let source = Layout.any([2, 32, 14, 14], dataType: dnnl_bf16), destination = Layout.any([2, 32, 14, 14], dataType: dnnl_bf16)
    let weights = Layout.any([32, 32, 3, 3], dataType: dnnl_bf16)
    var attributes: dnnl_primitive_attr_t?
    guard dnnl_primitive_attr_create(&attributes) == dnnl_success else { return false }
    defer { dnnl_primitive_attr_destroy(attributes) }
    var descriptor: dnnl_primitive_desc_t?
    let status = agdnnl_convolution_forward_pd_create(
        &descriptor, DNNLContext.shared.engine, dnnl_forward_training,
        source.handle, weights.handle, nil, destination.handle, [1, 1], [1, 1],
        [1, 1], attributes)
    if let descriptor { dnnl_primitive_desc_destroy(descriptor) }
    return status == dnnl_success
}()
