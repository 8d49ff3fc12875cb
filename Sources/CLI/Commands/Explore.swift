import ArgumentParser
import Catalog
import Foundation
import ReportAssembly
import Reports

/// `albumgenre explore`: the dataset in pictures, before any training.
struct Explore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write an HTML report that explores the catalog's covers.",
        usage: "albumgenre explore [--catalog <path>] [--output-folder <dir>] [--json]",
        discussion: """
            Genres, years, chart overlap, image sizes, colours, duplicates and sample covers per \
            genre. The report is a folder that opens offline (index.html plus assets).

            Example:
              albumgenre explore --catalog covers.sqlite --output-folder reports/explore
            """)

    @OptionGroup var catalogOption: CatalogOption
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("Folder to write the report into.", valueName: "dir"))
    var outputFolder: String = "reports/explore"

    @Option(help: ArgumentHelp("Sample covers per genre on the contact sheets.", valueName: "n"))
    var samples = 24

    func run() throws {
        let catalog = try openCatalog(catalogOption.catalog, mustExist: true)
        let folder = URL(fileURLWithPath: outputFolder, isDirectory: true)
        var bar: ProgressMeter?
        let quiet = output.quiet || output.json
        var builder = ExploreBuilder()
        builder.samplesPerGenre = samples
        let report = try builder.build(
            catalog: catalog, name: URL(fileURLWithPath: catalogOption.catalog).lastPathComponent,
            thumbnails: folder.appendingPathComponent("thumbnails", isDirectory: true)
        ) { done, total in
            if bar == nil { bar = ProgressMeter("explore", total: total, unit: "covers", quiet: quiet) }
            bar?.update(done)
        }
        let written = try ReportWriter().write(report.document(), to: folder)
        if output.json {
            try Console.printJSON(["report": written.indexFile.path])
        } else {
            Console.print("explore report: \(written.indexFile.path)")
        }
    }
}
