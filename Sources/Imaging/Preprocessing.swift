/// The evaluation preprocessing of ImageNet-pretrained models: resize the shorter side to
/// `resizeShorterSide` (Pillow bicubic by default), centre-crop `cropSize`, normalise to CHW floats.
///
/// The defaults are the canonical EfficientNet-Lite0 pipeline (256, 224, bicubic, mean = std = 0.5),
/// the same as timm's `Resize(256, bicubic) → CenterCrop(224) → ToTensor → Normalize` on a PIL image.
public struct PretrainedPreprocessing: Sendable, Hashable {
    public var resizeShorterSide: Int
    public var cropSize: ImageSize
    public var filter: ResampleFilter
    public var normalization: Normalization
    /// Mirror the crop left to right (a test-time view).
    public var mirrored: Bool

    public init(
        resizeShorterSide: Int = 256, cropSize: ImageSize = ImageSize(width: 224, height: 224),
        filter: ResampleFilter = .bicubic, normalization: Normalization = .symmetric, mirrored: Bool = false
    ) {
        self.resizeShorterSide = resizeShorterSide
        self.cropSize = cropSize
        self.filter = filter
        self.normalization = normalization
        self.mirrored = mirrored
    }

    /// The resized and cropped 8-bit image (`cropSize`), before normalisation.
    public func croppedImage(_ image: RGBImage) -> RGBImage {
        let cropped = centerCrop(image)
        return mirrored ? cropped.horizontallyFlipped() : cropped
    }

    private func centerCrop(_ image: RGBImage) -> RGBImage {
        let resizedSize = image.sizeWithShorterSide(resizeShorterSide)
        let origin = resizedSize.centerCropOrigin(for: cropSize)
        if origin.x >= 0 && origin.y >= 0 {  // resample only the pixels the crop keeps
            return image.resized(to: resizedSize, filter: filter, thenCroppedTo: (origin.x, origin.y, cropSize))
        }
        return image.resized(to: resizedSize, filter: filter).centerCropped(to: cropSize)
    }

    /// The `[3, cropHeight, cropWidth]` float input of one image.
    public func callAsFunction(_ image: RGBImage) -> [Float] {
        normalization.chw(croppedImage(image))
    }
}
