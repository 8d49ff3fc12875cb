import Foundation
import GRDB

/// Reads for training and the `catalog`/`export` commands, splits, and ImageFolder imports.
extension Catalog {
    /// Labelled images for a genre dataset: collected albums with a stored cover, plus imported
    /// images: collected ones first, then imported ones, each in album id order.
    ///
    /// With `.exclude` (the default, as in the original study) an album that appears on more than
    /// one genre's chart is left out; with `.includeAsMultiLabel` it is kept with all its genres.
    public func labelledImages(multiGenre policy: MultiGenrePolicy = .exclude) throws -> [LabelledImage] {
        let coversDirectory = try coversDirectory()
        return try read("list labelled images") { db in
            let collected = try Row.fetchAll(
                db,
                sql: """
                    SELECT a.id, a.artist, a.title, c.file_name, c.sha256, c.width, c.height, s.split,
                           (SELECT GROUP_CONCAT(genre, ',') FROM (
                                SELECT DISTINCT ch.genre FROM appearances ap JOIN charts ch ON ch.slug = ap.chart_slug
                                WHERE ap.album_id = a.id ORDER BY ch.genre)) AS genres
                    FROM albums a
                    JOIN covers c ON c.album_id = a.id AND c.status = 'found'
                    LEFT JOIN splits s ON s.album_id = a.id
                    ORDER BY a.id
                    """)
            var images: [LabelledImage] = []
            for row in collected {
                let genres = (row["genres"] as String?)?.split(separator: ",").map(String.init) ?? []
                guard let first = genres.first else { continue }
                if genres.count > 1, case .exclude = policy { continue }
                let file: String = row["file_name"]
                images.append(
                    LabelledImage(
                        albumID: row["id"], artist: row["artist"], title: row["title"], genre: first, genres: genres,
                        filePath: URL(fileURLWithPath: coversDirectory).appendingPathComponent(file).path,
                        sha256: row["sha256"], width: row["width"], height: row["height"],
                        split: (row["split"] as String?).flatMap(Split.init(rawValue:))))
            }
            let imported = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.id AS image_id, d.album_id, a.artist, a.title, d.genre, d.file_path, d.sha256, d.width, d.height, s.split
                    FROM dataset_images d JOIN albums a ON a.id = d.album_id
                    LEFT JOIN splits s ON s.album_id = d.album_id
                    ORDER BY d.album_id, d.id
                    """)
            for row in imported {
                let genre: String = row["genre"]
                images.append(
                    LabelledImage(
                        albumID: row["album_id"], artist: row["artist"], title: row["title"], genre: genre, genres: [genre],
                        filePath: row["file_path"], sha256: row["sha256"], width: row["width"], height: row["height"],
                        split: (row["split"] as String?).flatMap(Split.init(rawValue:))))
            }
            return images
        }
    }

    /// Records splits for albums (replacing earlier assignments of those albums), in one transaction.
    public func recordSplits(_ assignments: [Int64: Split]) throws {
        try write("record splits") { db in
            for (albumID, split) in assignments.sorted(by: { $0.key < $1.key }) {
                let exists = try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM albums WHERE id = ?)", arguments: [albumID]) ?? false
                guard exists else { throw CatalogError.unknownAlbum(albumID) }
                try db.execute(
                    sql: "INSERT OR REPLACE INTO splits(album_id, split) VALUES (?, ?)", arguments: [albumID, split.rawValue])
            }
        }
    }

    /// Removes every recorded split.
    public func clearSplits() throws {
        try write("clear splits") { db in try db.execute(sql: "DELETE FROM splits") }
    }

    /// The recorded splits by album id.
    public func splits() throws -> [Int64: Split] {
        try read("list splits") { db in
            var result: [Int64: Split] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT album_id, split FROM splits") {
                let name: String = row["split"]
                result[row["album_id"]] = Split(rawValue: name)
            }
            return result
        }
    }

    /// One image of an ImageFolder dataset to import.
    public struct ImportedImage: Sendable {
        public var genre: String
        public var filePath: String
        public var sha256: String
        public var width: Int
        public var height: Int
        public var split: Split?
        public var artist: String
        public var title: String
        /// Images with the same group (e.g. `discogs_release:123`) share one album row; nil makes
        /// the image its own group.
        public var group: String?

        public init(
            genre: String, filePath: String, sha256: String, width: Int, height: Int, split: Split?,
            artist: String, title: String, group: String? = nil
        ) {
            self.group = group
            self.genre = genre
            self.filePath = filePath
            self.sha256 = sha256
            self.width = width
            self.height = height
            self.split = split
            self.artist = artist
            self.title = title
        }
    }

    /// Imports ImageFolder images in one transaction; an image whose absolute path is already in
    /// the catalog is updated, not duplicated. Returns the number of new images.
    @discardableResult
    public func importImages(_ images: [ImportedImage]) throws -> Int {
        try write("import images") { db in
            var added = 0
            for image in images {
                let key = image.group.map { "import:group:\($0)" } ?? "import:file:\(image.filePath)"
                try db.execute(
                    sql: """
                        INSERT INTO albums(album_key, title, artist, normalized_title, normalized_artist)
                        VALUES (?, ?, ?, '', '') ON CONFLICT(album_key) DO UPDATE SET title = excluded.title, artist = excluded.artist
                        """,
                    arguments: [key, image.title, image.artist])
                let albumID = try Int64.fetchOne(db, sql: "SELECT id FROM albums WHERE album_key = ?", arguments: [key])!
                let existed =
                    try Bool.fetchOne(
                        db, sql: "SELECT EXISTS(SELECT 1 FROM dataset_images WHERE file_path = ?)", arguments: [image.filePath]) ?? false
                try db.execute(
                    sql: """
                        INSERT INTO dataset_images(album_id, genre, file_path, sha256, width, height)
                        VALUES (?, ?, ?, ?, ?, ?)
                        ON CONFLICT(file_path) DO UPDATE SET album_id = excluded.album_id, genre = excluded.genre,
                            sha256 = excluded.sha256, width = excluded.width, height = excluded.height
                        """,
                    arguments: [albumID, image.genre, image.filePath, image.sha256, image.width, image.height])
                if let split = image.split {
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO splits(album_id, split) VALUES (?, ?)", arguments: [albumID, split.rawValue])
                }
                if !existed { added += 1 }
            }
            return added
        }
    }
}
