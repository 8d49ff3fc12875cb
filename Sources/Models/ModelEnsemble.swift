import AtomicFiles
import Checkpoints
import Foundation
import NeuralNetwork
import RunArtifacts

/// A trained model rebuilt from disk with the description that says how to feed it.
public struct TrainedModel {
    public let model: any ImageClassifier
    public let description: ModelDescription
}

/// What a run folder holds, ready to predict: one trained model, or an ensemble's members.
public struct LoadedModels {
    /// One view of one member: the input it is fed and the weight of its probabilities in the mean.
    public struct WeightedView {
        /// Index into `members`.
        public let member: Int
        public let input: InputSpecification
        /// Mirror the crop left to right before normalising it.
        public let mirrored: Bool
        public let weight: Float
    }

    public let members: [TrainedModel]
    /// The folder's `ensemble.json`; nil for one model.
    public let ensemble: EnsembleDescription?
    /// The folder's `calibration.json`: the temperature that scales the averaged probabilities
    /// (`TemperatureScaling`); nil when the model is not calibrated.
    public let calibration: CalibrationRecord?

    /// Every member's views in turn, weighted 1/(V_m · M) for member m's V_m views of M members:
    /// the prediction is the mean over members of each member's mean over its views. An ensemble
    /// made with `mirrorsViews` adds the mirror image of each member's every view.
    public var weightedViews: [WeightedView] {
        members.enumerated().flatMap { index, member in
            let own = member.description.views
            let views = ensemble?.mirrorsViews == true ? own.flatMap { [$0, .mirrored($0)] } : own
            return views.map { view in
                WeightedView(
                    member: index, input: view.input(from: member.description.input), mirrored: view.isMirrored,
                    weight: 1 / Float(views.count * members.count))
            }
        }
    }
}

/// `ensemble.json`: a run folder whose prediction is the mean of other trained models'
/// class probabilities, p(c | x) = (1/M) Σ_m p_m(c | x) (each member itself averages its
/// test-time views).
///
/// Members are copied into the ensemble's folder (`members/<name>/model.json` +
/// `weights.safetensors`), so the folder is self-contained like any run: it can be evaluated,
/// served or moved without the runs it was made from.
public struct EnsembleDescription: Codable, Sendable, Equatable {
    /// Member folders, relative to the ensemble's folder.
    public var members: [String]
    /// The class order every member shares.
    public var classNames: [String]
    /// Where each member came from (the source runs' folder names), for the record.
    public var sources: [String]
    /// Whether each member also sees the mirror image of each of its views (`ensemble --mirror`);
    /// nil in ensembles made before the option, which do not.
    public var mirrorsViews: Bool?

    public static let fileName = RunDirectory.FileName.ensemble
}

public enum EnsembleError: Error, CustomStringConvertible {
    case tooFewMembers(Int)
    case classMismatch(member: String, expected: [String], found: [String])
    case notATrainedRun(URL)
    case nested(URL)
    case unreadableDescription(URL, String)

    public var description: String {
        switch self {
        case .tooFewMembers(let count):
            "an ensemble needs at least two trained runs, got \(count)"
        case .classMismatch(let member, let expected, let found):
            "\(member) predicts \(found.joined(separator: ", ")) but the ensemble's first member predicts \(expected.joined(separator: ", ")): members must share their genres and class order"
        case .notATrainedRun(let url):
            "\(url.path) has no model.json and weights.safetensors: train it first (albumgenre train)"
        case .nested(let url):
            "\(url.path) is itself an ensemble: list its members instead"
        case .unreadableDescription(let url, let reason):
            "cannot read \(url.path): \(reason)"
        }
    }
}

