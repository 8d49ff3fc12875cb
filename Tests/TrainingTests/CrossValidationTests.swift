import Foundation
import Models
import RunArtifacts
import Testing

@testable import Catalog
@testable import Training

/// Cross-validation's fold datasets (the folds themselves are in GroupedSplitTests) and its spread.
struct CrossValidationTests {
    @Test func eachCoverIsValidatedInExactlyOneFold() {
        let pool = (0..<30).map { i in
            LabelledImage(
                albumID: Int64(i), artist: "a\(i)", title: "t\(i)", genre: ["rock", "jazz"][i % 2], genres: [["rock", "jazz"][i % 2]],
                filePath: "/covers/\(i).jpg", sha256: "\(i)", width: 300, height: 300, split: i % 3 == 0 ? .val : .train)
        }
        let folds = Dictionary(uniqueKeysWithValues: pool.map { ($0.albumID, Int($0.albumID) % 3) })
        let datasets = CrossValidation.foldDatasets(pool: pool, folds: folds, count: 3, genres: ["jazz", "rock"])
        #expect(datasets.count == 3)
        var validatedIn: [Int64: [Int]] = [:]
        for (fold, dataset) in datasets.enumerated() {
            #expect(dataset.images.count == pool.count && dataset.classNames == ["jazz", "rock"])
            for image in dataset.images(in: .val) { validatedIn[image.albumID, default: []].append(fold) }
            #expect(dataset.images(in: .train).count == 20 && dataset.images(in: .test).isEmpty)
        }
        #expect(validatedIn.count == pool.count && validatedIn.allSatisfy { $0.value == [folds[$0.key]!] })
    }

    @Test func theSpreadIsTheMeanAndTheSampleStandardDeviation() {
        let spread = CrossValidation.Spread([0.4, 0.5, 0.6])
        #expect(abs(spread.mean - 0.5) < 1e-12 && abs(spread.standardDeviation - 0.1) < 1e-12)
        #expect(CrossValidation.Spread([0.3]).standardDeviation == 0)
    }

    /// The k-fold loop: every plan trains on the same folds, each fold's selected epoch is read back
    /// from its metrics, the summaries are written and the second plan is compared with the first.
    @Test func everyPlanTrainsOnTheSameFoldsAndIsCompared() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("cv-run-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let pool: [LabelledImage] = (0..<24).map { (i: Int) -> LabelledImage in
            let genre = i % 2 == 0 ? "rock" : "jazz"
            let split: Split = i % 4 == 0 ? .val : .train
            return LabelledImage(
                albumID: Int64(i + 1), artist: "artist \(i)", title: "album \(i)", genre: genre, genres: [genre],
                filePath: "/nonexistent/\(i).jpg", sha256: "\(i)", width: 300, height: 300, split: split)
        }
        let configuration = TrainingConfiguration(model: .coverNet, genres: ["jazz", "rock"], resolution: 32)
        let plans = ["a", "b"].map { CrossValidation.Plan(source: $0, configuration: configuration, folder: root.appendingPathComponent("\($0)-cv")) }
        var validated: [String: [Set<Int64>]] = [:]
        var started: [String] = []
        let (summaries, comparisons) = try CrossValidation.run(
            plans: plans, pool: pool, count: 3, seed: 9, starting: { source, fold, _ in started.append("\(source)\(fold)") },
            train: { _, dataset, run in
                let plan = run.url.deletingLastPathComponent().lastPathComponent
                validated[plan, default: []].append(Set(dataset.images(in: .val).map(\.albumID)))
                // Plan b is better by 0.1 on every fold.
                let figure = (plan == "b-cv" ? 0.6 : 0.5) + Double(validated[plan]!.count) / 100
                try run.appendMetrics(
                    EpochRecord(
                        phase: .scratch, epoch: 1, trainLoss: 1, trainAccuracy: 0.5, validationAccuracy: figure, validationMacroF1: figure,
                        validationBalancedAccuracy: figure, isBest: true))
            })
        #expect(started == ["a1", "a2", "a3", "b1", "b2", "b3"])
        #expect(validated["a-cv"] == validated["b-cv"] && validated["a-cv"]?.count == 3)
        let everyCover = validated["a-cv", default: []].reduce(into: Set<Int64>()) { $0.formUnion($1) }
        #expect(everyCover == Set(pool.map { $0.albumID }))
        #expect(summaries.map { $0.source } == ["a", "b"] && summaries[0].folds.map { $0.macroF1 } == [0.51, 0.52, 0.53])
        #expect(comparisons.count == 1 && comparisons[0].foldsBetter == 3 && abs(comparisons[0].macroF1Difference.mean - 0.1) < 1e-9)
        let written = try RunDirectory(url: plans[1].folder).readJSON(
            CrossValidation.Summary.self, from: plans[1].folder.appendingPathComponent(RunDirectory.FileName.crossValidation))
        #expect(written == summaries[1])
    }
}

