/// The study's results table: AlbumGenre's runs side by side with the original study's published
/// numbers (`OriginalStudy.results`), task by task (six genres, then each genre pair).
public struct ComparisonReport: Codable, Sendable {
    /// One AlbumGenre result to compare.
    public struct RunResult: Codable, Sendable, Equatable {
        public var task: StudyTask
        /// Model and schedule, e.g. "EfficientNet-Lite0 frozen 20 ep + fine-tune 10 ep".
        public var model: String
        public var runName: String?
        public var trainCount: Int?
        public var validationCount: Int?
        public var testCount: Int?
        public var majorityBaseline: Double?
        public var trainAccuracy: Double?
        public var validationAccuracy: Double?
        public var validationMacroF1: Double?
        public var testAccuracy: Double?
        public var testMacroF1: Double?
        public var note: String?

        public init(
            task: StudyTask, model: String, runName: String? = nil, trainCount: Int? = nil, validationCount: Int? = nil,
            testCount: Int? = nil, majorityBaseline: Double? = nil, trainAccuracy: Double? = nil,
            validationAccuracy: Double? = nil, validationMacroF1: Double? = nil, testAccuracy: Double? = nil,
            testMacroF1: Double? = nil, note: String? = nil
        ) {
            self.task = task
            self.model = model
            self.runName = runName
            self.trainCount = trainCount
            self.validationCount = validationCount
            self.testCount = testCount
            self.majorityBaseline = majorityBaseline
            self.trainAccuracy = trainAccuracy
            self.validationAccuracy = validationAccuracy
            self.validationMacroF1 = validationMacroF1
            self.testAccuracy = testAccuracy
            self.testMacroF1 = testMacroF1
            self.note = note
        }
    }

    public var title: String
    public var results: [RunResult]
    public var notes: [String]

    public init(title: String = "AlbumGenre vs the original study", results: [RunResult], notes: [String] = []) {
        self.title = title
        self.results = results
        self.notes = notes
    }

    /// Tasks in display order: six genres first, then the study's pairs, then any other task.
    public var tasks: [StudyTask] {
        var order: [StudyTask] = []
        for task in OriginalStudy.results.map(\.task) + results.map(\.task) where !order.contains(task) {
            order.append(task)
        }
        return order
    }

    /// The report page: one table per task, plus a chart of validation accuracy per task.
    public func document(metadata: [(label: String, value: String)] = []) -> ReportDocument {
        var sections: [ReportSection] = []
        sections.append(
            ReportSection(
                id: "summary", title: "Summary",
                introduction: "Each table lists the original study's published results (grey) and AlbumGenre's "
                    + "results for the same task (highlighted). The primary target is the original 6-genre test accuracy of "
                    + "\(Markup.fixed(OriginalStudy.primaryTestAccuracy, 2)) (macro-F1 \(Markup.fixed(OriginalStudy.primaryTestMacroF1, 2))).",
                content: [bestValidationChart()] + notes.map { HTML.callout($0) }))
        for task in tasks {
            let ours = results.filter { $0.task == task }
            sections.append(
                ReportSection(
                    id: "task-" + task.genres.joined(separator: "-"), title: task == .sixGenres ? "Six genres" : task.description,
                    content: [Self.table(task: task, ours: ours).node, HTML.paragraph(OriginalStudy.citation, class: "subtitle")]))
        }
        return ReportDocument(
            title: title, subtitle: "Cover-art genre classification: reproduced and re-run", metadata: metadata,
            sections: sections, footer: OriginalStudy.citation)
    }

