/// Reference data: the published results of the original study that AlbumGenre re-implements.
///
/// Source: `shared/design/original-study.md` §1.4 (metrics at the final epoch, peak in brackets)
/// and §1.5 (confusion matrices read from the notebook images) — Max Wood, Metis deep-learning
/// project, github.com/xamwood/Metis_Deep_Learning_Project (June 2022). These are the study's
/// numbers, copied so reports can show them next to ours; they are not results of this code.
public enum OriginalStudy {
    /// Citation shown under every comparison table.
    public static let citation =
        "Original study: Max Wood, Metis deep-learning project (2022), github.com/xamwood/Metis_Deep_Learning_Project; "
        + "numbers as compiled in original-study.md §1.4–1.5 (final epoch; best epoch under \"val peak\")."

    /// The study's class order (alphabetical, as `image_dataset_from_directory` sorts folders).
    public static let classNames = ["country", "holiday", "jazz", "latin", "rap", "rock"]

    /// Primary target to match or beat: 6-class test accuracy of the frozen MobileNetV2.
    public static let primaryTestAccuracy = 0.500
    /// Macro-F1 of the same model on the same 416-image test set.
    public static let primaryTestMacroF1 = 0.48

    /// One published result.
    public struct Result: Sendable, Equatable {
        public var task: StudyTask
        public var trainCount: Int
        public var validationCount: Int
        /// Share of the majority class in the validation set.
        public var majorityBaseline: Double
        public var model: String
        /// Final-epoch training accuracy, `nil` where only a range is known (see `trainAccuracyNote`).
        public var trainAccuracy: Double?
        public var trainAccuracyNote: String?
        public var validationAccuracy: Double
        /// Best validation accuracy over the epochs, where it differs from the final one.
        public var validationPeak: Double?
        public var validationMacroF1: Double?
        public var testAccuracy: Double?
        public var testMacroF1: Double?
        public var note: String?

        public init(
            task: StudyTask, trainCount: Int, validationCount: Int, majorityBaseline: Double, model: String,
            trainAccuracy: Double?, trainAccuracyNote: String? = nil, validationAccuracy: Double, validationPeak: Double? = nil,
            validationMacroF1: Double? = nil, testAccuracy: Double? = nil, testMacroF1: Double? = nil, note: String? = nil
        ) {
            self.task = task
            self.trainCount = trainCount
            self.validationCount = validationCount
            self.majorityBaseline = majorityBaseline
            self.model = model
            self.trainAccuracy = trainAccuracy
            self.trainAccuracyNote = trainAccuracyNote
            self.validationAccuracy = validationAccuracy
            self.validationPeak = validationPeak
            self.validationMacroF1 = validationMacroF1
            self.testAccuracy = testAccuracy
            self.testMacroF1 = testMacroF1
            self.note = note
        }
    }

    private static let six = StudyTask.sixGenres

