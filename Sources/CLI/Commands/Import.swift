import ArgumentParser
import Catalog
import DataCollection
import Foundation

extension AlbumGenreCommand {
    /// `albumgenre import DIR`: an ImageFolder dataset into the catalog.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import an ImageFolder dataset of covers into the catalog.",
            usage: "albumgenre import <directory> [--catalog <path>] [<options>]",
            discussion: """
                DIR holds DIR/<genre>/* or DIR/{train,val,test}/<genre>/* (the splits are kept; val may be \
                named valid or validation). Files \
                stay where they are; the catalog records their paths, sizes and SHA-256. A manifest.csv \
                in DIR (path, genre, …, group_id, artist, title, split) is used when present.

                Example: albumgenre import covers/ --catalog covers.sqlite
                """)

        @OptionGroup var catalogOption: CatalogOption
        @OptionGroup var output: OutputOptions

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
                throw Console.fail("\(error)", status: ExitStatus.failure)
            }
            let catalog = try openCatalog(catalogOption.catalog, mustExist: false)
            let added: Int
            do {
                added = try catalog.importImages(images)
            } catch {
                throw Console.fail("\(error)", status: ExitStatus.failure)
            }
            let perGenre = Dictionary(grouping: images, by: \.genre).mapValues(\.count)
            let perSplit = Dictionary(grouping: images, by: { $0.split?.rawValue ?? "none" }).mapValues(\.count)
            let severalGenres = Self.releasesInSeveralGenres(images)
            if let (release, genres) = severalGenres.min(by: { $0.key < $1.key }) {
                Console.warning(
                    "\(severalGenres.count) release(s) have covers in more than one genre folder (e.g. \(release): \(genres.joined(separator: ", "))); "
                        + "each cover keeps its folder's genre and `split` keeps a release's covers in one split")
            }
            if output.json {
                try Console.printJSON(
                    Output(
                        directory: directory, scanned: images.count, added: added, perGenre: perGenre, perSplit: perSplit,
                        releasesInSeveralGenres: severalGenres))
            } else {
                print(
                    "imported \(images.count) images (\(added) new) from \(directory): "
                        + perGenre.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            }
        }
    }
}
