/// The sections of a training report page.
extension TrainingReport {
    func summarySection() -> ReportSection {
        var content: [HTMLNode] = []
        if let evaluation = headlineEvaluation {
            var figures: [(label: String, value: String, note: String?)] = [
                (
                    "\(evaluation.split) accuracy", Markup.fixed(evaluation.accuracy, 3),
                    "majority baseline \(Markup.fixed(evaluation.majorityBaseline, 3))"
                ),
                ("\(evaluation.split) macro-F1", Markup.fixed(evaluation.macroF1, 3), nil),
                ("balanced accuracy", Markup.fixed(evaluation.balancedAccuracy, 3), nil),
            ]
            if let top2 = evaluation.top2Accuracy { figures.append(("top-2 accuracy", Markup.fixed(top2, 3), nil)) }
            if StudyTask(genres: evaluation.classNames) == .sixGenres {
                figures.append(
                    (
                        "original study, test", Markup.fixed(OriginalStudy.primaryTestAccuracy, 3),
                        "macro-F1 \(Markup.fixed(OriginalStudy.primaryTestMacroF1, 2)), frozen MobileNetV2"
                    ))
            }
            content.append(HTML.keyFigures(figures))
        } else if let last = epochs.last {
            content.append(
                HTML.keyFigures([
                    ("last train accuracy", Markup.fixed(last.trainAccuracy, 3), "epoch \(last.epoch)"),
                    ("last val accuracy", last.validationAccuracy.map { Markup.fixed($0, 3) } ?? "–", nil),
                ]))
        }
        if let members = ensembleMembers {
            content.append(
                HTML.callout(
                    "An ensemble: its genre probabilities are the mean of \(members.count) trained runs' (\(members.joined(separator: ", "))); their learning curves are in their own reports.",
                    kind: "note"))
        } else if epochs.isEmpty {
            content.append(HTML.callout("The metrics log has no complete epoch yet.", kind: "warning"))
        }
        if let tail = metricsTruncatedTail {
            content.append(
                HTML.callout(
                    "The metrics log ends with an incomplete line (the run was probably stopped while writing): "
                        + "it was ignored. Partial line: \(ChartDrawing.truncated(tail, maxCharacters: 120))",
                    kind: "warning"))
        }
        content += notes.map { HTML.callout($0) }
        return ReportSection(id: "summary", title: "Summary", content: content)
    }

    func learningCurvesSection() -> ReportSection {
        let x = epochs.map { Double($0.epoch) }
        func points(_ values: [Double?]) -> [LineChart.Point] {
            zip(x, values).compactMap { x, y in y.map { LineChart.Point(x: x, y: $0) } }
        }
        let regions = phaseRegions
        let loss = LineChart(
            title: "Loss per epoch",
            series: [
                .init(name: "train loss", colour: Palette.seriesColours[0], points: points(epochs.map(\.trainLoss))),
                .init(
                    name: "validation loss", colour: Palette.seriesColours[1], dash: "6 4",
                    points: points(epochs.map(\.validationLoss))),
            ].filter { !$0.points.isEmpty },
            regions: regions, xAxisTitle: "epoch", yAxisTitle: "cross-entropy", integerX: true)

        var references: [LineChart.ReferenceLine] = []
        if let evaluation = evaluations.first(where: { $0.split.lowercased().hasPrefix("val") }) ?? headlineEvaluation {
            references.append(
                .init(
                    label: "majority baseline \(Markup.fixed(evaluation.majorityBaseline, 3))",
                    value: evaluation.majorityBaseline, colour: "#888888"))
        }
        if StudyTask(genres: classNames) == .sixGenres {
            let original = OriginalStudy.results(for: .sixGenres)
            if let frozen = original.first(where: { $0.model.hasPrefix("MobileNetV2 frozen") }) {
                references.append(
                    .init(
                        label: "original frozen val \(Markup.fixed(frozen.validationAccuracy, 3))",
                        value: frozen.validationAccuracy, colour: "#8c6d1f"))
            }
            if let tuned = original.first(where: { $0.model.contains("fine-tune") }) {
                references.append(
                    .init(
                        label: "original fine-tuned val \(Markup.fixed(tuned.validationAccuracy, 3))",
                        value: tuned.validationAccuracy, colour: "#a0522d"))
            }
        }
        let accuracy = LineChart(
            title: "Accuracy and macro-F1 per epoch",
            series: [
                .init(name: "train accuracy", colour: Palette.seriesColours[0], points: points(epochs.map(\.trainAccuracy))),
                .init(
                    name: "validation accuracy", colour: Palette.seriesColours[1], dash: "6 4",
                    points: points(epochs.map(\.validationAccuracy))),
                .init(
                    name: "validation macro-F1", colour: Palette.seriesColours[2], dash: "2 3",
                    points: points(epochs.map(\.validationMacroF1))),
            ].filter { !$0.points.isEmpty },
            regions: regions, referenceLines: references, xAxisTitle: "epoch", yAxisTitle: "fraction",
            yRange: 0...1, integerX: true)

        var content: [HTMLNode] = [
            HTML.chart(loss.svg(), caption: "Training loss (solid) and validation loss (dashed). Shaded bands are training phases."),
            HTML.chart(
                accuracy.svg(),
                caption: "Dotted horizontal lines: always predicting the majority class, and the "
                    + "original study's validation accuracy where the task matches."),
        ]
        let throughput = epochs.compactMap(\.imagesPerSecond).filter(\.isFinite)
        let seconds = epochs.compactMap(\.seconds).filter(\.isFinite)
        if !throughput.isEmpty || !seconds.isEmpty {
            var parts: [String] = []
            if !throughput.isEmpty {
                parts.append("median throughput \(Markup.fixed(Self.median(throughput), 1)) images/s")
            }
            if !seconds.isEmpty {
                parts.append("total epoch time \(Markup.fixed(seconds.reduce(0, +) / 60, 1)) min")
            }
            content.append(HTML.paragraph(parts.joined(separator: "; ") + "."))
        }
        return ReportSection(id: "learning-curves", title: "Learning curves", content: content)
    }

