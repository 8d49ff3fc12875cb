import Catalog
import Foundation
import Imaging
import Reports

/// Computes the explore report's statistics from a catalog and its cover files.
///
/// Every cover is decoded once, small (libjpeg-turbo scales in the DCT domain), for its colour
/// histograms and perceptual hash; thumbnails for the contact sheets are written into the report
/// folder so the page stays light.
public struct ExploreBuilder {
    public var samplesPerGenre = 24
    public var duplicateDistance = 4
    public var seed: UInt64 = 42

    public init() {}

    public func build(catalog: Catalog, name: String, thumbnails: URL, progress: (Int, Int) -> Void) throws -> ExploreReport {
        let images = try catalog.labelledImages()
        var perGenre: [String: Int] = [:]
        for image in images { perGenre[image.genre, default: 0] += 1 }
        let facts = try catalog.chartExploration()

        let decoder = ImageDecoder()
        var histograms: [String: ColourHistograms] = [:]
        var hashes: [(index: Int, hash: PerceptualHash)] = []
        var unreadable = 0
        for (n, image) in images.enumerated() {
            if let picture = try? decoder.decode(contentsOf: image.url, minimumSize: ImageSize(width: 64, height: 64)) {
                histograms[image.genre, default: ColourHistograms()].add(picture.fitted(within: ImageSize(width: 64, height: 64)))
                hashes.append((n, PerceptualHash.dct(of: picture)))
            } else {
                unreadable += 1
            }
            if n % 64 == 0 || n == images.count - 1 { progress(n + 1, images.count) }
        }

        var generator = Imaging.Xoshiro256StarStar(seed: seed)
        var sheets: [ExploreReport.ContactSheet] = []
        try FileManager.default.createDirectory(at: thumbnails, withIntermediateDirectories: true)
        for genre in perGenre.keys.sorted() {
            let sample = images.filter { $0.genre == genre }.shuffled(using: &generator).prefix(samplesPerGenre)
            var paths: [String] = []
            for image in sample {
                let target = thumbnails.appendingPathComponent("\(image.sha256.prefix(16)).jpg")
                if !FileManager.default.fileExists(atPath: target.path) {
                    guard let picture = try? decoder.decode(contentsOf: image.url, minimumSize: ImageSize(width: 128, height: 128)) else { continue }
                    try? picture.fitted(within: ImageSize(width: 128, height: 128)).write(to: target, jpegQuality: 85)
                }
                paths.append(target.path)
            }
            sheets.append(.init(genre: genre, imagePaths: paths))
        }

        let sizes = images.map { (width: $0.width, height: $0.height) }
        var sizeCounts: [String: (Int, Int, Int)] = [:]
        for size in sizes { sizeCounts["\(size.width)x\(size.height)", default: (size.width, size.height, 0)].2 += 1 }
        let widths = sizes.map(\.width).sorted(), heights = sizes.map(\.height).sorted()
        let imageSizes =
            sizes.isEmpty
            ? nil
            : ExploreReport.ImageSizeStats(
                imageCount: sizes.count, unreadableCount: unreadable, nonSquareCount: sizes.filter { $0.width != $0.height }.count,
                minimumWidth: widths.first!, minimumHeight: heights.first!, medianWidth: widths[widths.count / 2],
                medianHeight: heights[heights.count / 2],
                maximumWidth: widths.last!, maximumHeight: heights.last!,
                commonSizes: sizeCounts.values.sorted { $0.2 > $1.2 }.prefix(8).map { .init(width: $0.0, height: $0.1, count: $0.2) })

        return ExploreReport(
            datasetName: name,
            albumsPerGenre: perGenre.map { .init(genre: $0.key, count: $0.value) }.sorted { $0.genre < $1.genre },
            albumsPerYear: facts.yearRows.map { .init(year: $0.year, genre: $0.genre, count: $0.count) },
            chartOverlap: facts.pairs.isEmpty && facts.albumsOnTwoGenres == 0
                ? nil
                : .init(
                    albumsOnTwoCharts: facts.albumsOnTwoGenres, albumsOnThreeOrMoreCharts: facts.albumsOnThreeOrMoreGenres,
                    pairs: facts.pairs.map { .init(first: $0.first, second: $0.second, count: $0.count) }),
            imageSizes: imageSizes,
            colourStats: histograms.keys.sorted().map { histograms[$0]!.stats(genre: $0) },
            duplicateClusters: duplicateClusters(hashes, images: images),
            contactSheets: sheets,
            notes: images.isEmpty ? ["The catalog has no labelled covers yet."] : [])
    }

    /// Groups of covers whose perceptual hashes are within `duplicateDistance` bits (connected components).
    private func duplicateClusters(_ hashes: [(index: Int, hash: PerceptualHash)], images: [LabelledImage]) -> [ExploreReport.DuplicateCluster] {
        var parent = Array(hashes.indices)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x {
                parent[x] = parent[parent[x]]
                x = parent[x]
            }
            return x
        }
        for a in hashes.indices {
            for b in (a + 1)..<hashes.count where hashes[a].hash.distance(to: hashes[b].hash) <= duplicateDistance {
                parent[find(a)] = find(b)
            }
        }
        var groups: [Int: [Int]] = [:]
        for i in hashes.indices { groups[find(i), default: []].append(hashes[i].index) }
        return groups.values.filter { $0.count > 1 }.sorted { $0.count > $1.count }.prefix(40).map { members in
            .init(imagePaths: members.map { images[$0].filePath }, genres: members.map { images[$0].genre })
        }
    }
}

/// Hue, saturation and brightness (HSV value) histograms over every pixel of a genre's covers.
struct ColourHistograms {
    var hue = [Int](repeating: 0, count: 36)
    var saturation = [Int](repeating: 0, count: 20)
    var brightness = [Int](repeating: 0, count: 20)
    var images = 0

    mutating func add(_ image: RGBImage) {
        images += 1
        let pixels = image.pixels
        for i in stride(from: 0, to: pixels.count, by: 3) {
            let r = Double(pixels[i]) / 255, g = Double(pixels[i + 1]) / 255, b = Double(pixels[i + 2]) / 255
            let maxValue = max(r, g, b), minValue = min(r, g, b), delta = maxValue - minValue
            let s = maxValue == 0 ? 0 : delta / maxValue
            brightness[min(19, Int(maxValue * 20))] += 1
            saturation[min(19, Int(s * 20))] += 1
            // Hue is meaningless for greys; only reasonably saturated pixels vote.
            guard delta > 0.08 else { continue }
            var h: Double
            if maxValue == r { h = (g - b) / delta } else if maxValue == g { h = 2 + (b - r) / delta } else { h = 4 + (r - g) / delta }
            h = (h * 60).truncatingRemainder(dividingBy: 360)
            if h < 0 { h += 360 }
            hue[min(35, Int(h / 10))] += 1
        }
    }

    func stats(genre: String) -> ExploreReport.GenreColourStats {
        .init(
            genre: genre, imageCount: images, hue: .init(lowerBound: 0, upperBound: 360, counts: hue),
            saturation: .init(lowerBound: 0, upperBound: 1, counts: saturation), brightness: .init(lowerBound: 0, upperBound: 1, counts: brightness))
    }
}
