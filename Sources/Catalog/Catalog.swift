import Foundation
import GRDB

/// The AlbumGenre catalog: a SQLite file (through GRDB) holding collected Billboard chart weeks,
/// albums, their appearances, cover files, splits and imported ImageFolder datasets.
///
/// Every write runs in one transaction, so an interrupted process leaves the catalog as it was
/// before the write or after it, never in between. Open with `Catalog(path:)`; tests use
/// `Catalog.inMemory()`.
public final class Catalog: Sendable {
    let database: DatabaseQueue
    /// The catalog file path, or nil for an in-memory catalog.
    public let path: String?

    /// Opens the catalog at `path`, creating the file and its tables if needed, and applies any
    /// pending migrations.
    public init(path: String) throws {
        let url = URL(fileURLWithPath: path)
        self.path = url.path
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.foreignKeysEnabled = true
            configuration.busyMode = .timeout(10)
            // WAL with synchronous=NORMAL: a commit survives a killed process (what resuming
            // needs) without an fsync per chart week; only a power loss may drop the last commits.
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
            }
            database = try DatabaseQueue(path: url.path, configuration: configuration)
        } catch {
            throw CatalogError.cannotOpen(path: path, reason: "\(error)")
        }
        try Self.migrate(database, path: path)
    }

    private init(memory: DatabaseQueue) throws {
        database = memory
        path = nil
        try Self.migrate(database, path: ":memory:")
    }

    /// A fresh, empty catalog that lives in memory only.
    public static func inMemory() throws -> Catalog {
        try Catalog(memory: DatabaseQueue())
    }

    private static func migrate(_ database: DatabaseQueue, path: String) throws {
        let migrator = CatalogMigrations.migrator
        do {
            let superseded = try database.read { try migrator.hasBeenSuperseded($0) }
            if superseded {
                let known = Set(migrator.migrations)
                let applied = try database.read { try migrator.appliedIdentifiers($0) }
                throw CatalogError.newerSchema(path: path, unknownMigrations: applied.subtracting(known).sorted())
            }
            try migrator.migrate(database)
        } catch let error as CatalogError {
            throw error
        } catch {
            throw CatalogError.cannotOpen(path: path, reason: "\(error)")
        }
    }

    /// Runs `body` in a write transaction, mapping GRDB errors to `CatalogError.database`.
    func write<T>(_ operation: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try database.write(body)
        } catch let error as CatalogError {
            throw error
        } catch {
            throw CatalogError.database(operation: operation, reason: "\(error)")
        }
    }

    /// Runs `body` in a read transaction, mapping GRDB errors to `CatalogError.database`.
    func read<T>(_ operation: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try database.read(body)
        } catch let error as CatalogError {
            throw error
        } catch {
            throw CatalogError.database(operation: operation, reason: "\(error)")
        }
    }

    // MARK: - Settings

    /// The directory where downloaded covers are stored. Defaults to `covers/` beside the catalog
    /// file (or the current directory's `covers/` for an in-memory catalog).
    public func coversDirectory() throws -> String {
        if let stored = try read("read settings", { try String.fetchOne($0, sql: "SELECT value FROM meta WHERE key = 'covers_dir'") }) {
            return stored
        }
        let base =
            path.map { URL(fileURLWithPath: $0).deletingLastPathComponent() }
            ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        return base.appendingPathComponent("covers").path
    }

    /// Records the covers directory (stored as an absolute path).
    public func setCoversDirectory(_ directory: String) throws {
        let absolute = URL(fileURLWithPath: directory).standardizedFileURL.path
        try write("write settings") { db in
            try db.execute(
                sql: "INSERT INTO meta(key, value) VALUES ('covers_dir', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                arguments: [absolute])
        }
    }

    /// Every row of every table, each row rendered as text and each table sorted: two catalogs
    /// with equal dumps hold the same data. Used to check that resumed runs equal clean runs.
    public func contentDump() throws -> [String: [String]] {
        try read("dump") { db in
            let tables = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'")
            var dump: [String: [String]] = [:]
            for table in tables {
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(table)")
                dump[table] = rows.map { row in
                    row.columnNames.map { "\($0)=\(row[$0] as DatabaseValue)" }.joined(separator: "|")
                }.sorted()
            }
            return dump
        }
    }
}
