/// Errors from opening, migrating or querying a catalog.
public enum CatalogError: Error, CustomStringConvertible, Sendable {
    /// The file exists but is not a SQLite database, or cannot be opened.
    case cannotOpen(path: String, reason: String)
    /// The catalog was written by a newer AlbumGenre (it has migrations this build does not know).
    case newerSchema(path: String, unknownMigrations: [String])
    /// A split name other than train, val or test.
    case invalidSplit(String)
    /// A referenced album does not exist.
    case unknownAlbum(Int64)
    /// A database error, with the operation that failed.
    case database(operation: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "cannot open catalog \(path): \(reason)"
        case .newerSchema(let path, let unknown):
            "catalog \(path) was written by a newer albumgenre (unknown migrations: \(unknown.joined(separator: ", ")))"
        case .invalidSplit(let split): "invalid split '\(split)' (expected train, val or test)"
        case .unknownAlbum(let id): "no album with id \(id) in the catalog"
        case .database(let operation, let reason): "catalog \(operation) failed: \(reason)"
        }
    }
}
