import Foundation
import Imaging
import Models
import NeuralNetwork
import TensorCore

/// One genre and its probability.
public struct GenreScore: Codable, Sendable, Equatable {
    public var genre: String
    public var probability: Double
}

/// The prediction for one cover: every genre, most probable first.
public struct CoverPrediction: Codable, Sendable, Equatable {
    public var scores: [GenreScore]
    public var top: GenreScore { scores[0] }
}

/// A trained genre model, loaded once and shared: predictions for decoded covers, in batches.
///
/// Layers are reference types and oneDNN streams are not thread-safe, so forward passes are
/// serialised by a lock; callers on many threads (the web server) batch their covers instead.
///
/// A model trained with test-time views (`train --tta`) is shown every view of a cover and its
/// probabilities are averaged; `inputValues(for:)` then holds the views one after the other. An
/// ensemble run (`albumgenre ensemble`) does the same over its members' views, members weighing equally.
public final class GenrePredictor: @unchecked Sendable {
    /// The model's description; for an ensemble, its first member's.
    public let description: ModelDescription
    public let classNames: [String]
    /// One model, or an ensemble's members.
    let models: [any ImageClassifier]
    var model: any ImageClassifier { models[0] }
    /// Every member's views in turn; the first is the first member's centre crop.
    public let views: [PretrainedPreprocessing]
    /// The member (index into `models`) of each view, and the weight of its probabilities.
    let viewMembers: [Int]
    let viewWeights: [Float]
    var preprocessing: PretrainedPreprocessing { views[0] }
    /// The source runs of an ensemble's members (nil for one model).
    public let ensembleMembers: [String]?
    /// Whether an ensemble's members also see each cover mirrored (`ensemble --mirror`).
    public let mirrorsViews: Bool
    /// Each member's description (one for a single model).
    public let memberDescriptions: [ModelDescription]
    /// The architecture, or for an ensemble its members' architectures: `ensemble(a + b)`.
    public var modelName: String {
        guard models.count > 1 else { return description.model.rawValue }
        return "ensemble(" + memberDescriptions.map(\.model.rawValue).joined(separator: " + ") + ")"
    }
    /// The temperature that scales the averaged probabilities (`albumgenre calibrate`); nil when none.
    public let temperature: Double?
    let decoder: ImageDecoder
    /// The arithmetic of `predict`'s convolutions: `.bfloat16` is about 1.7× faster on CPUs with
    /// AVX-512 BF16 and moves EfficientNet-Lite0's logits by about 0.07 (Docs/EngineInternals.md).
    /// Grad-CAM always runs in float32.
    public let computePrecision: ComputePrecision
    private let lock = NSLock()

    /// Loads `runs/<name>` (or any folder with `model.json` + `weights.safetensors`, or an ensemble's
    /// `ensemble.json`). `calibrated: false` ignores `calibration.json` and returns the raw
    /// probabilities (what `calibrate` fits its temperature on).
    public init(
        runFolder: URL, calibrated: Bool = true, decodeLimits: DecodeLimits = .covers, computePrecision: ComputePrecision = .float32
    ) throws {
        self.computePrecision = computePrecision
        let loaded = try ModelArchive.loadModelsForInference(from: runFolder)
        let weightedViews = loaded.weightedViews
        models = loaded.members.map(\.model)
        description = loaded.members[0].description
        memberDescriptions = loaded.members.map(\.description)
        classNames = loaded.members[0].description.classNames
        ensembleMembers = loaded.ensemble?.sources
        mirrorsViews = loaded.ensemble?.mirrorsViews == true
        views = weightedViews.map { view in
            PretrainedPreprocessing(
                resizeShorterSide: view.input.resizeShorterSide, cropSize: ImageSize(width: view.input.size, height: view.input.size),
                filter: .bicubic, normalization: Normalization(mean: view.input.mean, std: view.input.std), mirrored: view.mirrored)
        }
        viewMembers = weightedViews.map(\.member)
        viewWeights = weightedViews.map(\.weight)
        temperature = calibrated ? loaded.calibration?.temperature : nil
        decoder = ImageDecoder(limits: decodeLimits)
    }

