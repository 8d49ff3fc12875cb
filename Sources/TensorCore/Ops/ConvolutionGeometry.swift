/// Every number that describes one 2-D convolution, checked once.
struct ConvolutionGeometry: Hashable {
    let batch: Int
    let inputChannels: Int
    let inputHeight: Int
    let inputWidth: Int
    let outputChannels: Int
    let kernelHeight: Int
    let kernelWidth: Int
    let stride: Int
    let padding: Padding2D
    let groups: Int
    let hasBias: Bool

    /// Validates `input` [N, C, H, W], `weight` [O, C/groups, KH, KW] and `bias` [O]; stops with a
    /// message naming the shapes on misuse.
    init(input: Tensor, weight: Tensor, bias: Tensor?, stride: Int, padding: Padding2D, groups: Int) {
        let (n, c, h, w) = input.nchw("conv2d")
        require(weight.shape.count == 4, "conv2d: weight must be 4-D [O, C/groups, KH, KW], got \(weight.shape)")
        require(stride >= 1, "conv2d: stride must be >= 1, got \(stride)")
        require(
            groups >= 1 && c % groups == 0 && weight.shape[0] % groups == 0,
            "conv2d: groups \(groups) must divide input channels \(c) and output channels \(weight.shape[0])")
        require(
            weight.shape[1] * groups == c,
            "conv2d: weight \(weight.shape) with groups \(groups) expects \(weight.shape[1] * groups) input channels, input is \(input.shape)")
        if let bias {
            require(bias.shape == [weight.shape[0]], "conv2d: bias must be [\(weight.shape[0])], got \(bias.shape)")
        }
        batch = n
        inputChannels = c
        inputHeight = h
        inputWidth = w
        outputChannels = weight.shape[0]
        kernelHeight = weight.shape[2]
        kernelWidth = weight.shape[3]
        self.stride = stride
        self.padding = padding
        self.groups = groups
        hasBias = bias != nil
        require(
            outputHeight >= 1 && outputWidth >= 1,
            "conv2d: input \(input.shape) with kernel \(kernelHeight)x\(kernelWidth), stride \(stride), \(padding) gives an empty output")
    }

    /// The numbers themselves, for convolutions the engine sets up without tensors (probes).
    init(
        batch: Int, inputChannels: Int, inputHeight: Int, inputWidth: Int, outputChannels: Int, kernelHeight: Int,
        kernelWidth: Int, stride: Int, padding: Padding2D, groups: Int, hasBias: Bool
    ) {
        self.batch = batch
        self.inputChannels = inputChannels
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.outputChannels = outputChannels
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.stride = stride
        self.padding = padding
        self.groups = groups
        self.hasBias = hasBias
    }

    var outputHeight: Int { (inputHeight + padding.top + padding.bottom - kernelHeight) / stride + 1 }
    var outputWidth: Int { (inputWidth + padding.left + padding.right - kernelWidth) / stride + 1 }

    /// One filter per channel (MobileNet-style depthwise convolution).
    var isDepthwise: Bool { groups > 1 && groups == inputChannels && groups == outputChannels }

    var sourceDimensions: [Int] { [batch, inputChannels, inputHeight, inputWidth] }
    var destinationDimensions: [Int] { [batch, outputChannels, outputHeight, outputWidth] }
    var weightShape: [Int] { [outputChannels, inputChannels / groups, kernelHeight, kernelWidth] }
    /// oneDNN's weight dimensions: grouped convolutions take [G, O/G, C/G, KH, KW], the same memory as
    /// the plain OIHW tensor.
    var weightDimensions: [Int] {
        groups == 1
            ? weightShape
            : [groups, outputChannels / groups, inputChannels / groups, kernelHeight, kernelWidth]
    }

    var strides: [Int64] { [Int64(stride), Int64(stride)] }
    var paddingBefore: [Int64] { [Int64(padding.top), Int64(padding.left)] }
    var paddingAfter: [Int64] { [Int64(padding.bottom), Int64(padding.right)] }

    var key: String {
        "n\(batch)c\(inputChannels)h\(inputHeight)w\(inputWidth)o\(outputChannels)k\(kernelHeight)x\(kernelWidth)"
            + "s\(stride)p\(padding.top),\(padding.left),\(padding.bottom),\(padding.right)g\(groups)b\(hasBias)"
    }
}
