/// The page of `albumgenre crossvalidate`: each configuration's figure on every fold, as lines over
/// the folds (parallel lines mean a steady difference, crossing lines a tie), and the fold-by-fold
/// differences against the first configuration.
///
/// Reports depends on nothing else in the package, so the CLI hands it plain numbers.
public struct CrossValidationReport: Sendable {
    /// A mean and a standard deviation, as the caller computed them.
    public struct Spread: Sendable, Equatable {
        public var mean: Double
        public var standardDeviation: Double
        public init(mean: Double, standardDeviation: Double) {
            self.mean = mean
            self.standardDeviation = standardDeviation
        }
    }

    /// One cross-validated configuration: its figure on each fold (in fold order) and their spread.
    public struct Configuration: Sendable, Equatable {
        public var name: String
        public var accuracy: [Double]
        public var macroF1: [Double]
        public var accuracySpread: Spread
        public var macroF1Spread: Spread

        public init(name: String, accuracy: [Double], macroF1: [Double], accuracySpread: Spread, macroF1Spread: Spread) {
            self.name = name
            self.accuracy = accuracy
            self.macroF1 = macroF1
            self.accuracySpread = accuracySpread
            self.macroF1Spread = macroF1Spread
        }
    }

    /// A later configuration against the first, fold by fold.
    public struct Difference: Sendable, Equatable {
        public var name: String
        public var macroF1: Spread
        public var foldsBetter: Int
        public var foldsWorse: Int

        public init(name: String, macroF1: Spread, foldsBetter: Int, foldsWorse: Int) {
            self.name = name
            self.macroF1 = macroF1
            self.foldsBetter = foldsBetter
            self.foldsWorse = foldsWorse
        }
    }

    public var configurations: [Configuration]
    public var differences: [Difference]
    /// How many train + validation covers the folds share out.
    public var coverCount: Int

    public init(configurations: [Configuration], differences: [Difference], coverCount: Int) {
        self.configurations = configurations
        self.differences = differences
        self.coverCount = coverCount
    }

    public func document(metadata: [(label: String, value: String)] = []) -> ReportDocument {
        let folds = configurations.first?.macroF1.count ?? 0
        var content: [HTMLNode] = [chart(\.macroF1, title: "Macro-F1 of each fold"), summaryTable().node]
        if configurations.count > 1 { content.append(chart(\.accuracy, title: "Accuracy of each fold")) }
        if !differences.isEmpty { content.append(differenceTable().node) }
        return ReportDocument(
            title: "Cross-validation: " + configurations.map(\.name).joined(separator: " vs "),
            subtitle: "\(folds) folds of train + validation (\(coverCount) covers); the test split was not read",
            metadata: metadata,
            sections: [
                ReportSection(
                    id: "folds", title: "Folds",
                    introduction: "Each fold in turn is the validation split, and the configuration is trained on the others; "
                        + "every configuration here saw the same folds. Lines that stay apart mean a real difference; lines "
                        + "that cross mean the configurations are tied within the folds' noise.",
                    content: content)
            ])
    }

    private func chart(_ figure: KeyPath<Configuration, [Double]>, title: String) -> HTMLNode {
        let series = configurations.enumerated().map { index, configuration in
            LineChart.Series(
                name: configuration.name, colour: Palette.seriesColours[index % Palette.seriesColours.count],
                points: configuration[keyPath: figure].enumerated().map { LineChart.Point(x: Double($0.offset + 1), y: $0.element) })
        }
        let chart = LineChart(title: title, series: series, xAxisTitle: "fold", yAxisTitle: title.components(separatedBy: " ").first, integerX: true)
        return HTML.chart(chart.svg(), caption: "Each point is the figure of the epoch that fold selected on its own validation covers.")
    }

    private func summaryTable() -> DataTable {
        let columns: [DataTable.Column] = [
            .init("configuration"), .init("accuracy mean", numeric: true), .init("accuracy sd", numeric: true),
            .init("macro-F1 mean", numeric: true), .init("macro-F1 sd", numeric: true),
        ]
        let rows = configurations.map { configuration in
            let accuracy = configuration.accuracySpread, f1 = configuration.macroF1Spread
            return DataTable.Row([
                .text(configuration.name), .number(accuracy.mean, decimals: 3), .number(accuracy.standardDeviation, decimals: 3),
                .number(f1.mean, decimals: 3), .number(f1.standardDeviation, decimals: 3),
            ])
        }
        return DataTable(caption: "Mean and standard deviation over the folds", columns: columns, rows: rows, id: "summary")
    }

    private func differenceTable() -> DataTable {
        let columns: [DataTable.Column] = [
            .init("configuration"), .init("Δ macro-F1 mean", numeric: true), .init("Δ macro-F1 sd", numeric: true),
            .init("folds better", numeric: true), .init("folds worse", numeric: true),
        ]
        let rows = differences.map { difference in
            DataTable.Row([
                .text(difference.name), .number(difference.macroF1.mean, decimals: 3), .number(difference.macroF1.standardDeviation, decimals: 3),
                .integer(difference.foldsBetter), .integer(difference.foldsWorse),
            ])
        }
        let baseline = configurations.first?.name ?? "the first"
        return DataTable(
            caption: "Against \(baseline), fold by fold (the same folds cancel their own difficulty)", columns: columns, rows: rows,
            id: "differences")
    }
}
