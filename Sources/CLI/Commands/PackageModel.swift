import ArgumentParser
import Foundation
import Models
import RunArtifacts
import Training

/// `albumgenre package-model`: turn a run into a small, shippable model folder.
struct PackageModel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "package-model",
        abstract: "Write a run's selected model as a folder for predict and serve.",
        discussion: """
            The folder holds model.json and weights.safetensors. When the run never changed the pretrained backbone (a frozen-base run, --finetune-epochs 0), \
            only the head is written and model.json names the ImageNet backbone, which is read from the \
            weights cache at load time: the folder is a few kilobytes. Otherwise every weight is written. \
            The default model in models/default was made this way. An ensemble (albumgenre ensemble) \
            is written whole: its ensemble.json and every member's model.

            Example: albumgenre package-model lite0-frozen --output models/default
            """)

    @OptionGroup var runsOption: RunsOption
    @Argument(help: "The run: a name under --runs or a run folder.") var runName: String
    @Option(help: ArgumentHelp("Folder to write.", valueName: "dir")) var output: String

    func run() throws {
        let run = RunDirectory(url: try runsOption.existingRunFolder(runName))
        let folder = URL(fileURLWithPath: output, isDirectory: true)
        if ModelArchive.isEnsemble(run.url) {
            // An ensemble is packaged as it is: its description and its members' full models.
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let ensemble = try ModelArchive.copyEnsemble(from: run.url, to: folder)
            try copyCalibration(from: run.url, to: folder)
            _ = try ModelArchive.loadModels(from: folder)
            Console.print("\(folder.path): ensemble of \(ensemble.sources.joined(separator: ", ")) on \(ensemble.classNames.joined(separator: ", "))")
            return
        }
        guard FileManager.default.fileExists(atPath: run.configurationURL.path) else {
            throw Console.fail(
                "\(run.url.path) has no config.json: package-model needs a run made by `albumgenre train`", status: ExitStatus.failure, json: false)
        }
        let configuration = try run.readJSON(TrainingConfiguration.self, from: run.configurationURL)
        var (model, description) = try ModelArchive.loadTrained(from: run.url)
        let backboneUnchanged = configuration.model.isPretrained && configuration.fineTuneEpochs == 0
        var headOnly = false
        if backboneUnchanged, let variant = configuration.model.pretrainedVariant {
            description.backbone = "imagenet:\(variant.rawValue)"
            headOnly = true
        }
        description = try ModelArchive.write(model, description: description, to: folder, headOnly: headOnly)
        try copyCalibration(from: run.url, to: folder)
        model = try ModelArchive.loadTrained(from: folder).model
        Console.print(
            "\(folder.path): \(description.model.rawValue) on \(description.classNames.joined(separator: ", "))\(description.backbone.map { ", head only over \($0)" } ?? "")"
        )
    }

    /// The run's temperature (`albumgenre calibrate`) goes with the model; an older one is removed.
    private func copyCalibration(from run: URL, to folder: URL) throws {
        try? FileManager.default.removeItem(at: folder.appendingPathComponent(CalibrationRecord.fileName))
        try CalibrationRecord.read(in: run)?.write(in: folder)
    }
}
