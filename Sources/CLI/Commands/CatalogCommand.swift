import ArgumentParser
import Catalog
import Foundation

extension AlbumGenreCommand {
    /// `albumgenre catalog`: what a catalog holds.
    struct CatalogInfo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "catalog",
            abstract: "Print a catalog's statistics: charts, genres, covers, failures.",
            usage: "albumgenre catalog [--catalog <path>] [--failures] [--json]",
            discussion: """
                Charts with their weeks, albums per genre, albums on more than one genre chart, covers \
                found, missing and pending, recorded failures, imports and splits.
                """)

        @OptionGroup var catalogOption: CatalogOption
        @OptionGroup var output: OutputOptions

        @Flag(help: "Also list every recorded failure.")
        var failures = false

        struct Output: Encodable {
            var catalog: String
            var statistics: CatalogStatistics
            var failures: [FailureRecord]?
        }

        func run() async throws {
            let catalog = try openCatalog(catalogOption.catalog, mustExist: true)
            let statistics: CatalogStatistics
            let failureList: [FailureRecord]
            do {
                statistics = try catalog.statistics()
                failureList = failures ? try catalog.failures() : []
            } catch {
                throw Console.fail("\(error)", status: ExitStatus.failure)
            }
            if output.json {
                try Console.printJSON(Output(catalog: catalogOption.catalog, statistics: statistics, failures: failures ? failureList : nil))
                return
            }
            print("catalog \(catalogOption.catalog)")
            print("charts:")
            for chart in statistics.charts {
                print(
                    "  \(chart.slug.padding(toLength: 18, withPad: " ", startingAt: 0)) \(chart.genre.padding(toLength: 10, withPad: " ", startingAt: 0)) \(chart.weeks) weeks \(chart.firstWeek ?? "-") … \(chart.lastWeek ?? "-"), \(chart.appearances) entries"
                )
            }
            print("albums: \(statistics.albums) (\(statistics.multiGenreAlbums) on more than one genre chart)")
            for (genres, count) in statistics.albumsByGenreCount.sorted(by: { $0.key < $1.key }) where genres != "1" {
                print("  on \(genres) genres: \(count)")
            }
            print("genre        single-genre  with cover  multi-genre  imported")
            for genre in statistics.genres {
                print(
                    "  \(genre.genre.padding(toLength: 10, withPad: " ", startingAt: 0)) \(String(genre.singleGenreAlbums).leftPadded(12)) \(String(genre.singleGenreWithCover).leftPadded(11)) \(String(genre.multiGenreAlbums).leftPadded(12)) \(String(genre.importedImages).leftPadded(9))"
                )
            }
            print("covers: \(statistics.coversFound) found, \(statistics.coversMissing) missing, \(statistics.coversPending) not looked up")
            print("imported images: \(statistics.importedImages)")
            if !statistics.splits.isEmpty {
                print("splits: " + statistics.splits.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            }
            print(
                "failures: \(statistics.failures)\(statistics.failures > 0 && !failures ? " (list them with --failures; `albumgenre collect` retries them)" : "")"
            )
            for failure in failureList {
                print("  [\(failure.stage)] \(failure.subject): \(failure.message) (\(failure.attempts) attempts)")
            }
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
