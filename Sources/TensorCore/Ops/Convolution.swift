import CDNNL

/// 2-D cross-correlation (PyTorch `torch.nn.functional.conv2d`).
///
/// - input: [N, C, H, W]; weight: [O, C/groups, KH, KW]; bias: [O].
/// - output: [N, O, OH, OW] with OH = (H + top + bottom − KH) / stride + 1 (likewise OW):
///   y[n, o, i, j] = b[o] + Σ_{c ∈ group(o), kh, kw} x[n, c, i·s − top + kh, j·s − left + kw] · w[o, c, kh, kw].
/// - `groups == C == O` is a depthwise convolution. Layouts are left to oneDNN (nChw16c for activations
///   on AVX-512 CPUs, nChw8c on AVX2 ones).
public func conv2d(
    _ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1,
    padding: Padding2D = .symmetric(0), groups: Int = 1
) -> Tensor {
    let geometry = ConvolutionGeometry(input: input, weight: weight, bias: bias, stride: stride, padding: padding, groups: groups)
    // Always the forward_training descriptor, also for inference: with forward_inference and `any`
    // layouts oneDNN 2.6 picks NHWC (brgconv / brdgmm_dw), slower for depthwise and pushing the following
    // batch norm onto a non-JIT path; forward_training keeps nChw16c (nChw8c) end-to-end at no extra cost.
    // The precision is fixed here for the backward passes too.
    let precision = TensorEngine.computePrecision
    let outputPrecision = precision == .bfloat16 ? TensorEngine.bfloat16ActivationPrecision : .float32
    let forward = Convolution.forwardPrimitive(geometry, training: true, precision: precision, output: outputPrecision)

    let sourceLayout = forward.layout(DNNL_ARG_SRC)
    let source = input.buffer(in: sourceLayout)
    let weights = Convolution.weights(weight, geometry, in: forward.layout(DNNL_ARG_WEIGHTS))
    let destinationLayout = forward.layout(DNNL_ARG_DST)
    let output = CachingAllocator.current.allocate(byteCount: destinationLayout.byteCount)
    var arguments = [
        DNNLArgument(index: DNNL_ARG_SRC, layout: sourceLayout, buffer: source),
        DNNLArgument(index: DNNL_ARG_WEIGHTS, layout: forward.layout(DNNL_ARG_WEIGHTS), buffer: weights),
        DNNLArgument(index: DNNL_ARG_DST, layout: destinationLayout, buffer: output),
    ]
    if let bias {
        arguments.append(DNNLArgument(index: DNNL_ARG_BIAS, layout: .plain(bias.shape), buffer: bias.plainBuffer()))
    }
    DNNLContext.shared.execute(forward, arguments)

    let inputs = [input, weight] + (bias.map { [$0] } ?? [])
    return .result(
        "conv2d", shape: geometry.destinationDimensions, layout: destinationLayout, buffer: output,
        inputs: inputs
    ) { gradient in
        let inputGradient =
            input.requiresGradient
            ? Convolution.backwardInput(gradient, weight: weight, geometry, precision: precision) : nil
        var weightGradient: Tensor?, biasGradient: Tensor?
        if weight.requiresGradient || (bias?.requiresGradient ?? false) {
            (weightGradient, biasGradient) = Convolution.backwardWeight(
                gradient, source: source, sourceLayout: sourceLayout, geometry, precision: precision)
        }
        return [inputGradient, weight.requiresGradient ? weightGradient : nil]
            + (bias.map { [$0.requiresGradient ? biasGradient : nil] } ?? [])
    }
}

/// oneDNN primitives and the two backward passes of `conv2d`.
///
/// Under `ComputePrecision.bfloat16` source, weights and destination (and in the backward passes the
/// gradients of source and destination) are bf16; bias and weight gradients stay f32, which oneDNN's
/// bf16 convolutions support directly (f32 accumulation).
enum Convolution {
    /// Cache-key suffix: empty for f32, so f32 keys are those of the engine before bf16 existed.
    private static func precisionKey(_ precision: ComputePrecision) -> String {
        precision == .float32 ? "" : "|\(precision.rawValue)"
    }

