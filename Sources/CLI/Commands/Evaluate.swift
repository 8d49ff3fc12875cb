import ArgumentParser
import Catalog
import Foundation
import RunArtifacts
import Training

/// `albumgenre evaluate`: score a trained run on a split; the test split is scored once.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score a trained run on a split of the catalog or on outside covers.",
        usage: "albumgenre evaluate <run> [--split val|test | --images <dir>] [<options>]",
        discussion: """
            Prints accuracy, balanced accuracy, macro-F1, top-2 accuracy, per-class precision/recall/F1 \
            and the confusion matrix, and records them in runs/<name>/evaluation-<split>.json.

            The test split is held out: it is scored once per run. Later calls print the recorded \
            result instead of reading the test images again (--rescore overrides, and says so).

            --images DIR scores labelled covers from outside the catalog instead (an ImageFolder tree, \
            DIR/<genre>/*): a fresh test set, or another source's covers. Covers the model trained or \
            was chosen on are left out, and so are their near copies (the same art re-encoded or \
            resized, as `split` groups them), found through the runs' split.json and --catalog; \
            folders of genres the model does not know are left out too, unless --relabel maps them. \
            The result goes to runs/<name>/evaluation-external-<fingerprint>.json and, like the test \
            split, is scored once. Exit status 3 when any cover was left out.

            Examples:
              albumgenre evaluate lite0-6genres --split test --json
              albumgenre evaluate lite0 --images fresh-covers/ --relabel hip-hop=hiphop
            """)

    @OptionGroup var catalogOption: CatalogOption
    @OptionGroup var runsOption: RunsOption
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The run: a name under --runs or a path to a run folder.", valueName: "run"))
    var runName: String

    @Option(help: "Which split to score: val or test (default: val).")
    var split: String?

    @Flag(help: "Score the test split (or the --images covers) again although a recorded result exists.")
    var rescore = false

    @Option(
        help: ArgumentHelp(
            "Score labelled covers from outside the catalog instead of a split: an ImageFolder tree <dir>/<genre>/*.", valueName: "dir"))
    var images: String?

    @Option(help: ArgumentHelp("With --images: score folder <folder>'s covers as the model's genre <genre> (repeatable).", valueName: "folder=genre"))
    var relabel: [String] = []

    @Option(
        help: ArgumentHelp(
            "With --images: perceptual-hash distance (bits of 64) under which a cover counts as one the model has seen.", valueName: "bits"))
    var nearDuplicateDistance = 6

    @Flag(help: "With --images: score every cover without looking for those the model has seen (needs no catalog).")
    var skipSeenCheck = false

    func validate() throws {
        if let split, !["val", "test", "train"].contains(split) { throw ValidationError("--split must be val, test or train") }
        if images != nil, split != nil { throw ValidationError("--images scores covers from outside the catalog: leave out --split") }
        if images == nil, !relabel.isEmpty || skipSeenCheck {
            throw ValidationError("--relabel and --skip-seen-check go with --images")
        }
        _ = try relabelling()
    }

    func run() throws {
        let folder = try runsOption.existingRunFolder(runName)
        if let images { return try scoreExternalSet(images, runFolder: folder) }
        let split = split ?? "val"
        let directory = RunDirectory(url: folder)
        let recordURL = directory.evaluationURL(split: split)
        if split == "test", !rescore, let recorded = try? directory.readJSON(EvaluationRecord.self, from: recordURL) {
            Console.info(
                "the test split of this run was scored on \(recorded.scoredAt); showing that result (test images are read once)", quiet: output.quiet)
            try show(recorded)
            return
        }
        if split == "test", rescore { Console.warning("re-scoring the test split: report only the first figure you obtained") }
        guard let wanted = Split(rawValue: split) else { throw ValidationError("unknown split \(split)") }
        let labelled = try splitImages(wanted, catalogPath: catalogOption.catalog)
        try show(try scoreAndRecord(folder, on: labelled, split: wanted, quiet: output.quiet || output.json))
    }

    func show(_ record: EvaluationRecord) throws {
        if output.json {
            try Console.printJSON(record)
        } else {
            // An ensemble's members each have their own epoch: name the members instead.
            let model =
                record.ensembleMembers.map { "ensemble of \($0.joined(separator: ", "))" }
                ?? "model epoch \(record.modelEpoch.map(String.init) ?? "?")"
            let scored = record.externalSet.map { "covers of \($0.folder) (set \($0.fingerprint.prefix(12)))" } ?? "\(record.split) split"
            Console.print(MetricsTable.render(record.metrics, title: "\(scored), \(model)"))
            if !record.skipped.isEmpty { Console.warning("\(record.skipped.count) unreadable images were not scored") }
            if let external = record.externalSet { Self.describeLeftOut(external) }
            if let temperature = record.temperature {
                // The temperature was fitted on validation: that split's calibration error is in-sample.
                Console.info(
                    String(
                        format: "probabilities scaled by the temperature %.3f fitted by `albumgenre calibrate`%@", temperature,
                        record.split == "val" ? " on this split (its calibration error here is in-sample)" : ""), quiet: output.quiet)
            }
        }
    }
}