    /// Decodes an encoded cover (format sniffed from the bytes).
    public func decode(_ data: Data, name: String = "<upload>") throws(ImagingError) -> RGBImage {
        try decoder.decode(data, name: name, minimumSize: minimumDecodeSize)
    }

    public func decode(contentsOf url: URL) throws(ImagingError) -> RGBImage {
        try decoder.decode(contentsOf: url, minimumSize: minimumDecodeSize)
    }

    /// The model input for one decoded cover: `[3, S, S]` floats (resize, centre crop, normalise)
    /// per view, the views one after the other. Thread-safe and independent of the model, so
    /// callers can prepare covers on other threads while a forward pass runs.
    public func inputValues(for image: RGBImage) -> [Float] {
        views.count == 1 ? preprocessing(image) : views.flatMap { $0(image) }
    }

    /// The model input for one cover file: what `evaluate`, `calibrate`, `predict` and the library
    /// feed the network. See `prepare(decodingAt:)`.
    public func inputValues(contentsOf url: URL) throws(ImagingError) -> [Float] {
        try prepare { size throws(ImagingError) in try decoder.decode(contentsOf: url, minimumSize: size) }.input
    }

    /// An encoded cover (format sniffed from the bytes) decoded with `decoder` (default: the
    /// predictor's limits), and its model input: what `serve` feeds the network. `image` is the
    /// cover as decoded for the first view (Grad-CAM draws on it).
    public func prepare(_ data: Data, name: String = "<upload>", decoder: ImageDecoder? = nil) throws(ImagingError) -> (
        image: RGBImage, input: [Float]
    ) {
        let decoder = decoder ?? self.decoder
        return try prepare { size throws(ImagingError) in try decoder.decode(data, name: name, minimumSize: size) }
    }

    /// Decodes a cover once per distinct shorter side its views resize to (the decoder may scale a
    /// JPEG down in the DCT domain to just above that side, so a view of another size needs its own
    /// decode), then prepares each view from its decode, the views one after the other.
    private func prepare(decodingAt decode: (ImageSize) throws(ImagingError) -> RGBImage) throws(ImagingError) -> (image: RGBImage, input: [Float]) {
        var decoded: [Int: RGBImage] = [:]
        var input: [Float] = []
        for view in views {
            let side = view.resizeShorterSide
            let image: RGBImage
            if let known = decoded[side] {
                image = known
            } else {
                image = try decode(ImageSize(width: side, height: side))
                decoded[side] = image
            }
            if views.count == 1 { return (image, view(image)) }
            input += view(image)
        }
        return (decoded[views[0].resizeShorterSide]!, input)
    }

    /// Predictions for a batch of decoded covers, in order.
    public func predict(_ images: [RGBImage]) -> [CoverPrediction] {
        predict(inputs: images.map(inputValues(for:)))
    }

    /// Predictions for covers already prepared by `inputValues(for:)`, in order, every genre, most
    /// probable first.
    public func predict(inputs: [[Float]]) -> [CoverPrediction] {
        probabilities(inputs: inputs).map { row in
            let scores = row.indices.map { GenreScore(genre: classNames[$0], probability: Double(row[$0])) }
            return CoverPrediction(scores: scores.sorted { $0.probability > $1.probability })
        }
    }

