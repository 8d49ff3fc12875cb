import AtomicFiles
import Checkpoints
import Foundation
import NeuralNetwork
import RunArtifacts

/// Saving and restoring a model's parameters and buffers as safetensors, plus a JSON description
/// that says how to rebuild the architecture (`model.json`).
public struct ModelDescription: Codable, Sendable, Equatable {
    public var model: ModelKind
    public var classNames: [String]
    public var resolution: Int
    public var input: InputSpecification
    /// The epoch whose weights these are, and the validation macro-F1 that selected them (for a
    /// final fit, the validated run's figure: see `trainedOnValidation`).
    public var epoch: Int
    public var validationMacroF1: Double
    /// True for a final fit, which trained on the validation split too: scoring it there means nothing.
    public var trainedOnValidation: Bool?
    /// When set (e.g. `"imagenet:lite0"`), `weights.safetensors` holds only the head and the backbone
    /// is the unchanged ImageNet checkpoint from the weights cache: a frozen-base model then ships
    /// in kilobytes instead of megabytes.
    public var backbone: String?
    /// Views whose probabilities are averaged when the model evaluates and predicts (nil: the
    /// centre crop alone). Chosen at training time (`train --tta`), so validation and test see the same.
    public var testTimeViews: [TestTimeView]?
    /// SHA-256 of the `weights.safetensors` written with this description (`ModelArchive.write`):
    /// a folder whose weights were replaced without it (a kill between the two writes) is refused
    /// on load instead of predicting with the wrong weights. Nil in folders written before it.
    public var weightsSHA256: String?

    /// The views to average, at least the centre crop.
    public var views: [TestTimeView] { testTimeViews.flatMap { $0.isEmpty ? nil : $0 } ?? [.centerCrop] }

    public init(
        model: ModelKind, classNames: [String], resolution: Int, input: InputSpecification, epoch: Int, validationMacroF1: Double,
        backbone: String? = nil
    ) {
        self.backbone = backbone
        self.model = model
        self.classNames = classNames
        self.resolution = resolution
        self.input = input
        self.epoch = epoch
        self.validationMacroF1 = validationMacroF1
    }
}

/// Why a model folder cannot be loaded.
public enum ModelFileError: Error, CustomStringConvertible, Equatable {
    /// `weights.safetensors` is not the file `model.json` was written with.
    case weightsDoNotMatchDescription(folder: String)

    public var description: String {
        switch self {
        case .weightsDoNotMatchDescription(let folder):
            "\(folder): weights.safetensors is not the file model.json was written with (a run stopped between writing the two?): "
                + "resume or retrain the run, or package the model again"
        }
    }
}

public enum ModelArchive {
    /// Writes a model folder: the weights (all of them, or with `headOnly` only the head, see
    /// `ModelDescription.backbone`) first, then `model.json` carrying the weights' SHA-256, each
    /// atomically. A kill between the two leaves new weights under an old description, which
    /// `loadTrained` refuses. Returns the description as written.
    @discardableResult
    public static func write(
        _ model: any ImageClassifier, description: ModelDescription, to folder: URL, headOnly: Bool = false, metadata: [String: String] = [:]
    ) throws -> ModelDescription {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let weightsURL = folder.appendingPathComponent(RunDirectory.FileName.weights)
        if headOnly { try saveHead(model, to: weightsURL) } else { try save(model, to: weightsURL, metadata: metadata) }
        var description = description
        description.weightsSHA256 = try SHA256Digest.hex(fileAt: weightsURL)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(encoder.encode(description), to: folder.appendingPathComponent(RunDirectory.FileName.model))
        return description
    }

    /// Writes every parameter and buffer of `model` to `url` (atomically).
    public static func save(_ model: any ImageClassifier, to url: URL, metadata: [String: String] = [:]) throws {
        let entries = try model.namedParameters().map { entry in
            (name: entry.path, tensor: try CheckpointTensor(shape: entry.parameter.value.shape, floats: entry.parameter.value.scalars()))
        }
        try SafetensorsFile(tensors: NamedTensors(entries), metadata: metadata).write(to: url)
    }

