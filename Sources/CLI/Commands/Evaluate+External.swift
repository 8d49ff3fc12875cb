import ArgumentParser
import Catalog
import DataCollection
import Foundation
import Imaging
import RunArtifacts
import Training

/// `albumgenre evaluate RUN --images DIR`: labelled covers from outside the catalog, scored once,
/// without the covers the model has seen.
extension Evaluate {
    /// `--relabel FOLDER=GENRE` options as a map from folder genre to model genre.
    func relabelling() throws -> [String: String] {
        var map: [String: String] = [:]
        for pair in relabel {
            let parts = pair.split(separator: "=", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ValidationError("--relabel takes FOLDER=GENRE (e.g. hip-hop=hiphop), not \(pair)")
            }
            guard map.updateValue(parts[1], forKey: parts[0]) == nil else { throw ValidationError("--relabel names folder \(parts[0]) twice") }
        }
        return map
    }

    /// Scores the covers of the ImageFolder tree at `path` with the model in `folder` and records
    /// the result as `evaluation-external-<fingerprint>.json`; a recorded result is shown instead
    /// unless `--rescore`. Exit status 3 when covers were left out (seen, of unknown genres, unreadable).
    func scoreExternalSet(_ path: String, runFolder folder: URL) throws {
        let scanned: [Catalog.ImportedImage]
        do { scanned = try ImageFolder.scan(path) } catch {
            throw Console.fail("cannot score \(path): \(error)", status: ExitStatus.failure)
        }
        let relabelled = try relabelling()
        let label = { (image: Catalog.ImportedImage) in relabelled[image.genre] ?? image.genre }
        let fingerprint = ExternalSet.fingerprint(of: scanned.map { (label($0), $0.sha256) })
        let directory = RunDirectory(url: folder)
        let recordURL = directory.evaluationURL(split: "external-\(fingerprint.prefix(12))")
        if !rescore, let recorded = try? directory.readJSON(EvaluationRecord.self, from: recordURL) {
            Console.info(
                "these covers were scored with \(folder.lastPathComponent) on \(recorded.scoredAt); showing that result (--rescore scores them again)",
                quiet: output.quiet)
            if let external = recorded.externalSet,
                external.seenChecked == skipSeenCheck || (!skipSeenCheck && external.nearDuplicateDistance != nearDuplicateDistance)
            {
                Console.warning(
                    "that result was scored \(external.seenChecked ? "leaving out covers within \(external.nearDuplicateDistance) bits of those the model has seen" : "without looking for covers the model has seen"); --rescore scores them as asked now"
                )
            }
            try show(recorded)
            return try exitPartialIfLeftOut(recorded)
        }
        if rescore, FileManager.default.fileExists(atPath: recordURL.path) {
            Console.warning("re-scoring covers already scored: report only the first figure you obtained")
        }

        let evaluator = try Evaluator(runFolder: folder)
        let classNames = evaluator.description.classNames
        for (from, to) in relabelled.sorted(by: { $0.key < $1.key }) where !classNames.contains(to) {
            throw Console.fail(
                "--relabel \(from)=\(to): \(to) is not one of the model's genres (\(classNames.joined(separator: ", ")))", status: ExitStatus.usage)
        }
        let selection = ExternalSet.candidates(scanned, relabelled: relabelled, classNames: classNames)
        var candidates = selection.images
        let unknownGenre = selection.unknownGenre
        guard !candidates.isEmpty else {
            let folders = Set(scanned.map(\.genre)).sorted().joined(separator: ", ")
            throw Console.fail(
                "no cover in \(path) is of the model's genres (\(classNames.joined(separator: ", "))); its folders are \(folders): map them with --relabel FOLDER=GENRE",
                status: ExitStatus.usage)
        }
        var seen: [SeenCovers.Match] = []
        if !skipSeenCheck {
            let seenCovers = try coversSeen(by: folder)
            let bar = ProgressMeter(
                "look for covers \(folder.lastPathComponent) has seen", total: candidates.count, quiet: output.quiet || output.json)
            (candidates, seen) = seenCovers.leavingOut(candidates) { bar.update($0) }
            guard !candidates.isEmpty else {
                throw Console.fail(
                    "\(folder.lastPathComponent) has seen every cover of \(path) (or a near copy): nothing is left to score",
                    status: ExitStatus.failure)
            }
        }
        let bar = ProgressMeter(
            "evaluate \(folder.lastPathComponent) on \(URL(fileURLWithPath: path).lastPathComponent)", total: candidates.count,
            quiet: output.quiet || output.json)
        var record = evaluator.evaluate(candidates, split: "external") { done, _ in bar.update(done) }
        record.externalSet = ExternalSet(
            folder: URL(fileURLWithPath: path).standardizedFileURL.path, fingerprint: fingerprint, relabelled: relabelled,
            seenChecked: !skipSeenCheck, nearDuplicateDistance: nearDuplicateDistance, seen: seen, unknownGenre: unknownGenre)
        try directory.writeJSON(record, to: recordURL)
        try show(record)
        try exitPartialIfLeftOut(record)
    }

    /// The covers the model in `folder` trained or was chosen on, hashed, from its runs' split.json
    /// and the catalog; a clear usage error when they cannot be told.
    private func coversSeen(by folder: URL) throws -> SeenCovers {
        let catalog = try openCatalog(catalogOption.catalog, mustExist: true)
        let bar = ProgressMeter("hash the covers \(folder.lastPathComponent) has seen", total: 1, quiet: output.quiet || output.json)
        do {
            return try SeenCovers.of(
                modelAt: folder, catalogImages: catalog.labelledImages(multiGenre: .includeAsMultiLabel), nearDuplicateDistance: nearDuplicateDistance
            ) { done, total in bar.update(done, total: total) }
        } catch let error as SeenCoversError {
            throw Console.fail("\(error); or score every cover with --skip-seen-check", status: ExitStatus.usage)
        }
    }

    private func exitPartialIfLeftOut(_ record: EvaluationRecord) throws {
        if (record.externalSet?.leftOut ?? 0) + record.skipped.count > 0 { throw CommandFailure(status: ExitStatus.partial) }
    }

    /// One warning per reason covers were left out, with a few examples.
    static func describeLeftOut(_ external: ExternalSet) {
        func examples(_ files: [String]) -> String {
            files.prefix(3).map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ", ") + (files.count > 3 ? ", …" : "")
        }
        if !external.seen.isEmpty {
            let identical = external.seen.filter(\.identical).count
            Console.warning(
                "\(external.seen.count) covers were left out because the model has seen them (\(identical) identical, \(external.seen.count - identical) near copies): "
                    + examples(external.seen.map(\.file)))
        }
        if !external.unknownGenre.isEmpty {
            Console.warning(
                "\(external.unknownGenre.count) covers of genres the model does not know were left out (--relabel maps a folder): \(examples(external.unknownGenre))"
            )
        }
        if !external.seenChecked { Console.warning("not checked for covers the model has seen (--skip-seen-check)") }
    }
}
