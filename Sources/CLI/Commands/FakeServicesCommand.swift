import ArgumentParser
import DataCollection
import FakeServices
import Foundation

extension AlbumGenreCommand {
    /// `albumgenre fake-services`: the test doubles on a local port, for development and demos.
    struct FakeServicesCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fake-services",
            abstract: "Serve fakes of the collector's web services (development only).",
            usage: "albumgenre fake-services [--port <port>] [<fault options>]",
            discussion: """
                Billboard, Spotify, MusicBrainz and Cover Art Archive test doubles on 127.0.0.1, with \
                a deterministic world of charts and covers and optional injected faults. The banner \
                prints the `albumgenre collect` command that uses them.
                """)

        @Option(help: "Port (0 picks a free one).") var port: Int = 0
        @Option(help: ArgumentHelp("One request in N gets 429 + Retry-After on its first attempt (0: never).", valueName: "n")) var rateLimitEvery = 0
        @Option(help: ArgumentHelp("One request in N gets a 5xx on its first attempt (0: never).", valueName: "n")) var serverErrorEvery = 0
        @Option(help: ArgumentHelp("One Spotify search in N gets 401 token expired (0: never).", valueName: "n")) var tokenExpiryEvery = 0
        @Option(help: ArgumentHelp("One chart page in N comes without rows on its first attempt (0: never).", valueName: "n")) var malformedEvery = 0
        @Option(help: ArgumentHelp("One request in N stalls for --stall-seconds on its first attempt (0: never).", valueName: "n")) var stallEvery = 0
        @Option(help: "Stall length in seconds.") var stallSeconds = 3.0
        @Option(help: ArgumentHelp("Delay before every answer, like a network round trip.", valueName: "ms")) var latencyMs = 0
        @Option(help: "What pre-launch and off-season dates answer: round-up or not-found.") var prelaunch = "round-up"
        @Option(help: "Chart template: by-date, 2021 or 2025.") var template = "by-date"
        @Option(help: "New albums per chart week (the size of the fake world).") var churn = 2

        func run() async throws {
            var configuration = FakeConfiguration()
            configuration.world = FakeWorld(churn: churn)
            configuration.rateLimitEvery = rateLimitEvery
            configuration.serverErrorEvery = serverErrorEvery
            configuration.tokenExpiryEvery = tokenExpiryEvery
            configuration.malformedEvery = malformedEvery
            configuration.stallEvery = stallEvery
            configuration.stallSeconds = stallSeconds
            configuration.responseLatencyMilliseconds = latencyMs
            switch prelaunch {
            case "round-up": configuration.prelaunch = .roundUp
            case "not-found": configuration.prelaunch = .notFound
            default: throw ValidationError("--prelaunch must be round-up or not-found")
            }
            switch template {
            case "by-date": configuration.template = .byDate
            case "2021": configuration.template = .positional2021
            case "2025": configuration.template = .labelled2025
            default: throw ValidationError("--template must be by-date, 2021 or 2025")
            }
            let server = FakeServer(configuration: configuration)
            try await server.start(port: port)
            let endpoints = server.endpoints
            let banner = """
                fake services on \(server.origin) (Ctrl-C to stop). Collect against them with:
                  SPOTIFY_CLIENT_ID=\(configuration.spotifyClientID) SPOTIFY_CLIENT_SECRET=\(configuration.spotifyClientSecret) \\
                  albumgenre collect --no-politeness --billboard-base-url \(endpoints.billboard) \\
                    --spotify-accounts-base-url \(endpoints.spotifyAccounts) --spotify-api-base-url \(endpoints.spotifyAPI) \\
                    --musicbrainz-base-url \(endpoints.musicBrainz) --coverart-base-url \(endpoints.coverArtArchive)

                """
            FileHandle.standardOutput.write(Data(banner.utf8))
            while !Task.isCancelled { try await Task.sleep(for: .seconds(3600)) }
        }
    }
}
