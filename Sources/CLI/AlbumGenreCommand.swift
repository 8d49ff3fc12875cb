import ArgumentParser

/// The `albumgenre` command-line tool: collect covers, explore them, train genre classifiers,
/// and predict the genre of any cover.
@main
struct AlbumGenreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "albumgenre",
        abstract: "Learn an album's music genre from its cover art.",
        discussion: """
            A typical session:
              albumgenre import ../covers --catalog covers.sqlite   # or: albumgenre collect
              albumgenre split --catalog covers.sqlite
              albumgenre train --catalog covers.sqlite --model efficientnet-lite0 --name lite0
              albumgenre evaluate runs/lite0 --split test
              albumgenre predict cover.jpg --model runs/lite0
            Every command that reads a catalog takes --catalog PATH (default albumgenre.sqlite);
            every command that prints results takes --json (one JSON document on stdout, logs on stderr).
            """,
        version: "0.1.0",
        subcommands: [
            Collect.self, Import.self, CatalogInfo.self, Export.self, SplitCommand.self,
            Explore.self, Train.self, Evaluate.self, Predict.self, Serve.self, Demo.self, Study.self, Report.self,
            InitModel.self, PackageModel.self,
            Weights.self, ImageNet.self, FakeServicesCommand.self,
        ]
    )
}
