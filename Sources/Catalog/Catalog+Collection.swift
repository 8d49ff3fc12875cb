import GRDB

/// What an earlier run learned from one dated chart request.
public enum ChartRequestOutcome: Sendable, Equatable {
    /// The page reported this chart date (the requested date rounded up to a published week).
    case found(chartDate: String)
    /// The chart had no page for that date (404: pre-launch or off-season).
    case absent
}

/// Writes and reads used by the collector. Dates are ISO `YYYY-MM-DD` strings.
extension Catalog {
    /// Registers chart slugs with their genre labels (idempotent).
    public func registerCharts(_ charts: [(slug: String, genre: String)]) throws {
        try write("register charts") { db in
            for chart in charts {
                try db.execute(
                    sql: "INSERT INTO charts(slug, genre) VALUES (?, ?) ON CONFLICT(slug) DO UPDATE SET genre = excluded.genre",
                    arguments: [chart.slug, chart.genre])
            }
        }
    }

    /// The outcome of an earlier request for `slug` at `requestedDate`, or nil if never made.
    public func chartRequest(slug: String, requestedDate: String) throws -> ChartRequestOutcome? {
        try read("read chart request") { db in
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT status, chart_date FROM chart_requests WHERE chart_slug = ? AND requested_date = ?"),
                    arguments: [slug, requestedDate])
            else { return nil }
            let status: String = row["status"]
            if status == "found", let date: String = row["chart_date"] { return .found(chartDate: date) }
            return .absent
        }
    }

    /// Whether the chart week is already stored.
    public func hasChartWeek(slug: String, chartDate: String) throws -> Bool {
        try read("read chart week") { db in
            try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT EXISTS(SELECT 1 FROM chart_weeks WHERE chart_slug = ? AND chart_date = ?)"),
                arguments: [slug, chartDate]) ?? false
        }
    }

    /// Stores one fetched chart week and the request that produced it, in one transaction.
    /// If the week is already stored (another requested date rounded to it), only the request is
    /// recorded. Albums are created on first sight, keyed by `ChartEntryRecord.albumKey`.
    public func recordChartWeek(
        slug: String, title: String?, requestedDate: String, chartDate: String, entries: [ChartEntryRecord]
    ) throws {
        // Cached statements: a full collection stores ~6,800 weeks of up to 50 rows each, and
        // compiling every statement again for every row showed in the collector's profile.
        try write("record chart week \(slug) \(chartDate)") { db in
            if let title {
                try db.cachedStatement(sql: "UPDATE charts SET title = ? WHERE slug = ?").execute(arguments: [title, slug])
            }
            try db.cachedStatement(
                sql: "INSERT OR REPLACE INTO chart_requests(chart_slug, requested_date, chart_date, status) VALUES (?, ?, ?, 'found')"
            )
            .execute(arguments: [slug, requestedDate, chartDate])
            try clearFailure(db, stage: "chart", subject: "\(slug)/\(requestedDate)")
            let exists =
                try Bool.fetchOne(
                    db.cachedStatement(sql: "SELECT EXISTS(SELECT 1 FROM chart_weeks WHERE chart_slug = ? AND chart_date = ?)"),
                    arguments: [slug, chartDate]) ?? false
            if exists { return }
            try db.cachedStatement(sql: "INSERT INTO chart_weeks(chart_slug, chart_date, entry_count) VALUES (?, ?, ?)")
                .execute(arguments: [slug, chartDate, entries.count])
            let upsertAlbum = try db.cachedStatement(
                sql: """
                    INSERT INTO albums(album_key, title, artist, normalized_title, normalized_artist, is_compilation, billboard_image_url)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(album_key) DO UPDATE SET billboard_image_url = COALESCE(albums.billboard_image_url, excluded.billboard_image_url)
                    """)
            let albumID = try db.cachedStatement(sql: "SELECT id FROM albums WHERE album_key = ?")
            let insertAppearance = try db.cachedStatement(
                sql: """
                    INSERT OR IGNORE INTO appearances(chart_slug, chart_date, rank, album_id, last_pos, peak_pos, weeks)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
            for entry in entries {
                try upsertAlbum.execute(
                    arguments: [
                        entry.albumKey, entry.title, entry.artist, entry.normalizedTitle,
                        entry.normalizedArtist, entry.isCompilation, entry.imageURL,
                    ])
                let id = try Int64.fetchOne(albumID, arguments: [entry.albumKey])!
                try insertAppearance.execute(
                    arguments: [slug, chartDate, entry.rank, id, entry.lastPosition, entry.peakPosition, entry.weeksOnChart])
            }
        }
    }

    /// Records that `slug` has no page at `requestedDate` (404).
    public func recordAbsentChart(slug: String, requestedDate: String) throws {
        try write("record absent chart") { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO chart_requests(chart_slug, requested_date, chart_date, status) VALUES (?, ?, NULL, 'absent')",
                arguments: [slug, requestedDate])
            try clearFailure(db, stage: "chart", subject: "\(slug)/\(requestedDate)")
        }
    }

    /// Albums with no cover row yet (neither found nor missing), in id order.
    public func albumsNeedingCovers() throws -> [AlbumReference] {
        try read("list albums without covers") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT a.id, a.title, a.artist, a.is_compilation FROM albums a
                    LEFT JOIN covers c ON c.album_id = a.id
                    WHERE c.album_id IS NULL AND a.album_key NOT LIKE 'import:%'
                    ORDER BY a.id
                    """
            ).map {
                AlbumReference(id: $0["id"], title: $0["title"], artist: $0["artist"], isCompilation: $0["is_compilation"])
            }
        }
    }

    /// Stores a verified cover for an album (replacing any earlier row) and clears its failure.
    public func recordCover(albumID: Int64, _ cover: CoverRecord) throws {
        try write("record cover") { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO covers(album_id, status, source, source_id, url, file_name, sha256, width, height, format, byte_count)
                    VALUES (?, 'found', ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    albumID, cover.source, cover.sourceID, cover.url, cover.fileName, cover.sha256,
                    cover.width, cover.height, cover.format, cover.byteCount,
                ])
            try clearFailure(db, stage: "cover", subject: "album/\(albumID)")
        }
    }

    /// Records that every source answered "no art" for this album.
    public func recordMissingCover(albumID: Int64) throws {
        try write("record missing cover") { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO covers(album_id, status) VALUES (?, 'missing')", arguments: [albumID])
            try clearFailure(db, stage: "cover", subject: "album/\(albumID)")
        }
    }

    /// Forgets `missing` cover rows so the next run looks them up again.
    public func forgetMissingCovers() throws {
        try write("forget missing covers") { db in try db.execute(sql: "DELETE FROM covers WHERE status = 'missing'") }
    }

    /// Records (or bumps) a transient failure; the next run retries the subject.
    public func recordFailure(stage: String, subject: String, message: String) throws {
        try write("record failure") { db in
            try db.execute(
                sql: """
                    INSERT INTO failures(stage, subject, message) VALUES (?, ?, ?)
                    ON CONFLICT(stage, subject) DO UPDATE SET message = excluded.message, attempts = failures.attempts + 1
                    """,
                arguments: [stage, subject, message])
        }
    }

    /// All recorded failures, sorted by stage and subject.
    public func failures() throws -> [FailureRecord] {
        try read("list failures") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM failures ORDER BY stage, subject").map {
                FailureRecord(stage: $0["stage"], subject: $0["subject"], message: $0["message"], attempts: $0["attempts"])
            }
        }
    }

    private func clearFailure(_ db: Database, stage: String, subject: String) throws {
        try db.cachedStatement(sql: "DELETE FROM failures WHERE stage = ? AND subject = ?").execute(arguments: [stage, subject])
    }
}
