import Testing

@testable import Reports

/// Metrics computed from a confusion matrix, checked against the original study's published
/// summary of the same matrices (original-study.md §1.5) and against hand-worked maths.
struct EvaluationResultTests {
    @Test func originalFrozenTestMatrixMatchesPublishedSummary() throws {
        let result = try EvaluationResult(
            split: "test", classNames: OriginalStudy.classNames, confusionMatrix: OriginalStudy.frozenTestConfusion)
        #expect(result.exampleCount == 416)
        #expect(result.accuracy == 208.0 / 416.0)
        // §1.5: macro-F1 0.48, balanced accuracy 0.48 (two decimals).
        #expect(abs(result.macroF1 - 0.48) < 0.005)
        #expect(abs(result.balancedAccuracy - 0.48) < 0.005)
        // §1.5 recalls: country .60, holiday .30, jazz .39, latin .57, rap .45, rock .55.
        let recalls = result.perClass.map(\.recall)
        for (recall, published) in zip(recalls, [0.60, 0.30, 0.39, 0.57, 0.45, 0.55]) {
            #expect(abs(recall - published) < 0.005)
        }
        #expect(result.perClass.map(\.support) == [62, 23, 87, 76, 53, 115])
        #expect(abs(result.majorityBaseline - 115.0 / 416.0) < 1e-12)
    }

    @Test func originalFrozenValidationMatrixMatchesPublishedSummary() throws {
        let result = try EvaluationResult(
            split: "validation", classNames: OriginalStudy.classNames, confusionMatrix: OriginalStudy.frozenValidationConfusion)
        #expect(result.exampleCount == 1220)
        #expect(abs(result.accuracy - 0.491) < 0.0005)
        #expect(abs(result.macroF1 - 0.43) < 0.005)
        #expect(abs(result.perClass[1].recall - 0.12) < 0.005)
        // §1.4 majority baseline on this validation subset: 28.8 %.
        #expect(abs(result.majorityBaseline - 0.288) < 0.0005)
    }

    @Test func handWorkedTwoClassExample() throws {
        // rows true, columns predicted: a→a 3, a→b 1, b→a 2, b→b 4.
        let result = try EvaluationResult(split: "t", classNames: ["a", "b"], confusionMatrix: [[3, 1], [2, 4]])
        #expect(result.accuracy == 0.7)
        #expect(result.perClass[0].precision == 3.0 / 5.0)
        #expect(result.perClass[0].recall == 3.0 / 4.0)
        #expect(abs(result.perClass[0].f1 - 2.0 * 0.6 * 0.75 / 1.35) < 1e-12)
        #expect(result.perClass[1].precision == 4.0 / 5.0)
        #expect(result.perClass[1].recall == 4.0 / 6.0)
        #expect(abs(result.balancedAccuracy - (0.75 + 4.0 / 6.0) / 2) < 1e-12)
    }

    @Test func absentClassFollowsScikitLearnConventions() throws {
        // Class c never occurs (no support, never predicted): excluded from macro-F1 and balanced accuracy.
        let result = try EvaluationResult(
            split: "t", classNames: ["a", "b", "c"], confusionMatrix: [[2, 0, 0], [1, 1, 0], [0, 0, 0]])
        #expect(result.perClass[2].f1 == 0)
        #expect(abs(result.balancedAccuracy - (1.0 + 0.5) / 2) < 1e-12)
        let f1a = 2 * (2.0 / 3.0) * 1.0 / (2.0 / 3.0 + 1.0)
        let f1b = 2 * 1.0 * 0.5 / 1.5
        #expect(abs(result.macroF1 - (f1a + f1b) / 2) < 1e-12)
    }

    @Test func rejectsBadShapes() {
        #expect(throws: ReportError.self) {
            try EvaluationResult(split: "t", classNames: ["a", "b"], confusionMatrix: [[1, 2]])
        }
        #expect(throws: ReportError.self) {
            try EvaluationResult(split: "t", classNames: ["a", "b"], confusionMatrix: [[1, 2], [3]])
        }
        #expect(throws: ReportError.self) {
            try EvaluationResult(split: "t", classNames: [], confusionMatrix: [])
        }
        #expect(throws: ReportError.self) {
            try EvaluationResult(split: "t", classNames: ["a"], confusionMatrix: [[-1]])
        }
    }
}
