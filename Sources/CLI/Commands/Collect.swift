import ArgumentParser
import Catalog
import DataCollection
import Foundation

extension AlbumGenreCommand {
    /// `albumgenre collect`: Billboard genre charts week by week, then cover art, into a catalog.
    struct Collect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Collect Billboard genre charts and album covers (resumable).",
            usage: "albumgenre collect [--charts <slugs>] [--from <date>] [<options>]",
            discussion: """
                Walks each chart week by week from --from to --to, keyed on the chart date each page reports, \
                then looks up covers (Spotify needs SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET; \
                MusicBrainz + Cover Art Archive needs no account). Every chart week and cover is fetched once: \
                run the same command again to resume an interrupted run or retry failures.

                Exit status: 0 done, 1 failed, 2 bad usage or missing credentials, 3 finished with failures \
                (run again to retry them).
                """)

        @OptionGroup var catalogOption: CatalogOption
        @OptionGroup var output: OutputOptions

        @Option(
            help: ArgumentHelp(
                "Comma-separated Billboard chart slugs (default: \(defaultChartSlugs.joined(separator: ", "))).",
                valueName: "slugs"))
        var charts: String?
        @Option(help: ArgumentHelp("First date to request (YYYY-MM-DD).", valueName: "date"))
        var from: String = "2004-01-01"
        @Option(help: ArgumentHelp("Last date to request (YYYY-MM-DD; default: today).", valueName: "date"))
        var to: String?
        @Option(help: "Cover sources to try, in order: spotify, coverartarchive.")
        var sources: String = "spotify,coverartarchive"
        @Option(help: ArgumentHelp("Directory for downloaded covers (default: covers/ beside the catalog).", valueName: "dir"))
        var coversDir: String?
        @Option(help: ArgumentHelp("Spotify image width to download: 640, 300 or 64.", valueName: "px"))
        var imageSize: Int = 300
        @Option(help: ArgumentHelp("Contact (URL or e-mail) for the MusicBrainz User-Agent.", valueName: "contact"))
        var contact: String = "https://github.com/albumgenre/albumgenre"
        @Option(help: ArgumentHelp("How many covers to look up at once.", valueName: "n"))
        var concurrency: Int = 4
        @Flag(help: "Collect the charts only, no covers.")
        var skipCovers = false
        @Flag(help: "Look up again albums whose covers were recorded as missing.")
        var retryMissing = false
        @Flag(help: "Drop the pacing and retry at once; only for local fake servers.")
        var noPoliteness = false

        @Option(help: ArgumentHelp("Billboard base URL (default: the real service).", valueName: "url")) var billboardBaseURL: String?
        @Option(help: ArgumentHelp("Spotify accounts base URL (default: the real service).", valueName: "url")) var spotifyAccountsBaseURL: String?
        @Option(help: ArgumentHelp("Spotify Web API base URL, ending in /v1 (default: the real service).", valueName: "url")) var spotifyApiBaseURL:
            String?
        @Option(help: ArgumentHelp("MusicBrainz base URL (default: the real service).", valueName: "url")) var musicbrainzBaseURL: String?
        @Option(help: ArgumentHelp("Cover Art Archive base URL (default: the real service).", valueName: "url")) var coverartBaseURL: String?

        func validate() throws {
            _ = try makeConfiguration()
        }

        func makeConfiguration() throws -> CollectionConfiguration {
            var configuration = CollectionConfiguration()
            configuration.charts = (charts ?? defaultChartSlugs.joined(separator: ",")).split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            }.filter { !$0.isEmpty }
            guard !configuration.charts.isEmpty else { throw ValidationError("--charts needs at least one slug") }
            for slug in configuration.charts where !slug.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) {
                throw ValidationError("invalid chart slug '\(slug)'")
            }
            guard let start = ChartDate(iso: from) else { throw ValidationError("--from must be a date YYYY-MM-DD, got '\(from)'") }
            configuration.start = start
            if let to {
                guard let end = ChartDate(iso: to) else { throw ValidationError("--to must be a date YYYY-MM-DD, got '\(to)'") }
                configuration.end = end
            }
            guard configuration.start <= configuration.end else { throw ValidationError("--from is after --to") }
            configuration.sources = try sources.split(separator: ",").map {
                let name = $0.trimmingCharacters(in: .whitespaces).lowercased()
                guard let kind = CoverSourceKind(rawValue: name) else {
                    throw ValidationError("unknown cover source '\(name)' (expected spotify or coverartarchive)")
                }
                return kind
            }
            guard [640, 300, 64].contains(imageSize) else { throw ValidationError("--image-size must be 640, 300 or 64") }
            guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
            configuration.spotifyImageSize = imageSize
            configuration.contact = contact
            configuration.collectCovers = !skipCovers
            configuration.retryMissingCovers = retryMissing
            configuration.coverConcurrency = concurrency
            configuration.polite = !noPoliteness
            if let billboardBaseURL { configuration.endpoints.billboard = billboardBaseURL }
            if let spotifyAccountsBaseURL { configuration.endpoints.spotifyAccounts = spotifyAccountsBaseURL }
            if let spotifyApiBaseURL { configuration.endpoints.spotifyAPI = spotifyApiBaseURL }
            if let musicbrainzBaseURL { configuration.endpoints.musicBrainz = musicbrainzBaseURL }
            if let coverartBaseURL { configuration.endpoints.coverArtArchive = coverartBaseURL }
            return configuration
        }

        func run() async throws {
            let configuration = try makeConfiguration()
            let logger = Console.makeLogger()
            let credentials = SpotifyCredentials.fromEnvironment(ProcessInfo.processInfo.environment)
            if !skipCovers && configuration.sources.contains(.spotify) && credentials == nil {
                throw Console.fail(CollectorError.missingSpotifyCredentials.description, status: ExitStatus.usage)
            }
            let existed = FileManager.default.fileExists(atPath: catalogOption.catalog)
            let catalog = try openCatalog(catalogOption.catalog, mustExist: false)
            let coversDirectory = try coversDir ?? catalog.coversDirectory()
            let fetcher = AsyncHTTPFetcher()
            let bar = PhasedProgress(units: ["charts": "pages", "covers": "albums"], quiet: output.quiet || output.json)
            let report: CollectionReport
            do {
                let collector = try Collector(
                    catalog: catalog, configuration: configuration, fetcher: fetcher, credentials: credentials,
                    coversDirectory: coversDirectory, logger: logger,
                    progress: { bar.update(phase: $0.phase.rawValue, completed: $0.completed, total: $0.total, detail: $0.detail) })
                report = try await collector.run()
                bar.finish()
                try? await fetcher.shutdown()
            } catch {
                bar.finish()
                try? await fetcher.shutdown()
                let status: Int32 =
                    switch error as? CollectorError {
                    case .missingSpotifyCredentials?, .unknownChart?: ExitStatus.usage
                    default: ExitStatus.failure
                    }
                if !existed, (try? catalog.statistics().charts.isEmpty) ?? false {
                    // Nothing was stored: leave no empty catalog behind.
                    for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: catalogOption.catalog + suffix) }
                }
                throw Console.fail(Self.explain(error), status: status)
            }
            if coversDir != nil { try catalog.setCoversDirectory(coversDirectory) }
            if output.json {
                try Console.printJSON(report)
            } else {
                print(
                    """
                    charts: \(report.chartRequests) pages requested (\(report.chartRequestsSkipped) already done), \
                    \(report.chartWeeksStored) new chart weeks, \(report.chartPagesAbsent) absent (404), \(report.chartFailures) failed
                    covers: \(report.coversFound) found, \(report.coversMissing) missing, \(report.coverFailures) failed
                    time: \(String(format: "%.1f", report.seconds)) s (charts \(String(format: "%.1f", report.chartSeconds)) s, covers \(String(format: "%.1f", report.coverSeconds)) s)
                    """)
            }
            if report.failures > 0 {
                Console.note("\(report.failures) items failed; run the same command again to retry them (see `albumgenre catalog`).")
                throw CommandFailure(status: ExitStatus.partial)
            }
        }

        static func explain(_ error: any Error) -> String {
            if let error = error as? CollectorError {
                if case .network(let url, _) = error {
                    return "\(error) — is the network reachable? Nothing was lost: run the same command again to resume (\(url))."
                }
                return error.description
            }
            return "\(error)"
        }
    }
}