    func epochTableSection() -> ReportSection {
        let columns: [DataTable.Column] = [
            .init("epoch", numeric: true, key: "epoch"), .init("phase", key: "phase"),
            .init("train loss", numeric: true, key: "train_loss"), .init("train acc", numeric: true, key: "train_accuracy"),
            .init("val loss", numeric: true, key: "val_loss"), .init("val acc", numeric: true, key: "val_accuracy"),
            .init("val macro-F1", numeric: true, key: "val_macro_f1"),
            .init("images/s", numeric: true, key: "images_per_second"), .init("seconds", numeric: true, key: "seconds"),
        ]
        let bestValidation = epochs.compactMap(\.validationAccuracy).filter(\.isFinite).max()
        func cell(_ value: Double?, _ decimals: Int) -> DataTable.Cell {
            value.map { .number($0, decimals: decimals) } ?? .empty
        }
        let rows = epochs.map { epoch -> DataTable.Row in
            let validationCell = cell(epoch.validationAccuracy, 4)
            return DataTable.Row(
                [
                    .integer(epoch.epoch), .text(epoch.phase.displayName),
                    cell(epoch.trainLoss, 4), cell(epoch.trainAccuracy, 4), cell(epoch.validationLoss, 4),
                    epoch.validationAccuracy != nil && epoch.validationAccuracy == bestValidation ? .emphasised(validationCell) : validationCell,
                    cell(epoch.validationMacroF1, 4), cell(epoch.imagesPerSecond, 1), cell(epoch.seconds, 1),
                ], attributes: [("data-epoch", String(epoch.epoch)), ("data-phase", epoch.phase.rawValue)])
        }
        let table = DataTable(
            caption: "Per-epoch metrics, as recorded in metrics.jsonl (best validation accuracy in bold)",
            columns: columns, rows: rows, firstColumnIsHeader: true, id: "epoch-metrics")
        return ReportSection(id: "epochs", title: "Metrics per epoch", content: [table.node])
    }