    /// The genre probabilities of covers prepared by `inputValues`, one row per cover in
    /// `classNames` order: the only place a probability is computed from a network.
    ///
    /// With views v = 1…V (each member's views in turn), p_v = softmax(member(v)(crop_v)) and
    /// weights w_v summing to 1 (each of M members shares 1/M equally among its views):
    /// p = Σ_v w_v · p_v, then the temperature T of `calibration.json`, if any, rescales p
    /// (`TemperatureScaling.apply`). One forward pass of `[N, 3, S, S]` per view; passes from
    /// several threads are serialised.
    public func probabilities(inputs: [[Float]]) -> [[Float]] {
        guard !inputs.isEmpty else { return [] }
        let sides = views.map(\.cropSize.width)
        let counts = sides.map { 3 * $0 * $0 }
        precondition(inputs.allSatisfy { $0.count == counts.reduce(0, +) }, "GenrePredictor: inputs must come from inputValues(for:)")
        let batches = sides.indices.map { view in
            let offset = counts[..<view].reduce(0, +)
            var values: [Float] = []
            values.reserveCapacity(inputs.count * counts[view])
            for input in inputs { values += input[offset..<(offset + counts[view])] }
            return Tensor(shape: [inputs.count, 3, sides[view], sides[view]], scalars: values)
        }
        let perView: [[Float]] = lock.withLock {
            TensorEngine.withComputePrecision(computePrecision) {
                zip(batches, viewMembers).map { batch, member in softmax(models[member](batch, mode: .inference)).scalars() }
            }
        }
        // The weighted mean of the views' probabilities: each member's views share 1/M.
        let mean =
            perView.count == 1
            ? perView[0]
            : perView[0].indices.map { i in zip(perView, viewWeights).reduce(0) { $0 + $1.0[i] * $1.1 } }
        let k = classNames.count
        let probabilities = temperature.map { TemperatureScaling.apply(mean, classes: k, temperature: $0) } ?? mean
        return inputs.indices.map { n in Array(probabilities[(n * k)..<((n + 1) * k)]) }
    }

    /// The smallest size a decoder may scale a cover down to (in the DCT domain) without losing
    /// detail the model sees: the preprocessing's shorter side.
    public var minimumDecodeSize: ImageSize {
        let side = views.map(\.resizeShorterSide).max()!
        return ImageSize(width: side, height: side)
    }

    /// Grad-CAM (Selvaraju et al. 2017) for `genre` (default: the predicted one) on one cover.
    ///
    /// With A the last convolutional feature map `[C, h, w]` and y the genre's logit,
    /// α_c = mean over (h, w) of ∂y/∂A_c and the map is ReLU(Σ_c α_c A_c), scaled to [0, 1].
    /// Returns the `h × w` map and the overlay on the model's input crop. For an ensemble the map
    /// is its first member's (the members' maps have different sizes and meanings).
    public func gradCAM(_ image: RGBImage, genre: String? = nil) -> (heatMap: [Float], width: Int, height: Int, overlay: RGBImage) {
        let side = preprocessing.cropSize.width
        let crop = preprocessing.croppedImage(image)
        let input = Tensor(shape: [1, 3, side, side], scalars: preprocessing(image))
        let (map, mapShape) = lock.withLock { () -> ([Float], [Int]) in
            let activations = model.featureMap(input, mode: .inference)
            // A leaf copy of A that requires a gradient: the rest of the network is differentiated
            // with respect to it alone.
            let leaf = Tensor(shape: activations.shape, scalars: activations.scalars(), requiresGradient: true)
            let logits = model.classify(model.pool(leaf, mode: .inference), mode: .inference)
            let target = genre.flatMap { classNames.firstIndex(of: $0) } ?? argMax(logits.scalars())
            var selector = [Float](repeating: 0, count: classNames.count)
            selector[target] = 1
            // y = logits · e_target, as a 1×1 linear layer so the engine differentiates it.
            let score = linear(logits, weight: Tensor(shape: [1, classNames.count], scalars: selector), bias: nil)
            let gradient = score.backward()[leaf]?.scalars() ?? []
            return (GradCAM.combine(activations: leaf.scalars(), gradient: gradient, shape: leaf.shape), leaf.shape)
        }
        let overlay = GradCAM.overlay(map, width: mapShape[3], height: mapShape[2], on: crop)
        return (map, mapShape[3], mapShape[2], overlay)
    }
}

func argMax(_ values: [Float]) -> Int { values.indices.max { values[$0] < values[$1] } ?? 0 }
