import NeuralNetwork
import RunArtifacts
import TensorCore

/// A CNN that maps images to class logits through a pooled feature vector.
///
/// Splitting `features` from `classify` is what makes frozen transfer learning cheap: the backbone's
/// pooled features are computed once per image and cached, and only the head is trained on them.
/// `BatchNormFoldable`: the inference loaders (`Evaluator`, `GenrePredictor`) fold each model's batch
/// norms into its convolutions once its weights are final.
public protocol ImageClassifier: CompositeLayer {
    /// Number of classes the current head predicts.
    var classCount: Int { get }
    /// Length of the pooled feature vector the head reads.
    var featureCount: Int { get }
    /// The input the model expects: side length and normalisation.
    var inputSpecification: InputSpecification { get }
    /// State-dict path prefixes of the backbone, from the input side to the output side. Fine-tuning
    /// "the top of the base" unfreezes a suffix of this list.
    var backboneStages: [String] { get }
    /// State-dict path prefix of the replaceable classifier head (for example `_fc.` or `classifier.`).
    var headPrefix: String { get }
    /// The replaceable head: dropout (training only), then a linear layer.
    var classifier: ClassifierHead { get }
    /// Prefixes of pretrained checkpoint keys this architecture deliberately has no place for (the
    /// head convolution a statistics-pooling variant drops). Empty for most models.
    var unusedPretrainedPrefixes: [String] { get }

    /// The last convolutional activations, before pooling: `[N, 3, S, S]` → `[N, C, h, w]`.
    /// Grad-CAM reads this map and its gradient.
    func featureMap(_ images: Tensor, mode: ForwardMode) -> Tensor
    /// Feature map to feature vector: `[N, C, h, w]` → `[N, featureCount]` (global average pooling
    /// for the mobile networks; flatten and the dense layer for the study's CNN).
    func pool(_ featureMap: Tensor, mode: ForwardMode) -> Tensor
    /// The head: dropout (training only) then a linear layer. `[N, featureCount]` → `[N, classCount]`.
    func classify(_ features: Tensor, mode: ForwardMode) -> Tensor
    /// Replaces the head with a freshly initialised one for `classCount` classes.
    func replaceHead(classCount: Int, seed: UInt64)
    /// Restarts the dropout masks' random stream (called at every epoch start, so a resumed run
    /// draws the same masks as an uninterrupted one).
    func reseed(_ seed: UInt64)
}

/// How a backbone's last feature map becomes the feature vector the head reads.
public enum FeaturePooling: String, Codable, Sendable {
    /// Global average pooling: `[N, C, h, w]` → `[N, C]`.
    case average
    /// Each channel's mean and standard deviation: `[N, C, h, w]` → `[N, 2C]`.
    case meanAndStd
}

extension ImageClassifier {
    public var unusedPretrainedPrefixes: [String] { [] }

    public var classCount: Int { classifier.classCount }

    public func classify(_ features: Tensor, mode: ForwardMode) -> Tensor {
        classifier(features, mode: mode)
    }

    public func replaceHead(classCount: Int, seed: UInt64) {
        classifier.reset(classCount: classCount, seed: seed)
    }

    public func reseed(_ seed: UInt64) { classifier.reseed(seed) }

    /// Pooled backbone features. Input `[N, 3, S, S]`, output `[N, featureCount]`.
    public func features(_ images: Tensor, mode: ForwardMode) -> Tensor {
        pool(featureMap(images, mode: mode), mode: mode)
    }

    /// Logits for a batch of images: `classify(features(images))`.
    public func callAsFunction(_ images: Tensor, mode: ForwardMode) -> Tensor {
        classify(features(images, mode: mode), mode: mode)
    }
}

extension TestTimeView {
    /// Centre crop, the whole cover at the input size, and the whole cover at 4/3 of it (224 → 299):
    /// the three views that helped most in a probe on covers-dev's validation split.
    public static func standardSet(for input: InputSpecification) -> [TestTimeView] {
        [.centerCrop, .whole(side: input.size), .whole(side: Int((Double(input.size) * 4 / 3).rounded()))]
    }

    /// The input specification of this view: the same normalisation, another size and crop.
    public func input(from base: InputSpecification) -> InputSpecification {
        switch self {
        case .centerCrop: return base
        case .whole(let side):
            var input = base
            input.size = side
            input.resizeShorterSide = side
            return input
        case .mirrored(let view): return view.input(from: base)
        }
    }
}

/// What a model expects as input: a square RGB image of `size` pixels, with each channel mapped
/// as `x = (pixel / 255 - mean) / std`.
public struct InputSpecification: Codable, Hashable, Sendable {
    public var size: Int
    public var mean: [Float]
    public var std: [Float]
    /// Shorter side before the center crop at evaluation time (256 for 224 crops, as in the papers).
    public var resizeShorterSide: Int

    public init(size: Int, mean: [Float], std: [Float], resizeShorterSide: Int? = nil) {
        self.size = size
        self.mean = mean
        self.std = std
        self.resizeShorterSide = resizeShorterSide ?? Int((Double(size) * 256 / 224).rounded())
    }

    /// EfficientNet-Lite (TensorFlow origin): pixels to [-1, 1].
    public static func tensorFlowInception(size: Int) -> InputSpecification {
        InputSpecification(size: size, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5])
    }

    /// torchvision ImageNet statistics (MobileNetV2 weights).
    public static func imageNet(size: Int) -> InputSpecification {
        InputSpecification(size: size, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])
    }

    /// Keras `Rescaling(1/255)`: pixels to [0, 1], as the original study's scratch CNN.
    public static func unitRange(size: Int) -> InputSpecification {
        InputSpecification(size: size, mean: [0, 0, 0], std: [1, 1, 1], resizeShorterSide: size)
    }
}