    func evaluationSection(_ evaluation: EvaluationResult, index: Int, palette: Palette) -> ReportSection {
        let prefix = "eval-\(index)"
        let headline = DataTable(
            columns: [.init("metric"), .init("value", numeric: true, key: "value")],
            rows: [
                .init([.text("examples"), .integer(evaluation.exampleCount)], attributes: [("data-metric", "examples")]),
                .init([.text("accuracy"), .number(evaluation.accuracy, decimals: 4)], attributes: [("data-metric", "accuracy")]),
                .init(
                    [.text("balanced accuracy"), .number(evaluation.balancedAccuracy, decimals: 4)],
                    attributes: [("data-metric", "balanced_accuracy")]),
                .init([.text("macro-F1"), .number(evaluation.macroF1, decimals: 4)], attributes: [("data-metric", "macro_f1")]),
                .init(
                    [.text("top-2 accuracy"), evaluation.top2Accuracy.map { .number($0, decimals: 4) } ?? .empty],
                    attributes: [("data-metric", "top2_accuracy")]),
                .init(
                    [.text("majority baseline"), .number(evaluation.majorityBaseline, decimals: 4)],
                    attributes: [("data-metric", "majority_baseline")]),
                .init(
                    [.text("calibration error (ECE)"), evaluation.calibration.map { .number($0.expectedCalibrationError, decimals: 4) } ?? .empty],
                    attributes: [("data-metric", "expected_calibration_error")]),
            ], id: "\(prefix)-summary")

        let perClassChart = BarChart(
            title: "Precision, recall and F1 per genre (\(evaluation.split))",
            categories: evaluation.perClass.map(\.name),
            series: [
                .init(name: "precision", colour: "#7aa6c2", values: evaluation.perClass.map(\.precision)),
                .init(name: "recall", colour: "#e1a45a", values: evaluation.perClass.map(\.recall)),
                .init(name: "F1", colour: "#3b3b3b", values: evaluation.perClass.map(\.f1)),
            ],
            orientation: .horizontal, valueAxisTitle: "score", valueRange: 0...1, valueLabelDecimals: 2)

        let perClassTable = DataTable(
            columns: [
                .init("genre"), .init("precision", numeric: true, key: "precision"), .init("recall", numeric: true, key: "recall"),
                .init("F1", numeric: true, key: "f1"), .init("support", numeric: true, key: "support"),
            ],
            rows: evaluation.perClass.map { metrics in
                .init(
                    [
                        .nodes([
                            HTML.element(
                                "span", class: "swatch",
                                attributes: [("style", "background: \(ImageGrid.safeColour(palette.colour(for: metrics.name)))")]),
                            .text(metrics.name),
                        ]),
                        .number(metrics.precision, decimals: 3), .number(metrics.recall, decimals: 3),
                        .number(metrics.f1, decimals: 3), .integer(metrics.support),
                    ], attributes: [("data-class", metrics.name)])
            }, id: "\(prefix)-per-class")

        let matrix = ConfusionMatrixChart(
            title: "Confusion matrix (\(evaluation.split), n = \(Markup.grouped(evaluation.exampleCount)))",
            classNames: evaluation.classNames, counts: evaluation.confusionMatrix,
            cellSize: evaluation.classNames.count > 8 ? 44 : 62)
        return ReportSection(
            id: "evaluation-\(Self.slug(evaluation.split))-\(index)", title: "Evaluation: \(evaluation.split)",
            content: [
                headline.node,
                HTML.chart(
                    perClassChart.svg(),
                    caption: "Recall is the share of a genre's covers recognised; precision the "
                        + "share of predictions of that genre that are right."),
                perClassTable.node,
                HTML.chart(
                    matrix.svg(),
                    caption: "Rows are true genres, columns predictions. Colour and percentages are "
                        + "row-normalised (the diagonal is recall), so rare genres read as clearly as common ones."),
            ] + (evaluation.calibration.map { [reliabilityChart($0, split: evaluation.split)] } ?? []))
    }

    /// The reliability diagram: accuracy against mean top-1 probability per bin, beside the diagonal
    /// of a perfectly calibrated model.
    func reliabilityChart(_ calibration: Calibration, split: String) -> HTMLNode {
        let chart = LineChart(
            title: "Reliability diagram (\(split))",
            series: [
                .init(
                    name: "perfectly calibrated", colour: "#999999", dash: "4 3", points: [.init(x: 0, y: 0), .init(x: 1, y: 1)], showsMarkers: false),
                .init(
                    name: "this model (a point per bin of covers)", colour: "#3b6ea5",
                    points: calibration.bins.map { .init(x: $0.meanConfidence, y: $0.accuracy) }),
            ],
            xAxisTitle: "mean top-1 probability of the bin", yAxisTitle: "accuracy", yRange: 0...1, width: 560, height: 360)
        let counts = calibration.bins.map { "\($0.count)" }.joined(separator: ", ")
        return HTML.chart(
            chart.svg(),
            caption: "Covers binned by their top-1 probability (10 bins; covers per bin, lowest first: \(counts)). "
                + "Points below the diagonal are over-confident. Expected calibration error "
                + "\(Markup.fixed(calibration.expectedCalibrationError, 3)): the covers' mean distance from the diagonal.")
    }

