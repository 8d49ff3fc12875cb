/// Per-channel normalisation of 8-bit RGB into planar floats: `x[c] = (pixel[c] / 255 - mean[c]) / std[c]`.
///
/// The arithmetic is done in Float32 in that order, like torchvision's `ToTensor` + `Normalize`, so
/// results are bit-identical to PyTorch's for the same pixels.
public struct Normalization: Sendable, Hashable {
    public var mean: [Float]
    public var std: [Float]

    public init(mean: [Float], std: [Float]) {
        precondition(mean.count == 3 && std.count == 3, "Normalization: needs 3 means and 3 stds")
        precondition(std.allSatisfy { $0 > 0 }, "Normalization: std must be positive")
        self.mean = mean
        self.std = std
    }

    /// mean 0.5, std 0.5: `x = pixel / 255 * 2 - 1` in [-1, 1] (EfficientNet-Lite, Inception-style).
    public static let symmetric = Normalization(mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5])
    /// torchvision's ImageNet statistics (ResNet, MobileNetV2).
    public static let imageNet = Normalization(mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])
    /// TensorFlow Lite's `(pixel - 127) / 128`, as mean 127/255, std 128/255.
    public static let tensorFlowLite = Normalization(
        mean: [127.0 / 255, 127.0 / 255, 127.0 / 255], std: [128.0 / 255, 128.0 / 255, 128.0 / 255])
    /// `x = pixel / 255`, no centring.
    public static let unit = Normalization(mean: [0, 0, 0], std: [1, 1, 1])

    /// The image as a `[3, height, width]` (CHW) buffer.
    public func chw(_ image: RGBImage) -> [Float] {
        var output = [Float](repeating: 0, count: 3 * image.width * image.height)
        output.withUnsafeMutableBufferPointer { write(image, into: $0) }
        return output
    }

    /// Writes the image as CHW into `destination` (exactly `3 * width * height` floats), e.g. one
    /// sample's slot of an NCHW batch.
    public func write(_ image: RGBImage, into destination: UnsafeMutableBufferPointer<Float>) {
        let plane = image.width * image.height
        precondition(
            destination.count == 3 * plane, "Normalization: destination holds \(destination.count), needs \(3 * plane)")
        // A 256-entry table per channel: the same Float32 operations as PyTorch, done once per value.
        var table = [Float](repeating: 0, count: 3 * 256)
        for channel in 0..<3 {
            for value in 0..<256 {
                table[channel * 256 + value] = (Float(value) / 255 - mean[channel]) / std[channel]
            }
        }
        image.pixels.withUnsafeBufferPointer { input in
            table.withUnsafeBufferPointer { lookup in
                for index in 0..<plane {
                    destination[index] = lookup[Int(input[index * 3])]
                    destination[plane + index] = lookup[256 + Int(input[index * 3 + 1])]
                    destination[2 * plane + index] = lookup[512 + Int(input[index * 3 + 2])]
                }
            }
        }
    }
}
