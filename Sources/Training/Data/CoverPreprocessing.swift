import Foundation
import Imaging
import Models
import NeuralNetwork

/// `ImageTransforming` on real files, with the Imaging module: the pretrained weights' evaluation
/// preprocessing and a cover-friendly training augmentation.
///
/// Augmentation is gentler than ImageNet's recipe on purpose: a cover's layout and colours are the
/// genre signal, so crops keep at least 60 % of the area, aspect changes are small, and colour
/// jitter leaves hue alone and moves saturation only slightly.
public struct CoverPreprocessing: ImageTransforming {
    public let input: InputSpecification
    let evaluation: PretrainedPreprocessing
    let augmentation: TrainingAugmentation
    let decoder: ImageDecoder

    /// `mirrored` mirrors the evaluation crop left to right (a test-time view); training is unchanged.
    public init(input: InputSpecification, mirrored: Bool = false, decodeLimits: DecodeLimits = .covers) {
        self.input = input
        let size = ImageSize(width: input.size, height: input.size)
        let normalization = Normalization(mean: input.mean, std: input.std)
        evaluation = PretrainedPreprocessing(
            resizeShorterSide: input.resizeShorterSide, cropSize: size, filter: .bicubic, normalization: normalization, mirrored: mirrored)
        augmentation = TrainingAugmentation(
            outputSize: size, crop: RandomResizedCrop(scale: 0.6...1, ratio: 0.85...1.18), filter: .bilinear,
            horizontalFlipProbability: 0.5, colorJitter: ColorJitter(brightness: 0.2, contrast: 0.2, saturation: 0.1),
            normalization: normalization)
        decoder = ImageDecoder(limits: decodeLimits)
    }

    public var size: Int { input.size }

    public var cacheDescription: String {
        "input=\(input.size) shorter=\(input.resizeShorterSide) mean=\(input.mean) std=\(input.std) eval=bicubic-center\(evaluation.mirrored ? "-mirrored" : "") aug=rrc0.6-flip-jitter0.2/0.2/0.1 v1"
    }

    private func decode(_ url: URL) throws -> RGBImage {
        // Let libjpeg-turbo downscale in the DCT domain when the file is much larger than needed.
        try decoder.decode(contentsOf: url, minimumSize: ImageSize(width: input.resizeShorterSide, height: input.resizeShorterSide))
    }

    public func evaluationInput(for url: URL) throws -> [Float] {
        evaluation(try decode(url))
    }

    public func trainingInput(for url: URL, generator: inout SplitMix64) throws -> [Float] {
        var imagingGenerator = Imaging.Xoshiro256StarStar(seed: generator.next())
        return augmentation.tensor(try decode(url), generator: &imagingGenerator)
    }
}
