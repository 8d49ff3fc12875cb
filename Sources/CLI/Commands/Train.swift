import ArgumentParser
import Catalog
import Checkpoints
import Foundation
import Models
import Training

extension ModelKind: ExpressibleByArgument {}
extension OptimizerSettings.Kind: ExpressibleByArgument {}

/// `albumgenre train`: one model on one genre set, frozen then fine-tuned, chosen on validation.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a genre classifier, choosing the epoch on validation.",
        usage: "albumgenre train [--model <model>] [--name <name>] [<options>]",
        discussion: """
            Pretrained models (the efficientnet-lite family, mobilenetv2) first train only a new head on the \
            frozen backbone's cached features (--frozen-epochs), then unfreeze the top of the backbone \
            (--unfreeze) and fine-tune (--finetune-epochs). Scratch models (study-cnn, cover-net) \
            train for --frozen-epochs epochs. The epoch with the best validation macro-F1 is kept. \
            The test split is never read here: use `albumgenre evaluate RUN --split test` once.

            The run lives in runs/<name>/ (config.json, metrics.jsonl, weights.safetensors, \
            model.json, checkpoint/, report/). A killed run continues with --resume.

            Examples:
              albumgenre train --model efficientnet-lite0 --name lite0-6genres
              albumgenre train --model study-cnn --genres rap,rock --name study-rap-rock
            """)

    @OptionGroup var catalogOption: CatalogOption
    @OptionGroup var runsOption: RunsOption
    @OptionGroup var output: OutputOptions

    @Option(help: "Network architecture.")
    var model: ModelKind = .efficientNetLite0

    @Option(help: "Name of the run folder under --runs (default: <model>-<genres>).")
    var name: String?

    @Option(help: "Comma-separated genres, in class order (default: every genre in the catalog).")
    var genres: String?

    @Option(help: "Epochs with the backbone frozen (all epochs for scratch models).")
    var frozenEpochs = 20

    @Option(name: .customLong("finetune-epochs"), help: "Epochs of fine-tuning with the top of the backbone unfrozen (0: none).")
    var fineTuneEpochs = 10

    @Option(help: "Fraction of the backbone's stages, from the top, to unfreeze when fine-tuning.")
    var unfreeze = 0.35

    @Option(help: "Optimizer of the first phase.")
    var optimizer: OptimizerSettings.Kind = .adam

    @Option(name: .customLong("learning-rate"), help: "Learning rate of the first phase.")
    var learningRate: Float = 1e-3

    @Option(name: .customLong("finetune-optimizer"), help: "Optimizer of the fine-tuning phase.")
    var fineTuneOptimizer: OptimizerSettings.Kind = .adamW

    @Option(name: .customLong("finetune-learning-rate"), help: "Learning rate of the fine-tuning phase.")
    var fineTuneLearningRate: Float = 1e-4

    @Option(help: "Weight decay of the fine-tuning phase, and of the first phase if it uses adamw (L2 for sgd/adam/rmsprop, decoupled for adamw).")
    var weightDecay: Float = 1e-4

    @Option(help: "Images per step.")
    var batchSize = 32

    @Option(help: "Input side in pixels (default: the model's own).")
    var resolution: Int?

    @Option(help: "Share of the cover the evaluation crop keeps (default: the model's 0.875; 1 keeps the whole cover).")
    var cropFraction: Double?

    @Flag(
        name: .customLong("finetune-batch-statistics"),
        help: "Fine-tune with batch-norm batch statistics (PyTorch train()) instead of the running ones.")
    var fineTuneBatchStatistics = false

    @Option(help: "Augmented views per training image cached for the frozen phase.")
    var views = 4

    @Flag(help: "Evaluate and predict with the average of three views of each cover (centre crop, whole cover, whole cover at 4/3 size).")
    var tta = false

    @Flag(inversion: .prefixedNo, help: "Random crops, flips and colour jitter while training.")
    var augmentation = true

    @Flag(name: .customLong("class-weights"), inversion: .prefixedNo, help: "Weight the loss by inverse class frequency.")
    var classWeights = true

    @Option(help: "Label smoothing of the cross-entropy loss.")
    var labelSmoothing: Float = 0.1

    @Option(help: "Mixup's alpha when training on images: blend pairs of covers and their losses by λ ~ Beta(α, α) (0: off; 0.2–0.4 typical).")
    var mixup: Float = 0

    @Option(help: "Stop a phase after this many epochs without a better validation macro-F1 (0: never).")
    var patience = 5

    @Option(help: "Seed for initialisation, shuffling, augmentation and dropout.")
    var seed: UInt64 = 42

    @Option(help: "Compute threads.")
    var threads = 2

    @Option(help: "A PyTorch .pth with ImageNet weights (default: the installed EfficientNet-Lite weights).")
    var weights: String?

    @Flag(help: "Continue the run in runs/<name> from its last checkpoint.")
    var resume = false

    func validate() throws {
        guard batchSize > 0, frozenEpochs >= 0, fineTuneEpochs >= 0, threads > 0, views > 0 else {
            throw ValidationError("--batch-size, --threads and --views must be positive; epochs must not be negative")
        }
        guard (0...1).contains(unfreeze) else { throw ValidationError("--unfreeze must be between 0 and 1") }
        if let cropFraction, !(0.2...1).contains(cropFraction) { throw ValidationError("--crop-fraction must be between 0.2 and 1") }
        guard mixup >= 0, mixup.isFinite else { throw ValidationError("--mixup must be 0 (off) or a positive alpha") }
    }

    func run() throws {
        let path = catalogOption.catalog
        let catalog = try openCatalog(path, mustExist: true)
        let all = try catalog.labelledImages()
        let available = Set(all.map(\.genre)).sorted()
        let chosen = genres?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if let unknown = chosen?.first(where: { !available.contains($0) }) {
            throw Console.fail(
                "unknown genre '\(unknown)': \(path) has \(available.joined(separator: ", ")); pick from those with --genres",
                status: ExitStatus.usage)
        }
        let dataset = GenreDataset(images: all, genres: chosen)
        guard dataset.classNames.count >= 2 else {
            throw Console.fail(
                "need at least two genres with images in \(path), found \(available.isEmpty ? "none" : available.joined(separator: ", ")); "
                    + "add covers with `albumgenre import DIR --catalog \(path)` or `albumgenre collect --catalog \(path)`",
                status: ExitStatus.usage)
        }
        try requireSplits(catalog, path: path)
        var configuration = TrainingConfiguration(model: model, genres: dataset.classNames, seed: seed, batchSize: batchSize, resolution: resolution)
        configuration.frozenEpochs = frozenEpochs
        configuration.fineTuneEpochs = model.isPretrained ? fineTuneEpochs : 0
        configuration.frozenOptimizer = OptimizerSettings(
            kind: optimizer, learningRate: learningRate, weightDecay: optimizer == .adamW ? weightDecay : 0)
        configuration.fineTuneOptimizer = OptimizerSettings(
            kind: fineTuneOptimizer, learningRate: fineTuneLearningRate, weightDecay: weightDecay, warmupSteps: 50, finalFraction: 0.05,
            gradientClipNorm: 5)
        configuration.unfrozenFraction = unfreeze
        configuration.cachedViews = views
        configuration.augmentation = augmentation
        configuration.classWeighting = classWeights
        configuration.labelSmoothing = labelSmoothing
        if mixup > 0 { configuration.mixupAlpha = mixup }
        configuration.earlyStoppingPatience = patience == 0 ? nil : patience
        configuration.threads = threads
        configuration.cropFraction = cropFraction
        configuration.freezesBatchNormStatistics = !fineTuneBatchStatistics
        configuration.testTimeAugmentation = tta ? true : nil

        try TrainingRunner.trainAndPrint(
            configuration: configuration, dataset: dataset, runName: name ?? "\(model.rawValue)-\(dataset.classNames.joined(separator: "-"))",
            runs: runsOption, output: output, weights: weights, resume: resume)
    }
}
