import GRDB

extension Catalog {
    /// Counts for `albumgenre catalog`: charts and weeks, albums per genre, multi-genre albums,
    /// covers found/missing/pending, failures, imports and splits.
    public func statistics() throws -> CatalogStatistics {
        try read("compute statistics") { db in
            let charts = try Row.fetchAll(
                db,
                sql: """
                    SELECT c.slug, c.genre,
                           (SELECT COUNT(*) FROM chart_weeks w WHERE w.chart_slug = c.slug) AS weeks,
                           (SELECT MIN(chart_date) FROM chart_weeks w WHERE w.chart_slug = c.slug) AS first_week,
                           (SELECT MAX(chart_date) FROM chart_weeks w WHERE w.chart_slug = c.slug) AS last_week,
                           (SELECT COUNT(*) FROM appearances a WHERE a.chart_slug = c.slug) AS appearances
                    FROM charts c ORDER BY c.slug
                    """
            ).map {
                CatalogStatistics.ChartCount(
                    slug: $0["slug"], genre: $0["genre"], weeks: $0["weeks"], firstWeek: $0["first_week"],
                    lastWeek: $0["last_week"], appearances: $0["appearances"])
            }
            // album id → number of distinct genres, for collected albums.
            let genreCounts = """
                SELECT ap.album_id, COUNT(DISTINCT ch.genre) AS n FROM appearances ap
                JOIN charts ch ON ch.slug = ap.chart_slug GROUP BY ap.album_id
                """
            var byCount: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT n, COUNT(*) AS albums FROM (\(genreCounts)) GROUP BY n") {
                let n: Int = row["n"]
                byCount[String(n)] = row["albums"]
            }
            let genreRows = try Row.fetchAll(
                db,
                sql: """
                    WITH counts AS (\(genreCounts)),
                         album_genres AS (
                            SELECT DISTINCT ap.album_id, ch.genre FROM appearances ap JOIN charts ch ON ch.slug = ap.chart_slug)
                    SELECT g.genre,
                           SUM(CASE WHEN n.n = 1 THEN 1 ELSE 0 END) AS single,
                           SUM(CASE WHEN n.n = 1 AND cv.status = 'found' THEN 1 ELSE 0 END) AS single_cover,
                           SUM(CASE WHEN n.n > 1 THEN 1 ELSE 0 END) AS multi
                    FROM album_genres g JOIN counts n ON n.album_id = g.album_id
                    LEFT JOIN covers cv ON cv.album_id = g.album_id
                    GROUP BY g.genre
                    """)
            var genres: [String: CatalogStatistics.GenreCount] = [:]
            for row in genreRows {
                let genre: String = row["genre"]
                genres[genre] = .init(
                    genre: genre, singleGenreAlbums: row["single"], singleGenreWithCover: row["single_cover"],
                    multiGenreAlbums: row["multi"], importedImages: 0)
            }
            for row in try Row.fetchAll(db, sql: "SELECT genre, COUNT(*) AS n FROM dataset_images GROUP BY genre") {
                let genre: String = row["genre"]
                genres[
                    genre,
                    default: .init(
                        genre: genre, singleGenreAlbums: 0, singleGenreWithCover: 0,
                        multiGenreAlbums: 0, importedImages: 0)
                ].importedImages = row["n"]
            }
            var splits: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT split, COUNT(*) AS n FROM splits GROUP BY split") {
                let split: String = row["split"]
                splits[split] = row["n"]
            }
            func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
            let collectedAlbums = try count("SELECT COUNT(*) FROM albums WHERE album_key NOT LIKE 'import:%'")
            return CatalogStatistics(
                charts: charts,
                genres: genres.values.sorted { $0.genre < $1.genre },
                albums: collectedAlbums,
                multiGenreAlbums: try count("SELECT COUNT(*) FROM (\(genreCounts)) WHERE n > 1"),
                albumsByGenreCount: byCount,
                coversFound: try count("SELECT COUNT(*) FROM covers WHERE status = 'found'"),
                coversMissing: try count("SELECT COUNT(*) FROM covers WHERE status = 'missing'"),
                coversPending: collectedAlbums - (try count("SELECT COUNT(*) FROM covers")),
                failures: try count("SELECT COUNT(*) FROM failures"),
                importedImages: try count("SELECT COUNT(*) FROM dataset_images"),
                splits: splits)
        }
    }
}
