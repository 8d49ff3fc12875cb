/// Turns a decoded image into a fixed-size 8-bit image (resizing, cropping, augmenting), followed by
/// a normalisation into floats. Training runs it on the prefetch thread (`BatchPrefetcher`).
public protocol ImageTransform: Sendable {
    /// The size of every image `transformed` returns.
    var outputSize: ImageSize { get }
    /// How the transformed image becomes CHW floats.
    var normalization: Normalization { get }
    /// The transformed image; all randomness comes from `generator`.
    func transformed(_ image: RGBImage, generator: inout Xoshiro256StarStar) -> RGBImage
}

extension ImageTransform {
    /// The transformed image as a `[3, outputHeight, outputWidth]` float buffer.
    public func tensor(_ image: RGBImage, generator: inout Xoshiro256StarStar) -> [Float] {
        normalization.chw(transformed(image, generator: &generator))
    }
}

extension PretrainedPreprocessing: ImageTransform {
    public var outputSize: ImageSize { cropSize }

    /// Deterministic: the generator is not used.
    public func transformed(_ image: RGBImage, generator: inout Xoshiro256StarStar) -> RGBImage {
        croppedImage(image)
    }
}
