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

        @OptionGroup var options: CatalogOptions

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
            let catalog = try openCatalog(options.catalog, mustExist: true, json: options.json)
            do {
                let images = try catalog.labelledImages(multiGenre: multiLabel ? .includeAsMultiLabel : .exclude)
                guard !images.isEmpty else {
                    throw Console.fail("the catalog has no labelled images with covers to export", status: ExitStatus.failure, json: options.json)
                }
                let missing = images.filter { !FileManager.default.fileExists(atPath: $0.filePath) }
                if let first = missing.first {
                    throw Console.fail("\(missing.count) cover files are missing, e.g. \(first.filePath)", status: ExitStatus.failure, json: options.json)
                }
                let count = try ImageFolder.export(images, to: directory, bySplit: bySplit)
                let perGenre = Dictionary(grouping: images, by: \.genre).mapValues(\.count)
                if options.json {
                    try Console.printJSON(Output(directory: directory, images: count, perGenre: perGenre))
                } else {
                    print("exported \(count) images to \(directory): " + perGenre.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
                }
            } catch let failure as CommandFailure {
                throw failure
            } catch let failure as ImageFolder.Failure {
                if case .missingSplits = failure {
                    throw Console.fail(failure.description, status: ExitStatus.usage, json: options.json)
                }
                throw Console.fail(failure.description, status: ExitStatus.failure, json: options.json)
            } catch {
                throw Console.fail("\(error)", status: ExitStatus.failure, json: options.json)
            }
        }
    }

    /// `albumgenre import DIR`: an ImageFolder dataset into the catalog.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import an ImageFolder dataset of covers into the catalog.",
            discussion: """
                DIR holds DIR/<genre>/* or DIR/{train,val,test}/<genre>/* (the splits are kept). Files \
                stay where they are; the catalog records their paths, sizes and SHA-256. A manifest.csv \
                in DIR (path, genre, …, group_id, artist, title, split) is used when present.

                Example: albumgenre import covers/ --catalog covers.sqlite
                """)

        @OptionGroup var options: CatalogOptions

        @Argument(help: "ImageFolder root directory.")
        var directory: String

        struct Output: Encodable {
            var directory: String
            var scanned: Int
            var added: Int
            var perGenre: [String: Int]
            var perSplit: [String: Int]
            /// Releases (manifest group_id) whose covers lie in more than one genre folder.
            var releasesInSeveralGenres: [String: [String]]
        }

        /// The releases (manifest `group_id`) whose covers are filed under more than one genre, with
        /// those genres: labels that disagree about one album (Discogs files some releases twice).
        static func releasesInSeveralGenres(_ images: [Catalog.ImportedImage]) -> [String: [String]] {
            var genres: [String: Set<String>] = [:]
            for image in images { if let group = image.group { genres[group, default: []].insert(image.genre) } }
            return genres.filter { $0.value.count > 1 }.mapValues { $0.sorted() }
        }

        func run() async throws {
            let images: [Catalog.ImportedImage]
            do {
                images = try ImageFolder.scan(directory)
            } catch {
                throw Console.fail("\(error)", status: ExitStatus.failure, json: options.json)
            }
            let catalog = try openCatalog(options.catalog, mustExist: false, json: options.json)
            let added: Int
            do {
                added = try catalog.importImages(images)
            } catch {
                throw Console.fail("\(error)", status: ExitStatus.failure, json: options.json)
            }
            let perGenre = Dictionary(grouping: images, by: \.genre).mapValues(\.count)
            let perSplit = Dictionary(grouping: images, by: { $0.split?.rawValue ?? "none" }).mapValues(\.count)
            let severalGenres = Self.releasesInSeveralGenres(images)
            if let (release, genres) = severalGenres.min(by: { $0.key < $1.key }) {
                Console.warning(
                    "\(severalGenres.count) release(s) have covers in more than one genre folder (e.g. \(release): \(genres.joined(separator: ", "))); "
                        + "each cover keeps its folder's genre and `split` keeps a release's covers in one split")
            }
            if options.json {
                try Console.printJSON(Output(
                    directory: directory, scanned: images.count, added: added, perGenre: perGenre, perSplit: perSplit, releasesInSeveralGenres: severalGenres))
            } else {
                print("imported \(images.count) images (\(added) new) from \(directory): "
                    + perGenre.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            }
        }
    }
}