    /// `output`: the destination's element type when it differs from the compute precision (bf16
    /// convolutions writing f32, see `TensorEngine.bfloat16ActivationPrecision`).
    static func forwardPrimitive(
        _ g: ConvolutionGeometry, training: Bool, precision: ComputePrecision = .float32,
        output: ComputePrecision? = nil
    ) -> Primitive {
        let propagation = training ? dnnl_forward_training : dnnl_forward_inference
        let type = precision.activationDataType
        let output = output ?? precision
        let outputKey = output == precision ? "" : "|out-\(output.rawValue)"
        return PrimitiveCache.shared.primitive("conv.fwd|\(propagation.rawValue)|\(g.key)\(precisionKey(precision))\(outputKey)") {
            let source = Layout.any(g.sourceDimensions, dataType: type)
            let weights = Layout.any(g.weightDimensions, dataType: type)
            let bias = g.hasBias ? Layout.plain([g.outputChannels]) : nil
            let destination = Layout.any(g.destinationDimensions, dataType: output.activationDataType)
            return Primitive(name: "conv2d forward \(g.key)") { descriptor, engine, _, attributes in
                agdnnl_convolution_forward_pd_create(
                    &descriptor, engine, propagation, source.handle, weights.handle,
                    bias?.handle, destination.handle, g.strides, g.paddingBefore,
                    g.paddingAfter, attributes)
            }
        }
    }

    /// The OIHW weight tensor reordered into the layout a primitive wants; the copy is remembered by the
    /// weight tensor, so inference with fixed weights reorders each weight once.
    static func weights(_ weight: Tensor, _ g: ConvolutionGeometry, in layout: Layout) -> Buffer {
        if layout.dimensions == weight.shape {
            // Ungrouped: a weight already in the wanted layout (an optimizer update keeps the gradient's
            // layout, which is the forward one) is used as it is; others convert from their own layout.
            if weight.layout.isSame(as: layout) { return weight.buffer }
            return weight.rememberedBuffer(in: layout) { weight.buffer(in: layout) }
        }
        return weight.rememberedBuffer(in: layout) {
            // Grouped weights are [G, O/G, C/G, KH, KW] to oneDNN: the same memory as plain OIHW.
            Reorder.convert(weight.plainBuffer(), from: .plain(g.weightDimensions), to: layout)
        }
    }

    /// dL/dx: oneDNN backward-data (which wants the weights in its own, transposed, blocking).
    static func backwardInput(
        _ gradient: Tensor, weight: Tensor, _ g: ConvolutionGeometry,
        precision: ComputePrecision = .float32
    ) -> Tensor {
        let forward = forwardPrimitive(g, training: true, precision: precision)
        let type = precision.activationDataType
        let primitive = PrimitiveCache.shared.primitive("conv.bwd_data|\(g.key)\(precisionKey(precision))") {
            let sourceGradient = Layout.any(g.sourceDimensions, dataType: type)
            let weights = Layout.any(g.weightDimensions, dataType: type)
            let destinationGradient = Layout.any(g.destinationDimensions, dataType: type)
            return Primitive(name: "conv2d backward-data \(g.key)", hint: forward) { descriptor, engine, hint, attributes in
                agdnnl_convolution_backward_data_pd_create(
                    &descriptor, engine, sourceGradient.handle, weights.handle,
                    destinationGradient.handle, g.strides, g.paddingBefore,
                    g.paddingAfter, hint, attributes)
            }
        }
        let weightLayout = primitive.layout(DNNL_ARG_WEIGHTS)
        let weights = weights(weight, g, in: weightLayout)
        let outputGradientLayout = primitive.layout(DNNL_ARG_DIFF_DST)
        let outputGradient = gradient.buffer(in: outputGradientLayout)
        let inputGradientLayout = primitive.layout(DNNL_ARG_DIFF_SRC)
        let inputGradient = CachingAllocator.current.allocate(byteCount: inputGradientLayout.byteCount)
        DNNLContext.shared.execute(
            primitive,
            [
                DNNLArgument(index: DNNL_ARG_DIFF_DST, layout: outputGradientLayout, buffer: outputGradient),
                DNNLArgument(index: DNNL_ARG_WEIGHTS, layout: weightLayout, buffer: weights),
                DNNLArgument(index: DNNL_ARG_DIFF_SRC, layout: inputGradientLayout, buffer: inputGradient),
            ])
        return Tensor(shape: g.sourceDimensions, layout: inputGradientLayout, buffer: inputGradient)
    }

