import ArgumentParser
import Foundation
import ReportAssembly
import RunArtifacts
import Training

/// `albumgenre report`: (re)write the HTML report of one or more runs.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the HTML training report of one or more runs.",
        usage: "albumgenre report <run-names> ... [--runs <dir>] [--no-grad-cam] [--json]",
        discussion: """
            Learning curves, the confusion matrix, per-class scores and the mistakes with Grad-CAM \
            heat maps. Each run gets its own report inside its run folder; the paths are printed.

            Example: albumgenre report lite0-6genres study-cnn-6genres
            """)

    @OptionGroup var runsOption: RunsOption
    @OptionGroup var output: OutputOptions

    @Argument(help: "Runs: names under --runs or run folders.")
    var runNames: [String]

    @Flag(inversion: .prefixedNo, help: "Compute Grad-CAM overlays for the mistakes (needs the model).")
    var gradCAM = true

    func run() throws {
        var written: [String: String] = [:]
        for name in runNames {
            let path = try RunReporting.writeTrainingReport(run: RunDirectory(url: runsOption.existingRunFolder(name)), gradCAM: gradCAM)
            written[name] = path
            if !output.json { Console.print("\(name): \(path)") }
        }
        if output.json { try Console.printJSON(written) }
    }
}