    func mistakesSection(palette: Palette) -> ReportSection {
        let sorted = mistakes.sorted { $0.confidence > $1.confidence }
        let tiles = sorted.map { mistake -> ImageGrid.Tile in
            var lines = ["predicted \(mistake.predictedLabel) \(Markup.fixed(mistake.confidence, 2))", "true \(mistake.trueLabel)"]
            if let title = mistake.title { lines.append(title) }
            return ImageGrid.Tile(
                image: .file(mistake.imagePath),
                alt: "Cover of a \(mistake.trueLabel) album predicted as \(mistake.predictedLabel)",
                captionLines: lines, accentColour: palette.colour(for: mistake.predictedLabel),
                companion: mistake.gradCAMPath.map { (.file($0), "Grad-CAM overlay: regions that drove the \(mistake.predictedLabel) prediction") },
                attributes: [
                    ("data-true", mistake.trueLabel), ("data-predicted", mistake.predictedLabel),
                    ("data-confidence", mistake.confidence.description),
                ])
        }
        let hasCAM = mistakes.contains { $0.gradCAMPath != nil }
        return ReportSection(
            id: "mistakes", title: "Most confident mistakes",
            introduction: "Covers the model got wrong with the highest confidence, most confident first. The bar under each "
                + "cover has the predicted genre's colour." + (hasCAM ? " Right of each cover: Grad-CAM, where the model looked." : ""),
            content: [ImageGrid(tiles: tiles, thumbnailWidth: hasCAM ? 110 : 130).node])
    }

    func comparisonSection() -> ReportSection {
        let task = StudyTask(genres: classNames)
        let hasOriginal = !OriginalStudy.results(for: task).isEmpty
        let shownTask = hasOriginal ? task : .sixGenres
        let ours = comparisonRow.map { [$0] } ?? []
        var content: [HTMLNode] = []
        if !hasOriginal {
            content.append(
                HTML.callout(
                    "This run's classes (\(classNames.joined(separator: ", "))) differ from every task of the original study; "
                        + "its six-genre results are shown for reference, not as a like-for-like comparison."))
        }
        content.append(ComparisonReport.table(task: shownTask, ours: ours, id: "comparison-table").node)
        if let chart = recallComparisonChart() { content.append(chart) }
        content.append(HTML.paragraph(OriginalStudy.citation, class: "subtitle"))
        return ReportSection(id: "comparison", title: "Comparison with the original study", content: content)
    }

    /// Per-genre recall of this run's test evaluation next to the original frozen MobileNetV2's
    /// test recall (§1.5), matched by genre name; `nil` unless this is the six-genre task.
    func recallComparisonChart() -> HTMLNode? {
        guard StudyTask(genres: classNames) == .sixGenres,
            let test = evaluations.first(where: { $0.split.lowercased() == "test" }),
            let original = try? EvaluationResult(
                split: "original test", classNames: OriginalStudy.classNames,
                confusionMatrix: OriginalStudy.frozenTestConfusion)
        else { return nil }
        let genres = OriginalStudy.classNames
        func recall(_ evaluation: EvaluationResult, _ genre: String) -> Double {
            evaluation.perClass.first { $0.name.lowercased() == genre }?.recall ?? .nan
        }
        let chart = BarChart(
            title: "Test recall per genre: this run vs the original study",
            categories: genres,
            series: [
                .init(name: "original (frozen MobileNetV2)", colour: "#9a9a9a", values: genres.map { recall(original, $0) }),
                .init(name: runName, colour: Palette.seriesColours[0], values: genres.map { recall(test, $0) }),
            ],
            valueAxisTitle: "recall", valueRange: 0...1, valueLabelDecimals: 2)
        return HTML.chart(
            chart.svg(),
            caption: "Original recalls come from its published test confusion matrix "
                + "(original-study.md §1.5, n = 416; that test set probably overlaps its validation set).")
    }

    func configurationSection() -> ReportSection {
        let table = DataTable(
            columns: [.init("setting"), .init("value")],
            rows: configuration.map { .init([.text($0.key), .text($0.value)]) }, id: "configuration-table")
        return ReportSection(id: "configuration", title: "Configuration", content: [table.node])
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    static func slug(_ text: String) -> String {
        let characters = text.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        let slug = String(characters).split(separator: "-").joined(separator: "-")
        return slug.isEmpty ? "section" : slug
    }
}
