import Catalog

extension Collector {
    enum CoverOutcome: Sendable {
        case found(CoverRecord)
        case missing
        case failed(CollectorError)
    }

    /// Looks up every album without a cover row, `coverConcurrency` at a time.
    func collectCovers(into report: inout CollectionReport) async throws {
        if configuration.retryMissingCovers { try catalog.forgetMissingCovers() }
        let albums = try catalog.albumsNeedingCovers()
        var completed = 0
        var consecutiveNetworkFailures = 0
        var storedAnything = false
        var recordedDirectory = false
        try await withThrowingTaskGroup(of: (AlbumReference, CoverOutcome).self) { group in
            var iterator = albums.makeIterator()
            func enqueue() {
                guard let album = iterator.next() else { return }
                group.addTask { (album, try await self.lookUp(album)) }
            }
            for _ in 0..<max(1, configuration.coverConcurrency) { enqueue() }
            while let (album, outcome) = try await group.next() {
                switch outcome {
                case .found(let cover):
                    if !recordedDirectory {
                        // The catalog must know where its covers are for export and training.
                        if try catalog.coversDirectory() != coverStore.directory {
                            try catalog.setCoversDirectory(coverStore.directory)
                        }
                        recordedDirectory = true
                    }
                    try catalog.recordCover(albumID: album.id, cover)
                    report.coversFound += 1
                    storedAnything = true
                    consecutiveNetworkFailures = 0
                case .missing:
                    try catalog.recordMissingCover(albumID: album.id)
                    report.coversMissing += 1
                    storedAnything = true
                    consecutiveNetworkFailures = 0
                case .failed(let error):
                    if case .spotifyAuthentication = error { throw error }
                    try handleFailure(
                        error, stage: "cover", subject: "album/\(album.id)",
                        storedAnything: storedAnything, consecutive: &consecutiveNetworkFailures)
                    report.coverFailures += 1
                }
                completed += 1
                progress(
                    CollectionProgress(
                        phase: .covers, completed: completed, total: albums.count,
                        detail: "\(album.artist) – \(album.title)"))
                enqueue()
            }
        }
    }

    /// Tries the sources in order; the first verified image wins. Missing only when every source
    /// answered "no art". A transient failure (network, 429, 5xx) of a source stops the lookup so
    /// the next run retries it: falling through to a lower-priority source would make the stored
    /// cover depend on a passing fault. Permanent failures (e.g. an invalid image) fall through.
    func lookUp(_ album: AlbumReference) async throws -> CoverOutcome {
        let query = AlbumQuery(title: album.title, artist: album.artist, isCompilation: album.isCompilation)
        var firstError: CollectorError?
        for source in sources {
            try Task.checkCancellation()
            do {
                guard let download = try await source.fetchCover(for: query) else { continue }
                let stored = try coverStore.store(download.bytes, url: download.url)
                return .found(
                    CoverRecord(
                        source: download.source, sourceID: download.sourceID, url: download.url, fileName: stored.fileName,
                        sha256: stored.sha256, width: stored.info.width, height: stored.info.height,
                        format: stored.info.format.rawValue, byteCount: download.bytes.count))
            } catch let error as CollectorError {
                logger.debug("cover source \(source.name) failed: \(error)")
                if case .spotifyAuthentication = error { return .failed(error) }
                if error.isTransient { return .failed(error) }
                firstError = firstError ?? error
            }
        }
        return firstError.map(CoverOutcome.failed) ?? .missing
    }
}
