import GRDB

/// Chart facts for the explore report: when albums first charted and which genre charts share albums.
public struct ChartExploration: Sendable, Equatable, Codable {
    /// (year of the album's first chart week, genre, albums), for single-genre albums.
    public var albumsPerYear: [(year: Int, genre: String, count: Int)] {
        yearRows.map { ($0.year, $0.genre, $0.count) }
    }
    public var yearRows: [YearRow]
    /// Albums on exactly two genre charts, and on three or more.
    public var albumsOnTwoGenres: Int
    public var albumsOnThreeOrMoreGenres: Int
    /// Pairs of genres sharing albums (an album on three genres counts in three pairs).
    public var pairs: [PairRow]

    public struct YearRow: Sendable, Equatable, Codable {
        public var year: Int
        public var genre: String
        public var count: Int
    }

    public struct PairRow: Sendable, Equatable, Codable {
        public var first: String
        public var second: String
        public var count: Int
    }
}

extension Catalog {
    /// Years and overlaps of collected albums (imported ImageFolder data has neither).
    public func chartExploration() throws -> ChartExploration {
        try read("explore charts") { db in
            let years = try Row.fetchAll(
                db,
                sql: """
                    WITH album_genres AS (
                        SELECT ap.album_id, MIN(ap.chart_date) AS first_date, COUNT(DISTINCT ch.genre) AS n, MIN(ch.genre) AS genre
                        FROM appearances ap JOIN charts ch ON ch.slug = ap.chart_slug GROUP BY ap.album_id)
                    SELECT CAST(substr(first_date, 1, 4) AS INTEGER) AS year, genre, COUNT(*) AS albums
                    FROM album_genres WHERE n = 1 GROUP BY year, genre ORDER BY year, genre
                    """
            ).map { ChartExploration.YearRow(year: $0["year"], genre: $0["genre"], count: $0["albums"]) }
            let counts = try Row.fetchAll(
                db,
                sql: """
                    SELECT n, COUNT(*) AS albums FROM (
                        SELECT ap.album_id, COUNT(DISTINCT ch.genre) AS n FROM appearances ap
                        JOIN charts ch ON ch.slug = ap.chart_slug GROUP BY ap.album_id) GROUP BY n
                    """)
            var two = 0, more = 0
            for row in counts {
                let n: Int = row["n"], albums: Int = row["albums"]
                if n == 2 { two += albums } else if n > 2 { more += albums }
            }
            let pairs = try Row.fetchAll(
                db,
                sql: """
                    WITH g AS (SELECT DISTINCT ap.album_id, ch.genre FROM appearances ap JOIN charts ch ON ch.slug = ap.chart_slug)
                    SELECT a.genre AS first, b.genre AS second, COUNT(*) AS albums
                    FROM g a JOIN g b ON a.album_id = b.album_id AND a.genre < b.genre
                    GROUP BY a.genre, b.genre ORDER BY albums DESC
                    """
            ).map { ChartExploration.PairRow(first: $0["first"], second: $0["second"], count: $0["albums"]) }
            return ChartExploration(yearRows: years, albumsOnTwoGenres: two, albumsOnThreeOrMoreGenres: more, pairs: pairs)
        }
    }
}
