import Foundation

/// torchvision's `RandomResizedCrop` parameters: a crop covering a random fraction `scale` of the
/// area with a log-uniform aspect ratio in `ratio`, resized to the output size.
public struct RandomResizedCrop: Sendable, Hashable {
    public var scale: ClosedRange<Double>
    public var ratio: ClosedRange<Double>

    public init(scale: ClosedRange<Double> = 0.08...1, ratio: ClosedRange<Double> = (3.0 / 4)...(4.0 / 3)) {
        precondition(scale.lowerBound > 0 && scale.upperBound <= 1, "RandomResizedCrop: scale must be in (0, 1]")
        precondition(ratio.lowerBound > 0, "RandomResizedCrop: ratio must be positive")
        self.scale = scale
        self.ratio = ratio
    }

    /// The crop rectangle (x, y, size) for an image of `size`, as torchvision's `get_params`:
    /// up to 10 tries of area `A * U(scale)` and ratio `exp(U(log ratio))`; sides rounded to
    /// nearest; otherwise the largest centred crop whose ratio is clamped into `ratio`.
    public func rectangle(for size: ImageSize, generator: inout SeededGenerator) -> (x: Int, y: Int, size: ImageSize) {
        let area = Double(size.width * size.height)
        let logRatio = log(ratio.lowerBound)...log(ratio.upperBound)
        for _ in 0..<10 {
            let targetArea = area * generator.nextDouble(in: scale)
            let aspect = exp(generator.nextDouble(in: logRatio))
            let width = Int((targetArea * aspect).squareRoot().rounded(.toNearestOrEven))
            let height = Int((targetArea / aspect).squareRoot().rounded(.toNearestOrEven))
            if width > 0 && width <= size.width && height > 0 && height <= size.height {
                let y = generator.nextInt(below: size.height - height + 1)
                let x = generator.nextInt(below: size.width - width + 1)
                return (x, y, ImageSize(width: width, height: height))
            }
        }
        let imageRatio = Double(size.width) / Double(size.height)
        var width = size.width
        var height = size.height
        if imageRatio < ratio.lowerBound {
            height = max(1, Int((Double(width) / ratio.lowerBound).rounded(.toNearestOrEven)))
        } else if imageRatio > ratio.upperBound {
            width = max(1, Int((Double(height) * ratio.upperBound).rounded(.toNearestOrEven)))
        }
        return ((size.width - width) / 2, (size.height - height) / 2, ImageSize(width: width, height: height))
    }
}

/// Random brightness, contrast and saturation changes applied in a random order, like
/// torchvision's `ColorJitter` (without hue). Each factor is drawn from `[max(0, 1 - s), 1 + s]`.
///
/// On 8-bit pixels, rounding to nearest and clipping after each step (as PIL's enhancers):
/// brightness `v·f`; contrast `m + f·(v - m)` with `m` the image's mean luma; saturation
/// `L + f·(v - L)` with `L = 0.299 R + 0.587 G + 0.114 B` of the pixel.
public struct ColorJitter: Sendable, Hashable {
    public var brightness: Double
    public var contrast: Double
    public var saturation: Double

    public init(brightness: Double = 0, contrast: Double = 0, saturation: Double = 0) {
        precondition(brightness >= 0 && contrast >= 0 && saturation >= 0, "ColorJitter: strengths must be ≥ 0")
        self.brightness = brightness
        self.contrast = contrast
        self.saturation = saturation
    }

    /// Applies the enabled adjustments. Draws the order first, then one factor per adjustment.
    public func apply(to image: RGBImage, generator: inout SeededGenerator) -> RGBImage {
        var result = image
        for step in generator.permutation(of: 3) {
            switch step {
            case 0 where brightness > 0:
                let factor = generator.nextDouble(in: max(0, 1 - brightness)...(1 + brightness))
                result = result.adjustingBrightness(by: factor)
            case 1 where contrast > 0:
                let factor = generator.nextDouble(in: max(0, 1 - contrast)...(1 + contrast))
                result = result.adjustingContrast(by: factor)
            case 2 where saturation > 0:
                let factor = generator.nextDouble(in: max(0, 1 - saturation)...(1 + saturation))
                result = result.adjustingSaturation(by: factor)
            default:
                break
            }
        }
        return result
    }
}

