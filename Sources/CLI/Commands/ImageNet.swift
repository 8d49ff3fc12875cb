import ArgumentParser
import Checkpoints
import Foundation
import Imaging
import Inference

/// `albumgenre imagenet`: the pretrained backbone's ImageNet top-5 for any photo.
struct ImageNet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "imagenet",
        abstract: "Check the pretrained weights: ImageNet top-5 classes of photos.",
        usage: "albumgenre imagenet <photos> ... [--top <top>] [<options>]",
        discussion: "A quick check that the weights and the engine work on this machine: a cat photo should say 'tabby' or 'tiger cat'.")

    @Argument(help: "Photos (JPEG or PNG).")
    var photos: [String]

    @Option(help: "How many classes to show.")
    var top = 5

    @OptionGroup var output: OutputOptions

    func run() throws {
        let classifier = try ImageNetClassifier(checkpointURL: PretrainedWeights().locate(.efficientNetLite0))
        let decoder = ImageDecoder()
        var results: [String: [ImageNetScore]] = [:]
        var failed = false
        for photo in photos {
            do {
                let scores = classifier.top(top, of: try decoder.decode(contentsOf: URL(fileURLWithPath: photo)))
                results[photo] = scores
                if !output.json {
                    Console.print(photo)
                    for s in scores { Console.print(String(format: "  %4d  %6.2f %%  %@", s.index, s.probability * 100, s.name)) }
                }
            } catch {
                failed = true
                Console.warning("\(error)")
            }
        }
        if output.json { try Console.printJSON(results) }
        if failed { throw ExitCode(results.isEmpty ? 1 : 3) }
    }
}