extension ModelArchive {
    /// Whether `folder` holds an ensemble (`ensemble.json`) rather than one model.
    public static func isEnsemble(_ folder: URL) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent(EnsembleDescription.fileName).path)
    }

    /// The folder's `ensemble.json`, nil when it holds one model.
    public static func ensembleDescription(in folder: URL) throws -> EnsembleDescription? {
        guard isEnsemble(folder) else { return nil }
        return try JSONDecoder().decode(EnsembleDescription.self, from: Data(contentsOf: folder.appendingPathComponent(EnsembleDescription.fileName)))
    }

    /// The models of a run folder: one for a trained run, every member for an ensemble.
    public static func loadModels(from folder: URL) throws -> LoadedModels {
        let calibration: CalibrationRecord?
        do { calibration = try CalibrationRecord.read(in: folder) } catch {
            throw EnsembleError.unreadableDescription(folder.appendingPathComponent(CalibrationRecord.fileName), "\(error)")
        }
        guard let ensemble = try ensembleDescription(in: folder) else {
            let loaded = try loadTrained(from: folder)
            return LoadedModels(
                members: [TrainedModel(model: loaded.model, description: loaded.description)], ensemble: nil, calibration: calibration)
        }
        guard ensemble.members.count >= 2 else { throw EnsembleError.tooFewMembers(ensemble.members.count) }
        let members = try ensemble.members.map { member in
            let loaded = try loadTrained(from: folder.appendingPathComponent(member, isDirectory: true))
            guard loaded.description.classNames == ensemble.classNames else {
                throw EnsembleError.classMismatch(member: member, expected: ensemble.classNames, found: loaded.description.classNames)
            }
            return TrainedModel(model: loaded.model, description: loaded.description)
        }
        return LoadedModels(members: members, ensemble: ensemble, calibration: calibration)
    }

    /// `loadModels` for prediction and scoring: the weights are final, so each model's batch norms
    /// are folded into its convolutions (one convolution per layer instead of two passes).
    public static func loadModelsForInference(from folder: URL) throws -> LoadedModels {
        let loaded = try loadModels(from: folder)
        loaded.members.forEach { $0.model.foldBatchNorms() }
        return loaded
    }

    /// Makes `folder` an ensemble of the trained runs `sources` (at least two, same classes), whose
    /// members also see each view mirrored when `mirrorsViews` is set.
    ///
    /// Each member's `model.json` and `weights.safetensors` are copied under `members/`, and
    /// `ensemble.json` is written last and atomically: a folder without it is not an ensemble, so
    /// a kill part-way leaves nothing that loads as one.
    public static func writeEnsemble(at folder: URL, sources: [URL], mirrorsViews: Bool = false) throws -> EnsembleDescription {
        guard sources.count >= 2 else { throw EnsembleError.tooFewMembers(sources.count) }
        let fileManager = FileManager.default
        var descriptions: [ModelDescription] = []
        for source in sources {
            if isEnsemble(source) { throw EnsembleError.nested(source) }
            let modelURL = source.appendingPathComponent(RunDirectory.FileName.model)
            guard fileManager.fileExists(atPath: modelURL.path),
                fileManager.fileExists(atPath: source.appendingPathComponent(RunDirectory.FileName.weights).path)
            else { throw EnsembleError.notATrainedRun(source) }
            do {
                descriptions.append(try JSONDecoder().decode(ModelDescription.self, from: Data(contentsOf: modelURL)))
            } catch {
                throw EnsembleError.unreadableDescription(modelURL, "\(error)")
            }
        }
        let classNames = descriptions[0].classNames
        for (source, description) in zip(sources, descriptions) where description.classNames != classNames {
            throw EnsembleError.classMismatch(member: source.lastPathComponent, expected: classNames, found: description.classNames)
        }
        try? fileManager.removeItem(at: folder.appendingPathComponent(EnsembleDescription.fileName))
        var members: [String] = []
        for (index, source) in sources.enumerated() {
            // The index keeps two runs with the same folder name (from different roots) apart.
            let member = "\(RunDirectory.FileName.members)/\(index + 1)-\(source.lastPathComponent)"
            try copyModel(from: source, to: folder.appendingPathComponent(member, isDirectory: true))
            members.append(member)
        }
        let ensemble = EnsembleDescription(
            members: members, classNames: classNames, sources: sources.map(\.lastPathComponent), mirrorsViews: mirrorsViews ? true : nil)
        try writeDescription(ensemble, in: folder)
        return ensemble
    }

    /// Copies the ensemble in `folder` (its description and members) to `target`, description last.
    public static func copyEnsemble(from folder: URL, to target: URL) throws -> EnsembleDescription {
        guard let ensemble = try ensembleDescription(in: folder) else { throw EnsembleError.tooFewMembers(0) }
        try? FileManager.default.removeItem(at: target.appendingPathComponent(EnsembleDescription.fileName))
        for member in ensemble.members {
            try copyModel(
                from: folder.appendingPathComponent(member, isDirectory: true), to: target.appendingPathComponent(member, isDirectory: true))
        }
        try writeDescription(ensemble, in: target)
        return ensemble
    }

    /// A trained model's two files, copied atomically into a fresh `target` folder.
    private static func copyModel(from source: URL, to target: URL) throws {
        try? FileManager.default.removeItem(at: target)
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        for file in [RunDirectory.FileName.model, RunDirectory.FileName.weights] {
            try AtomicFile.write(Data(contentsOf: source.appendingPathComponent(file)), to: target.appendingPathComponent(file))
        }
    }

    private static func writeDescription(_ ensemble: EnsembleDescription, in folder: URL) throws {
        try writeJSON(ensemble, to: folder.appendingPathComponent(EnsembleDescription.fileName))
    }

    /// Writes `value` as pretty JSON with sorted keys, atomically: the model folder's descriptions
    /// (`ensemble.json`, `calibration.json`).
    static func writeJSON<T: Encodable>(_ value: T, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(encoder.encode(value), to: url)
    }
}