/// The usual training augmentation: random resized crop → horizontal flip → colour jitter →
/// normalisation. Defaults follow torchvision's ImageNet recipe at 224x224 (bilinear resize).
public struct TrainingAugmentation: ImageTransform, Hashable {
    public var outputSize: ImageSize
    public var crop: RandomResizedCrop
    public var filter: ResampleFilter
    public var horizontalFlipProbability: Double
    public var colorJitter: ColorJitter?
    public var normalization: Normalization

    public init(
        outputSize: ImageSize = ImageSize(width: 224, height: 224), crop: RandomResizedCrop = RandomResizedCrop(),
        filter: ResampleFilter = .bilinear, horizontalFlipProbability: Double = 0.5,
        colorJitter: ColorJitter? = ColorJitter(brightness: 0.4, contrast: 0.4, saturation: 0.4),
        normalization: Normalization = .symmetric
    ) {
        self.outputSize = outputSize
        self.crop = crop
        self.filter = filter
        self.horizontalFlipProbability = horizontalFlipProbability
        self.colorJitter = colorJitter
        self.normalization = normalization
    }

    public func transformed(_ image: RGBImage, generator: inout SeededGenerator) -> RGBImage {
        let rectangle = crop.rectangle(for: ImageSize(width: image.width, height: image.height), generator: &generator)
        let region = SourceRegion(
            left: Double(rectangle.x), top: Double(rectangle.y),
            right: Double(rectangle.x + rectangle.size.width), bottom: Double(rectangle.y + rectangle.size.height))
        var result = image.resized(to: outputSize, filter: filter, region: region)
        if generator.nextBool(probability: horizontalFlipProbability) {
            result = result.horizontallyFlipped()
        }
        if let colorJitter {
            result = colorJitter.apply(to: result, generator: &generator)
        }
        return result
    }
}

extension RGBImage {
    /// Every channel multiplied by `factor`, rounded and clipped.
    public func adjustingBrightness(by factor: Double) -> RGBImage {
        mapping { value in Double(value) * factor }
    }

    /// Blended with its mean luma: `m + factor · (v - m)`.
    public func adjustingContrast(by factor: Double) -> RGBImage {
        var total = 0
        pixels.withUnsafeBufferPointer { input in
            for index in stride(from: 0, to: input.count, by: 3) { total += Self.fixedLuma(input, index) }
        }
        let mean = Double(total) / Double(1 << 16) / Double(width * height)
        return mapping { value in mean + factor * (Double(value) - mean) }
    }

    /// Blended with each pixel's luma: `L + factor · (v - L)`; 0 gives greyscale.
    ///
    /// Fixed point (luma weights and factor scaled by 2^16), so the result can differ from the
    /// real-valued formula by one level where it lands on a half.
    public func adjustingSaturation(by factor: Double) -> RGBImage {
        let scaledFactor = Int((factor * 65536).rounded())
        var output = pixels
        pixels.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                for index in stride(from: 0, to: input.count, by: 3) {
                    let gray = Self.fixedLuma(input, index)  // luma · 2^16
                    for channel in index..<(index + 3) {
                        let difference = (Int(input[channel]) << 16) - gray
                        let blended = gray + ((difference * scaledFactor) >> 16)
                        out[channel] = UInt8(clamping: (blended + 32768) >> 16)
                    }
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: output)
    }

    /// ITU-R 601 luma of the pixel starting at byte `index`.
    @inline(__always)
    func luma(at index: Int) -> Double {
        0.299 * Double(pixels[index]) + 0.587 * Double(pixels[index + 1]) + 0.114 * Double(pixels[index + 2])
    }

    /// ITU-R 601 luma scaled by 2^16 (weights 19595, 38470, 7471 sum to 65536).
    @inline(__always)
    static func fixedLuma(_ pixels: UnsafeBufferPointer<UInt8>, _ index: Int) -> Int {
        19595 * Int(pixels[index]) + 38470 * Int(pixels[index + 1]) + 7471 * Int(pixels[index + 2])
    }

    /// Applies a per-value function through a 256-entry table.
    private func mapping(_ transform: (UInt8) -> Double) -> RGBImage {
        let table = (0...255).map { roundedByte(transform(UInt8($0))) }
        var output = pixels
        table.withUnsafeBufferPointer { lookup in
            output.withUnsafeMutableBufferPointer { out in
                for index in out.indices { out[index] = lookup[Int(out[index])] }
            }
        }
        return RGBImage(width: width, height: height, pixels: output)
    }
}

@inline(__always)
func roundedByte(_ value: Double) -> UInt8 {
    UInt8(clamping: Int((value).rounded()))
}