    /// Loads `url` into `model` strictly (every key present, none unexpected, shapes equal).
    public static func load(_ model: any ImageClassifier, from url: URL) throws {
        let file = try SafetensorsFile(contentsOf: url)
        var tensors: [String: (shape: [Int], values: [Float])] = [:]
        for (name, tensor) in file.tensors { tensors[name] = (tensor.shape, tensor.floats()) }
        try loadStateDict(model, tensors, skipping: { _ in false })
    }

    /// Writes named 1-D float arrays (optimizer state) as safetensors, atomically.
    public static func writeArrays(_ arrays: [String: [Float]], metadata: [String: String] = [:], to url: URL) throws {
        let entries = try arrays.keys.sorted().map { name in
            (name: name, tensor: try CheckpointTensor(shape: [arrays[name]!.count], floats: arrays[name]!))
        }
        try SafetensorsFile(tensors: NamedTensors(entries), metadata: metadata).write(to: url)
    }

    /// Reads what `writeArrays` wrote.
    public static func readArrays(from url: URL) throws -> [String: [Float]] {
        var arrays: [String: [Float]] = [:]
        for (name, tensor) in try SafetensorsFile(contentsOf: url).tensors { arrays[name] = tensor.floats() }
        return arrays
    }

    /// Rebuilds a trained model from a folder holding `model.json` + `weights.safetensors` (a run).
    public static func loadTrained(from folder: URL) throws -> (model: any ImageClassifier, description: ModelDescription) {
        let descriptionURL = folder.appendingPathComponent(RunDirectory.FileName.model)
        let description = try JSONDecoder().decode(ModelDescription.self, from: Data(contentsOf: descriptionURL))
        let model = description.model.make(classCount: description.classNames.count, resolution: description.resolution)
        let weightsURL = folder.appendingPathComponent(RunDirectory.FileName.weights)
        if let expected = description.weightsSHA256, try SHA256Digest.hex(fileAt: weightsURL) != expected {
            throw ModelFileError.weightsDoNotMatchDescription(folder: folder.path)
        }
        if let backbone = description.backbone {
            try model.loadPretrained(PyTorchCheckpoint(contentsOf: try pretrainedWeightsURL(backbone)), keepHead: false)
            try loadHead(model, from: weightsURL)
        } else {
            try load(model, from: weightsURL)
        }
        return (model, description)
    }

    /// Writes only the head's parameters (see `ModelDescription.backbone`).
    public static func saveHead(_ model: any ImageClassifier, to url: URL) throws {
        let entries = try model.namedParameters().filter { $0.path.hasPrefix(model.headPrefix) }.map { entry in
            (name: entry.path, tensor: try CheckpointTensor(shape: entry.parameter.value.shape, floats: entry.parameter.value.scalars()))
        }
        try SafetensorsFile(tensors: NamedTensors(entries), metadata: ["content": "head only"]).write(to: url)
    }

    /// Loads a head-only file strictly for the head's keys.
    static func loadHead(_ model: any ImageClassifier, from url: URL) throws {
        let file = try SafetensorsFile(contentsOf: url)
        let headPrefix = model.headPrefix
        var tensors: [String: (shape: [Int], values: [Float])] = [:]
        for (name, tensor) in file.tensors { tensors[name] = (tensor.shape, tensor.floats()) }
        try loadStateDict(model, tensors, skipping: { !$0.hasPrefix(headPrefix) })
    }

    /// The installed checkpoint for a backbone name such as `"imagenet:lite0"`.
    static func pretrainedWeightsURL(_ backbone: String) throws -> URL {
        guard backbone.hasPrefix("imagenet:"), let variant = PretrainedVariant(rawValue: String(backbone.dropFirst("imagenet:".count))) else {
            throw CheckpointError.unsupportedFormat("unknown backbone \(backbone) in model.json")
        }
        return try PretrainedWeights().locate(variant)
    }
}
