import Foundation
import Imaging
import Testing

@testable import Catalog
@testable import Training

struct GroupedSplitTests {
    private func items(count: Int, artists: Int) -> [GroupedSplitter.Item] {
        (0..<count).map { i in
            GroupedSplitter.Item(id: Int64(i), label: ["rock", "jazz", "rap"][i % 3], groupKeys: ["artist:\(i % artists)"])
        }
    }

    @Test func noGroupCrossesSplits() {
        let all = items(count: 600, artists: 90)
        let assignment = GroupedSplitter(seed: 3).assign(all)
        var splitOfArtist: [String: Split] = [:]
        for item in all {
            let split = assignment[item.id]!
            if let seen = splitOfArtist[item.groupKeys[0]] { #expect(seen == split) }
            splitOfArtist[item.groupKeys[0]] = split
        }
    }

    @Test func fractionsStayCloseToTheRequestPerGenre() {
        let all = (0..<900).map { GroupedSplitter.Item(id: Int64($0), label: ["rock", "jazz", "rap"][$0 % 3], groupKeys: ["release:\($0)"]) }
        let assignment = GroupedSplitter(seed: 1).assign(all)
        for genre in ["rock", "jazz", "rap"] {
            let ids = all.filter { $0.label == genre }.map(\.id)
            let train = ids.filter { assignment[$0] == .train }.count
            let test = ids.filter { assignment[$0] == .test }.count
            #expect(abs(Double(train) / Double(ids.count) - 0.70) < 0.02)
            #expect(abs(Double(test) / Double(ids.count) - 0.15) < 0.02)
        }
    }

    @Test func foldsKeepGroupsTogetherAndShareEveryGenreEvenly() {
        let all = items(count: 900, artists: 300)
        let folds = GroupedSplitter.folds(all, count: 5, seed: 4)
        #expect(Set(folds.values) == Set(0..<5) && folds.count == all.count)
        var foldOfArtist: [String: Int] = [:]
        for item in all {
            if let seen = foldOfArtist[item.groupKeys[0]] { #expect(seen == folds[item.id]) }
            foldOfArtist[item.groupKeys[0]] = folds[item.id]
        }
        for genre in ["rock", "jazz", "rap"] {
            let ids = all.filter { $0.label == genre }.map(\.id)
            for fold in 0..<5 {
                let share = Double(ids.filter { folds[$0] == fold }.count) / Double(ids.count)
                #expect(abs(share - 0.2) < 0.02, "\(genre) fold \(fold): \(share)")
            }
        }
        #expect(GroupedSplitter.folds(all, count: 5, seed: 4) == folds)
        #expect(GroupedSplitter.folds(all, count: 5, seed: 5) != folds)
    }

    @Test func theSameSeedGivesTheSameSplit() {
        let all = items(count: 300, artists: 40)
        #expect(GroupedSplitter(seed: 9).assign(all) == GroupedSplitter(seed: 9).assign(all))
    }

    @Test func aReencodedResizedCoverLandsWithItsOriginal() throws {
        // Two near-identical covers (the same art, re-encoded and resized) and unrelated ones.
        let (dataset, folder) = try TrainingFixtures.dataset(perGenre: 12, size: 96)
        defer { try? FileManager.default.removeItem(at: folder) }
        let decoder = ImageDecoder()
        let original = dataset.images[0]
        let picture = try decoder.decode(contentsOf: original.url)
        let copyURL = folder.appendingPathComponent("copy.jpg")
        try picture.resized(to: ImageSize(width: 71, height: 71)).write(to: copyURL, jpegQuality: 60)
        var items = try dataset.images.map { image in
            GroupedSplitter.Item(
                id: image.albumID, label: image.genre, groupKeys: [],
                perceptualHash: PerceptualHash.dct(of: try decoder.decode(contentsOf: image.url)).value)
        }
        items.append(
            .init(
                id: 999, label: original.genre, groupKeys: [], perceptualHash: PerceptualHash.dct(of: try decoder.decode(contentsOf: copyURL)).value))
        for seed in 0..<8 as Range<UInt64> {
            let assignment = GroupedSplitter(seed: seed).assign(items)
            #expect(assignment[999] == assignment[original.albumID])
        }
        let groups = GroupedSplitter.groups(of: items, nearDuplicateDistance: 6)
        #expect(groups.contains { $0.contains(items.count - 1) && $0.contains(0) })
    }
}

/// The exact keys that hold covers together in `split` and `crossvalidate`.
struct CoverGroupingKeysTests {
    static func image(artist: String, title: String, file: String = "/covers/a.jpg") -> LabelledImage {
        LabelledImage(
            albumID: 1, artist: artist, title: title, genre: "rock", genres: ["rock"], filePath: file, sha256: "", width: 1, height: 1, split: nil)
    }

    @Test func anArtistGroupsItsCoversButACompilationDoesNot() {
        #expect(
            GroupedSplitter.groupKeys(Self.image(artist: "Johnny Cash", title: "At Folsom Prison"))
                == ["artist:johnnycash", "release:johnnycash/atfolsomprison"])
        #expect(GroupedSplitter.groupKeys(Self.image(artist: "Various Artists", title: "Now 80")) == ["release:variousartists/now80"])
        #expect(
            GroupedSplitter.groupKeys(Self.image(artist: "Original Broadway Cast", title: "Hamilton")) == ["release:originalbroadwaycast/hamilton"])
    }

    @Test func discogsFileNamesGroupImagesOfOneRelease() {
        let keys = GroupedSplitter.groupKeys(Self.image(artist: "", title: "", file: "/covers/rock/R-10011179-1490322801-7353-jpeg.jpg"))
        #expect(keys == ["release:discogs:10011179"])
    }
}
