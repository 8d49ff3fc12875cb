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
    public func rectangle(for size: ImageSize, generator: inout Xoshiro256StarStar) -> (x: Int, y: Int, size: ImageSize) {
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

/// Random brightness, contrast, saturation and hue changes applied in a random order, like
/// torchvision's `ColorJitter`. Brightness, contrast and saturation factors are drawn from
/// `[max(0, 1 - s), 1 + s]`; the hue shift from `[-hue, hue]` (a fraction of the colour wheel,
/// at most 0.5). See `RGBImage.adjustingBrightness(by:)` and its siblings for the maths.
public struct ColorJitter: Sendable, Hashable {
    public var brightness: Double
    public var contrast: Double
    public var saturation: Double
    public var hue: Double

    public init(brightness: Double = 0, contrast: Double = 0, saturation: Double = 0, hue: Double = 0) {
        precondition(brightness >= 0 && contrast >= 0 && saturation >= 0, "ColorJitter: strengths must be ≥ 0")
        precondition((0...0.5).contains(hue), "ColorJitter: hue must be in 0...0.5")
        self.brightness = brightness
        self.contrast = contrast
        self.saturation = saturation
        self.hue = hue
    }

    /// Applies the enabled adjustments. Draws the order first, then one factor per adjustment.
    public func apply(to image: RGBImage, generator: inout Xoshiro256StarStar) -> RGBImage {
        var result = image
        for step in generator.permutation(of: 4) {
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
            case 3 where hue > 0:
                result = result.shiftingHue(by: generator.nextDouble(in: -hue...hue))
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

    public func transformed(_ image: RGBImage, generator: inout Xoshiro256StarStar) -> RGBImage {
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