    /// The rows of §1.4, one per model (binary rows that list two models are split in two).
    public static let results: [Result] = [
        Result(
            task: six, trainCount: 6547, validationCount: 1636, majorityBaseline: 0.281, model: "scratch CNN, 10 ep",
            trainAccuracy: 0.978, validationAccuracy: 0.382, validationPeak: nil),
        Result(
            task: six, trainCount: 6547, validationCount: 1636, majorityBaseline: 0.281,
            model: "scratch CNN + Dropout 0.8, 10 ep", trainAccuracy: 0.769, validationAccuracy: 0.391, validationPeak: 0.397),
        Result(
            task: six, trainCount: 6547, validationCount: 1220, majorityBaseline: 0.288, model: "MobileNetV2 frozen, 20 ep",
            trainAccuracy: 0.518, validationAccuracy: 0.491, validationMacroF1: 0.43, testAccuracy: 0.500, testMacroF1: 0.48,
            note: "slides: val 0.50; test 208/416, test set probably overlaps validation"),
        Result(
            task: six, trainCount: 6547, validationCount: 1220, majorityBaseline: 0.288,
            model: "MobileNetV2 + fine-tune 10 ep", trainAccuracy: nil, trainAccuracyNote: "about 0.75–0.80",
            validationAccuracy: 0.579, note: "val at epoch 28, log cut off (slides 0.59); never scored on test"),
        Result(
            task: .pair("rap", "rock"), trainCount: 2819, validationCount: 704, majorityBaseline: 0.659,
            model: "scratch CNN, 5 ep", trainAccuracy: 0.899, validationAccuracy: 0.766, validationPeak: 0.804),
        Result(
            task: .pair("rap", "rock"), trainCount: 2819, validationCount: 704, majorityBaseline: 0.659,
            model: "scratch CNN + dropout, 10 ep", trainAccuracy: 0.882, validationAccuracy: 0.817, validationPeak: 0.827),
        Result(
            task: .pair("rap", "rock"), trainCount: 2819, validationCount: 704, majorityBaseline: 0.659,
            model: "MobileNetV2 frozen, 20 ep", trainAccuracy: 0.73, validationAccuracy: 0.753),
        Result(
            task: .pair("rap", "rock"), trainCount: 2819, validationCount: 704, majorityBaseline: 0.659,
            model: "MobileNetV2 fine-tuned, +10 ep", trainAccuracy: 0.91, validationAccuracy: 0.830),
        Result(
            task: .pair("country", "jazz"), trainCount: 2139, validationCount: 534, majorityBaseline: 0.544,
            model: "scratch CNN, 5 ep", trainAccuracy: 0.78, validationAccuracy: 0.605),
        Result(
            task: .pair("country", "jazz"), trainCount: 2139, validationCount: 534, majorityBaseline: 0.544,
            model: "scratch CNN + dropout, 10 ep", trainAccuracy: 0.82, validationAccuracy: 0.597, validationPeak: 0.609),
        Result(
            task: .pair("rap", "holiday"), trainCount: 1338, validationCount: 334, majorityBaseline: 0.718,
            model: "scratch CNN, 5 ep", trainAccuracy: 0.90, validationAccuracy: 0.802),
        Result(
            task: .pair("rap", "holiday"), trainCount: 1338, validationCount: 334, majorityBaseline: 0.718,
            model: "scratch CNN + dropout, 15 ep", trainAccuracy: 0.94, validationAccuracy: 0.829, validationPeak: 0.850),
        Result(
            task: .pair("rock", "latin"), trainCount: 3071, validationCount: 767, majorityBaseline: 0.605,
            model: "scratch CNN, 5 ep", trainAccuracy: 0.87, validationAccuracy: 0.664),
        Result(
            task: .pair("rock", "latin"), trainCount: 3071, validationCount: 767, majorityBaseline: 0.605,
            model: "scratch CNN + dropout, 20 ep", trainAccuracy: 0.95, validationAccuracy: 0.700, validationPeak: 0.701),
    ]

    /// Results for one task, in table order.
    public static func results(for task: StudyTask) -> [Result] {
        results.filter { $0.task == task }
    }

    /// §1.5: frozen MobileNetV2 on the 416-image test set, rows true / columns predicted in `classNames` order.
    public static let frozenTestConfusion: [[Int]] = [
        [37, 0, 4, 3, 5, 13], [3, 7, 5, 4, 1, 3], [11, 3, 34, 11, 3, 25],
        [8, 3, 7, 43, 7, 8], [5, 0, 3, 6, 24, 15], [12, 1, 11, 6, 22, 63],
    ]

    /// §1.5: frozen MobileNetV2 on the 1 220-image validation set.
    public static let frozenValidationConfusion: [[Int]] = [
        [73, 0, 12, 32, 10, 41], [3, 9, 12, 23, 3, 24], [22, 3, 82, 30, 17, 67],
        [19, 5, 18, 133, 29, 33], [14, 3, 14, 21, 63, 54], [19, 6, 28, 30, 29, 239],
    ]
}

/// A classification task of the study: the six genres, or a pair of genres (order-insensitive).
public struct StudyTask: Codable, Hashable, Sendable, CustomStringConvertible {
    /// Genre names, lower-cased and sorted, so "rock vs rap" equals "rap vs rock".
    public let genres: [String]

    public init(genres: [String]) {
        self.genres = genres.map { $0.lowercased() }.sorted()
    }

    /// The study's six-genre task.
    public static let sixGenres = StudyTask(genres: OriginalStudy.classNames)

    /// A binary task.
    public static func pair(_ first: String, _ second: String) -> StudyTask {
        StudyTask(genres: [first, second])
    }

    /// "6 genres" or "rap vs rock".
    public var description: String {
        self == .sixGenres ? "6 genres" : genres.count == 2 ? "\(genres[0]) vs \(genres[1])" : genres.joined(separator: ", ")
    }
}