    /// Best validation accuracy per task, original vs AlbumGenre, as grouped horizontal bars.
    private func bestValidationChart() -> HTMLNode {
        let tasks = tasks
        // NaN marks "no result": the chart draws no bar rather than a misleading zero.
        func best(_ values: [Double?]) -> Double { values.compactMap { $0 }.max() ?? .nan }
        let original = tasks.map { task in best(OriginalStudy.results(for: task).map { $0.validationAccuracy as Double? }) }
        let ours = tasks.map { task in best(results.filter { $0.task == task }.map(\.validationAccuracy)) }
        let chart = BarChart(
            title: "Best validation accuracy per task",
            categories: tasks.map(\.description),
            series: [
                .init(name: "original study", colour: "#9a9a9a", values: original),
                .init(name: "AlbumGenre", colour: Palette.seriesColours[0], values: ours),
            ],
            orientation: .horizontal, valueAxisTitle: "validation accuracy", valueRange: 0...1, valueLabelDecimals: 3)
        return HTML.chart(
            chart.svg(),
            caption: "Validation sets differ between the studies (the original's splits are "
                + "not disjoint from its test set); a missing AlbumGenre bar means no run for that task yet.")
    }

    /// The comparison table of one task: the original study's rows, then `ours`.
    public static func table(task: StudyTask, ours: [RunResult], id: String? = nil) -> DataTable {
        let columns: [DataTable.Column] = [
            .init("model"), .init("n train", numeric: true), .init("n val", numeric: true),
            .init("majority", numeric: true), .init("train acc", numeric: true, key: "train_accuracy"),
            .init("val acc", numeric: true, key: "val_accuracy"), .init("val peak", numeric: true),
            .init("val macro-F1", numeric: true, key: "val_macro_f1"), .init("test acc", numeric: true, key: "test_accuracy"),
            .init("test macro-F1", numeric: true, key: "test_macro_f1"), .init("note"),
        ]
        func number(_ value: Double?) -> DataTable.Cell { value.map { .number($0, decimals: 3) } ?? .empty }
        func integer(_ value: Int?) -> DataTable.Cell { value.map { .integer($0) } ?? .empty }
        func model(_ name: String, source: String) -> DataTable.Cell {
            .nodes([.text(name), HTML.element("span", class: "source", [.text(source)])])
        }
        func note(_ text: String?) -> DataTable.Cell {
            text.map { .nodes([HTML.element("span", class: "note", [.text($0)])]) } ?? .empty
        }
        // Published numbers keep their published precision: 0.48 stays "0.48", not "0.480".
        func published(_ value: Double?) -> DataTable.Cell {
            guard let value else { return .empty }
            let isTwoDecimal = abs(value * 100 - (value * 100).rounded()) < 1e-9
            return .number(value, decimals: isTwoDecimal ? 2 : 3)
        }
        var rows = OriginalStudy.results(for: task).map { result in
            DataTable.Row(
                [
                    model(result.model, source: "original study"), .integer(result.trainCount), .integer(result.validationCount),
                    .percent(result.majorityBaseline, decimals: 1),
                    result.trainAccuracy.map(published) ?? result.trainAccuracyNote.map { .text($0) } ?? .empty,
                    published(result.validationAccuracy), published(result.validationPeak), published(result.validationMacroF1),
                    published(result.testAccuracy), published(result.testMacroF1), note(result.note),
                ], attributes: [("data-source", "original")], className: "reference")
        }
        rows += ours.map { result in
            DataTable.Row(
                [
                    model(result.model, source: result.runName.map { "AlbumGenre · \($0)" } ?? "AlbumGenre"),
                    integer(result.trainCount), integer(result.validationCount),
                    result.majorityBaseline.map { .percent($0, decimals: 1) } ?? .empty,
                    number(result.trainAccuracy), number(result.validationAccuracy), .empty, number(result.validationMacroF1),
                    number(result.testAccuracy), number(result.testMacroF1), note(result.note),
                ], attributes: [("data-source", "albumgenre")], className: "ours")
        }
        let caption =
            OriginalStudy.results(for: task).isEmpty
            ? "\(task): the original study has no result for this task"
            : "\(task): original study (§1.4) and AlbumGenre"
        return DataTable(caption: caption, columns: columns, rows: rows, id: id)
    }
}
