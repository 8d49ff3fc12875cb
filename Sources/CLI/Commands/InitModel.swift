import ArgumentParser
import AtomicFiles
import Foundation
import Models
import RunArtifacts

/// `albumgenre init-model DIR`: an untrained run folder (random weights), for benchmarks, load tests
/// and smoke tests of `predict` and `serve` before any training. Its predictions mean nothing.
struct InitModel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init-model",
        abstract: "Write an untrained (randomly initialised) model folder.",
        usage: "albumgenre init-model <directory> [--model <model>] [<options>]",
        discussion: """
            The folder holds model.json and weights.safetensors, for measuring speed and testing the \
            plumbing without a trained model; its genres are guesses.

            Example: albumgenre init-model /tmp/lite0-random --model efficientnet-lite0
            """)

    @Argument(help: "The folder to write (created; must not hold a model.json already).")
    var directory: String

    @Option(help: "Architecture: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var model: String = ModelKind.efficientNetLite0.rawValue

    @Option(help: "Comma-separated class names.")
    var genres = "country,electronic,hiphop,pop,rock"

    @Option(help: "Input side in pixels (default: the model's own).")
    var resolution: Int?

    @Option(help: "Initialisation seed.")
    var seed: UInt64 = 0

    func run() throws {
        guard let kind = ModelKind(rawValue: model) else {
            throw ValidationError("--model must be one of \(ModelKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let classNames = genres.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard classNames.count >= 2, Set(classNames).count == classNames.count else {
            throw ValidationError("--genres needs at least two distinct names")
        }
        let folder = URL(fileURLWithPath: directory, isDirectory: true)
        guard !FileManager.default.fileExists(atPath: folder.appendingPathComponent(RunDirectory.FileName.model).path) else {
            throw ValidationError("\(directory) already holds a model; choose another folder")
        }
        let network = kind.make(classCount: classNames.count, seed: seed, resolution: resolution)
        let input = network.inputSpecification
        let description = ModelDescription(
            model: kind, classNames: classNames, resolution: input.size, input: input, epoch: 0, validationMacroF1: 0)
        try ModelArchive.write(network, description: description, to: folder, metadata: ["untrained": "true"])
        Console.print("wrote an untrained \(kind.rawValue) (\(input.size) px, \(classNames.count) genres) to \(folder.path)")
    }
}