    /// dL/dw (f32) and dL/db ([O] f32, nil without bias). Depthwise filters larger than 3×3 on
    /// channel-blocked inputs (nChw16c on AVX-512, nChw8c on AVX2) go to the hand-written kernel,
    /// because oneDNN has no JIT kernel for them (bf16 sources are widened to f32 for it: the kernel is
    /// memory-bound and reads f32).
    static func backwardWeight(
        _ gradient: Tensor, source: Buffer, sourceLayout: Layout,
        _ g: ConvolutionGeometry, precision: ComputePrecision = .float32
    ) -> (Tensor, Tensor?) {
        if g.isDepthwise, max(g.kernelHeight, g.kernelWidth) > 3, TensorEngine.usesHandWrittenDepthwiseKernel,
            let block = sourceLayout.channelBlock
        {
            let floatLayout = Layout.channelBlocked(g.sourceDimensions, block: block)
            let floatSource = Reorder.convert(source, from: sourceLayout, to: floatLayout)
            let (weight, bias, _) = DepthwiseBackwardWeights.compute(gradient, source: floatSource, channelBlock: block, g)
            return (weight, bias)
        }
        let forward = forwardPrimitive(g, training: true, precision: precision)
        let type = precision.activationDataType
        let primitive = PrimitiveCache.shared.primitive("conv.bwd_weights|\(g.key)\(precisionKey(precision))") {
            let source = Layout.any(g.sourceDimensions, dataType: type)
            let weightGradient = Layout.any(g.weightDimensions)
            let biasGradient = g.hasBias ? Layout.plain([g.outputChannels]) : nil
            let destinationGradient = Layout.any(g.destinationDimensions, dataType: type)
            return Primitive(name: "conv2d backward-weights \(g.key)", hint: forward) { descriptor, engine, hint, attributes in
                agdnnl_convolution_backward_weights_pd_create(
                    &descriptor, engine, source.handle, weightGradient.handle,
                    biasGradient?.handle, destinationGradient.handle, g.strides,
                    g.paddingBefore, g.paddingAfter, hint, attributes)
            }
        }
        let wantedSourceLayout = primitive.layout(DNNL_ARG_SRC)
        let sourceData = Reorder.convert(source, from: sourceLayout, to: wantedSourceLayout)
        let outputGradientLayout = primitive.layout(DNNL_ARG_DIFF_DST)
        let outputGradient = gradient.buffer(in: outputGradientLayout)
        let weightGradientLayout = primitive.layout(DNNL_ARG_DIFF_WEIGHTS)
        let weightGradient = CachingAllocator.current.allocate(byteCount: weightGradientLayout.byteCount)
        var arguments = [
            DNNLArgument(index: DNNL_ARG_SRC, layout: wantedSourceLayout, buffer: sourceData),
            DNNLArgument(index: DNNL_ARG_DIFF_DST, layout: outputGradientLayout, buffer: outputGradient),
            DNNLArgument(index: DNNL_ARG_DIFF_WEIGHTS, layout: weightGradientLayout, buffer: weightGradient),
        ]
        var biasGradient: Tensor?
        if g.hasBias {
            let layout = Layout.plain([g.outputChannels])
            let buffer = CachingAllocator.current.allocate(byteCount: layout.byteCount)
            arguments.append(DNNLArgument(index: DNNL_ARG_DIFF_BIAS, layout: layout, buffer: buffer))
            biasGradient = Tensor(shape: [g.outputChannels], layout: layout, buffer: buffer)
        }
        DNNLContext.shared.execute(primitive, arguments)
        // Ungrouped weights: the gradient stays in oneDNN's weight layout (the forward one), so that an
        // optimizer update (`ParameterUpdate`, elementwise in the gradient's layout) yields a weight the
        // next forward pass uses without a reorder. Grouped weights are 5-D to oneDNN: back to plain OIHW.
        if weightGradientLayout.dimensions == g.weightShape {
            return (Tensor(shape: g.weightShape, layout: weightGradientLayout, buffer: weightGradient), biasGradient)
        }
        let plainWeights = Reorder.convert(weightGradient, from: weightGradientLayout, to: .plain(g.weightDimensions))
        return (Tensor(shape: g.weightShape, layout: .plain(g.weightShape), buffer: plainWeights), biasGradient)
    }
}
