import GRDB

/// The catalog schema as named, append-only migrations. Never edit a registered migration:
/// add a new one, so existing catalogs upgrade in place.
///
/// Tables:
/// - `charts(slug, genre, title)`: one row per Billboard chart slug; `genre` is the label.
/// - `chart_requests(chart_slug, requested_date, chart_date?, status)`: every dated request the
///   collector made and what the page reported (`status` is `found` or `absent` for a 404). This is
///   what makes collection resumable: a request with a row is never made again.
/// - `chart_weeks(chart_slug, chart_date, entry_count)`: one row per distinct chart week stored.
/// - `albums(id, album_key, title, artist, normalized_title, normalized_artist, is_compilation,
///   billboard_image_url)`: one row per distinct album (normalised `(title, primary artist)` key).
/// - `appearances(chart_slug, chart_date, rank, album_id, last_pos, peak_pos, weeks)`.
/// - `covers(album_id, status, source, source_id, url, file_name, sha256, width, height, format,
///   byte_count)`: `status` is `found` or `missing` (every source answered "no art").
/// - `failures(stage, subject, message, attempts)`: transient failures, retried by the next run and
///   deleted when the subject succeeds.
/// - `splits(album_id, split)` with split in train/val/test.
/// - `dataset_images(album_id, genre, file_path, sha256, width, height)`: images brought in from an
///   ImageFolder tree by `albumgenre import`. Images of one group (e.g. one Discogs release) share
///   an album row, so a split by album never separates a group; their split lives in `splits`.
/// - `meta(key, value)`: catalog-wide settings such as the covers directory.
enum CatalogMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-create-catalog") { db in
            try db.execute(
                sql: """
                    CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                    CREATE TABLE charts (
                        slug TEXT PRIMARY KEY NOT NULL,
                        genre TEXT NOT NULL,
                        title TEXT
                    );
                    CREATE TABLE chart_requests (
                        chart_slug TEXT NOT NULL REFERENCES charts(slug),
                        requested_date TEXT NOT NULL,
                        chart_date TEXT,
                        status TEXT NOT NULL CHECK (status IN ('found', 'absent')),
                        PRIMARY KEY (chart_slug, requested_date)
                    );
                    CREATE TABLE chart_weeks (
                        chart_slug TEXT NOT NULL REFERENCES charts(slug),
                        chart_date TEXT NOT NULL,
                        entry_count INTEGER NOT NULL,
                        PRIMARY KEY (chart_slug, chart_date)
                    );
                    CREATE TABLE albums (
                        id INTEGER PRIMARY KEY,
                        album_key TEXT NOT NULL UNIQUE,
                        title TEXT NOT NULL,
                        artist TEXT NOT NULL,
                        normalized_title TEXT NOT NULL,
                        normalized_artist TEXT NOT NULL,
                        is_compilation INTEGER NOT NULL DEFAULT 0,
                        billboard_image_url TEXT
                    );
                    CREATE TABLE appearances (
                        chart_slug TEXT NOT NULL,
                        chart_date TEXT NOT NULL,
                        rank INTEGER NOT NULL,
                        album_id INTEGER NOT NULL REFERENCES albums(id),
                        last_pos INTEGER,
                        peak_pos INTEGER,
                        weeks INTEGER,
                        PRIMARY KEY (chart_slug, chart_date, rank),
                        FOREIGN KEY (chart_slug, chart_date) REFERENCES chart_weeks(chart_slug, chart_date)
                    );
                    CREATE INDEX appearances_album ON appearances(album_id);
                    CREATE TABLE covers (
                        album_id INTEGER PRIMARY KEY REFERENCES albums(id),
                        status TEXT NOT NULL CHECK (status IN ('found', 'missing')),
                        source TEXT,
                        source_id TEXT,
                        url TEXT,
                        file_name TEXT,
                        sha256 TEXT,
                        width INTEGER,
                        height INTEGER,
                        format TEXT,
                        byte_count INTEGER
                    );
                    CREATE TABLE failures (
                        stage TEXT NOT NULL,
                        subject TEXT NOT NULL,
                        message TEXT NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 1,
                        PRIMARY KEY (stage, subject)
                    );
                    CREATE TABLE splits (
                        album_id INTEGER PRIMARY KEY REFERENCES albums(id),
                        split TEXT NOT NULL CHECK (split IN ('train', 'val', 'test'))
                    );
                    CREATE TABLE dataset_images (
                        id INTEGER PRIMARY KEY,
                        album_id INTEGER NOT NULL REFERENCES albums(id),
                        genre TEXT NOT NULL,
                        file_path TEXT NOT NULL UNIQUE,
                        sha256 TEXT NOT NULL,
                        width INTEGER NOT NULL,
                        height INTEGER NOT NULL
                    );
                    CREATE INDEX dataset_images_album ON dataset_images(album_id);
                    """)
        }
        return migrator
    }
}
