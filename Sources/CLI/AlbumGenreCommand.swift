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
              albumgenre import covers/ --catalog covers.sqlite
              albumgenre split --catalog covers.sqlite
              albumgenre train --catalog covers.sqlite --name lite0
              albumgenre calibrate lite0 --catalog covers.sqlite
              albumgenre runs
              albumgenre evaluate lite0 --split test --catalog covers.sqlite
              albumgenre predict covers/ --model lite0 --report predictions/

            --catalog PATH names the catalog (default albumgenre.sqlite).
            --json prints one JSON document on stdout; logs go to stderr.
            Exit codes: 0 success, 1 failure, 2 usage, 3 some inputs skipped.
            """,
        version: "0.1.0",
        subcommands: [
            Collect.self, Import.self, CatalogInfo.self, Export.self, SplitCommand.self,
            Explore.self, Train.self, Refit.self, CrossValidate.self, Evaluate.self, Calibrate.self, Ensemble.self, ListRuns.self, Predict.self,
            Serve.self, Demo.self, Study.self, Report.self,
            InitModel.self, PackageModel.self,
            Weights.self, ImageNet.self, FakeServicesCommand.self,
        ]
    )
}
