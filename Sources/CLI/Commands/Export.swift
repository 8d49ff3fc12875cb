import ArgumentParser
import Catalog
import DataCollection
import Foundation

extension AlbumGenreCommand {
    /// `albumgenre export DIR`: an ImageFolder tree and manifest.csv from the catalog.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the labelled covers as an ImageFolder tree plus manifest.csv.",
            usage: "albumgenre export <directory> [--by-split] [--multi-label] [<options>]",
            discussion: """
                Covers go to DIR/<genre>/<album>-<sha>.jpg, or DIR/<split>/<genre>/ with --by-split; \
                DIR/manifest.csv lists path, genre(s), group, artist, title and split.

                Example: albumgenre export covers/ --catalog covers.sqlite --by-split
                """)

        @OptionGroup var catalogOption: CatalogOption
        @OptionGroup var output: OutputOptions

        @Argument(help: "Output directory.")
        var directory: String

        @Flag(help: "Lay out DIR/<split>/<genre>/ using the recorded splits.")
        var bySplit = false

        @Flag(help: "Keep albums that appear on more than one genre chart (under their first genre; all genres in manifest order).")
        var multiLabel = false

        struct Output: Encodable {
            var directory: String
            var images: Int
            var perGenre: [String: Int]
        }

        func run() async throws {
            let catalog = try openCatalog(catalogOption.catalog, mustExist: true)
            do {
                let images = try catalog.labelledImages(multiGenre: multiLabel ? .includeAsMultiLabel : .exclude)
                guard !images.isEmpty else {
                    throw Console.fail("the catalog has no labelled images with covers to export", status: ExitStatus.failure)
                }
                let missing = images.filter { !FileManager.default.fileExists(atPath: $0.filePath) }
                if let first = missing.first {
                    throw Console.fail("\(missing.count) cover files are missing, e.g. \(first.filePath)", status: ExitStatus.failure)
                }
                let count = try ImageFolder.export(images, to: directory, bySplit: bySplit)
                let perGenre = Dictionary(grouping: images, by: \.genre).mapValues(\.count)
                if output.json {
                    try Console.printJSON(Output(directory: directory, images: count, perGenre: perGenre))
                } else {
                    print(
                        "exported \(count) images to \(directory): "
                            + perGenre.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
                }
            } catch let failure as CommandFailure {
                throw failure
            } catch let failure as ImageFolder.Failure {
                if case .missingSplits = failure {
                    throw Console.fail(failure.description, status: ExitStatus.usage)
                }
                throw Console.fail(failure.description, status: ExitStatus.failure)
            } catch {
                throw Console.fail("\(error)", status: ExitStatus.failure)
            }
        }
    }
}