/// The labelled images of one split of the catalog at `path`, failing with the command to run next
/// when the catalog, its split or the split's images are missing.
func splitImages(_ split: Split, catalogPath path: String, json: Bool = Console.mode.json) throws -> [LabelledImage] {
    let catalog = try openCatalog(path, mustExist: true, json: json)
    try requireSplits(catalog, path: path, json: json)
    let images = try catalog.labelledImages().filter { $0.split == split }
    guard !images.isEmpty else { throw TrainingError.emptySplit(split.rawValue) }
    return images
}

/// Scores the run (or ensemble) in `folder` on `images` with a progress bar and records the result
/// as `evaluation-<split>.json` in the folder, as `evaluate` does.
func scoreAndRecord(_ folder: URL, on images: [LabelledImage], split: Split, quiet: Bool, json: Bool = Console.mode.json) throws -> EvaluationRecord {
    let directory = RunDirectory(url: folder)
    let evaluator = try Evaluator(runFolder: folder)
    let members = evaluator.predictor.memberDescriptions
    if split == .val, let member = members.first(where: { $0.trainedOnValidation == true }) {
        let which = members.count > 1 ? "its member \(member.model.rawValue) is a final fit" : "it is a final fit"
        throw Console.fail(
            "\(folder.lastPathComponent) cannot be scored on validation: \(which) (`albumgenre refit`), trained on the validation split; "
                + "score it once with `albumgenre evaluate \(folder.lastPathComponent) --split test`",
            status: ExitStatus.usage, json: json)
    }
    let bar = ProgressMeter("evaluate \(folder.lastPathComponent) \(split.rawValue)", total: images.count, quiet: quiet)
    let record = evaluator.evaluate(images, split: split.rawValue) { done, _ in bar.update(done) }
    try directory.writeJSON(record, to: directory.evaluationURL(split: split.rawValue))
    return record
}

/// Plain-text rendering of metrics for the terminal.
enum MetricsTable {
    static func render(_ m: ClassificationMetrics, title: String) -> String {
        var lines = [
            "\(title): \(m.count) covers",
            String(
                format: "accuracy %.3f   balanced accuracy %.3f   macro-F1 %.3f   top-2 accuracy %.3f", m.accuracy, m.balancedAccuracy, m.macroF1,
                m.top2Accuracy),
        ]
        if let ece = m.expectedCalibrationError, let bins = m.reliability {
            let confidence = bins.reduce(0) { $0 + $1.meanConfidence * Double($1.count) } / Double(max(1, m.count))
            lines.append(
                String(
                    format: "calibration error (ECE, 10 bins) %.3f: mean top-1 probability %.3f against accuracy %.3f", ece, confidence, m.accuracy))
        }
        lines += [
            "",
            "genre          precision  recall     F1   support",
        ]
        for c in m.perClass {
            lines.append(
                String(
                    format: "%@ %9.3f %7.3f %6.3f %9d", c.name.padding(toLength: 14, withPad: " ", startingAt: 0), c.precision, c.recall, c.f1,
                    c.support))
        }
        lines.append("")
        lines.append("confusion matrix (rows: true, columns: predicted)")
        let width = max(6, (m.classNames.map(\.count).max() ?? 6) + 1)
        lines.append(
            "".padding(toLength: width, withPad: " ", startingAt: 0) + m.classNames.map { String($0.prefix(width - 1)).leftPadded(width) }.joined())
        for (name, row) in zip(m.classNames, m.confusionMatrix) {
            lines.append(name.padding(toLength: width, withPad: " ", startingAt: 0) + row.map { String($0).leftPadded(width) }.joined())
        }
        return lines.joined(separator: "\n")
    }
}