/// `albumgenre study`'s experiments.
struct StudyPlanTests {
    @Test func theStudysPairsThatTheCatalogHasFollowAllGenres() {
        let genres = ["country", "holiday", "jazz", "latin", "rap", "rock"]
        #expect(StudyPlan.tasks(genres: genres, pairs: nil) == [genres] + StudyPlan.studyPairs)
        #expect(StudyPlan.tasks(genres: ["country", "pop", "rock"], pairs: nil) == [["country", "pop", "rock"]])
        #expect(StudyPlan.tasks(genres: genres, pairs: [["rap", "jazz"], ["rap", "polka"]]) == [genres, ["rap", "jazz"]])
        #expect(StudyPlan.tasks(genres: genres, pairs: []) == [genres])
    }

    @Test func allGenresGetThreeModelsAPairTwo() {
        let plan = StudyPlan(scratchEpochs: 3, frozenEpochs: 4, fineTuneEpochs: 5, seed: 9)
        let all = plan.experiments(task: ["jazz", "rap", "rock"], allGenres: true)
        #expect(all.map(\.runName) == ["study-all-study-cnn", "study-all-lite0-frozen", "study-all-lite0-finetuned"])
        #expect(all.map(\.configuration.model) == [.studyCNN, .efficientNetLite0, .efficientNetLite0])
        #expect(all.map(\.configuration.frozenEpochs) == [3, 4, 4] && all.map(\.configuration.fineTuneEpochs) == [0, 0, 5])
        #expect(all[0].configuration.augmentation == false && all[0].configuration.earlyStoppingPatience == nil)
        #expect(all.allSatisfy { $0.configuration.seed == 9 && $0.configuration.genres == ["jazz", "rap", "rock"] })
        let pair = plan.experiments(task: ["rap", "rock"], allGenres: false)
        #expect(pair.map(\.runName) == ["study-rap-rock-study-cnn", "study-rap-rock-lite0-finetuned"])
    }
}

/// `calibrate`'s temperature and its cross-fitted figures.
struct CalibrationFitTests {
    @Test func overconfidentProbabilitiesGetATemperatureAboveOneThatLowersTheirLogLoss() {
        // Right 60 % of the time but always 95 % sure: T > 1 softens them.
        let classNames = ["a", "b", "c"]
        var rows: [[Float]] = [], labels: [Int] = []
        for index in 0..<200 {
            let predicted = index % 3
            rows.append((0..<3).map { $0 == predicted ? 0.95 : 0.025 })
            labels.append(index % 5 < 3 ? predicted : (predicted + 1) % 3)
        }
        let record = CalibrationRecord.fitted(rows: rows, labels: labels, classNames: classNames, fittedOn: "run")
        #expect(record.temperature > 1.5 && record.covers == 200 && record.fittedOn == "run")
        #expect(record.crossFitted.negativeLogLikelihood < record.before.negativeLogLikelihood)
        #expect(record.crossFitted.expectedCalibrationError < record.before.expectedCalibrationError)
    }
}

/// `evaluate --images`: which outside covers are scored, under which genre.
struct ExternalCandidatesTests {
    @Test func foldersAreRelabelledAndUnknownGenresLeftOut() {
        let scanned = ["hip-hop", "rock", "polka", "rock"].enumerated().map { index, genre in
            Catalog.ImportedImage(
                genre: genre, filePath: "/outside/\(genre)/\(index).jpg", sha256: "\(index)", width: 300, height: 300, split: nil,
                artist: "", title: "")
        }
        let selection = ExternalSet.candidates(scanned, relabelled: ["hip-hop": "hiphop"], classNames: ["hiphop", "rock"])
        #expect(selection.images.map(\.genre) == ["hiphop", "rock", "rock"])
        #expect(selection.images.map(\.albumID) == [1, 2, 4] && selection.images.allSatisfy { $0.split == nil })
        #expect(selection.unknownGenre == ["/outside/polka/2.jpg"])
    }
}
