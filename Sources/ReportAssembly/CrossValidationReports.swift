import Foundation
import Reports
import Training

/// `crossvalidate`'s page: each configuration's folds plotted, and the fold-by-fold differences.
public enum CrossValidationReports {
    /// `report` for one run; `report-vs-b+c` when b and c are compared with the first run, so that
    /// comparing it with other runs later writes a page beside this one instead of over it.
    public static func folderName(comparedWith others: [String]) -> String {
        others.isEmpty ? "report" : "report-vs-" + others.joined(separator: "+")
    }

    /// The folds plotted per configuration, in `folder/index.html`.
    public static func write(
        summaries: [CrossValidation.Summary], comparisons: [CrossValidation.Comparison], covers: Int, to folder: URL
    ) throws -> URL {
        let spread = { (s: CrossValidation.Spread) in CrossValidationReport.Spread(mean: s.mean, standardDeviation: s.standardDeviation) }
        let report = CrossValidationReport(
            configurations: summaries.map { summary in
                CrossValidationReport.Configuration(
                    name: summary.source, accuracy: summary.folds.map(\.accuracy), macroF1: summary.folds.map(\.macroF1),
                    accuracySpread: spread(summary.accuracy), macroF1Spread: spread(summary.macroF1))
            },
            differences: comparisons.map { comparison in
                CrossValidationReport.Difference(
                    name: comparison.candidate, macroF1: spread(comparison.macroF1Difference), foldsBetter: comparison.foldsBetter,
                    foldsWorse: comparison.foldsWorse)
            },
            coverCount: covers)
        let metadata = [("fold seed", "\(summaries[0].foldSeed)"), ("folds digest", summaries[0].foldsDigest)]
        return try ReportWriter().write(report.document(metadata: metadata), to: folder).indexFile
    }
}
