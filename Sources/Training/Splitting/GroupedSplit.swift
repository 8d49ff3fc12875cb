import Catalog
import NeuralNetwork

/// Train / validation / test assignment that is stratified by genre and grouped, so that nothing a
/// model could memorise crosses splits.
///
/// Items are linked when they share an artist, a release, or a near-identical cover (perceptual
/// hashes within `nearDuplicateDistance` bits: deluxe editions and re-releases reuse art). Linked
/// items form groups (connected components, by union-find) and every group lands in one split.
/// Groups are then dealt out largest first, each to the split whose per-genre quota is furthest
/// from met, which keeps every genre close to the requested fractions.
public struct GroupedSplitter: Sendable {
    public struct Item: Sendable {
        public var id: Int64
        public var label: String
        /// Exact-match grouping keys, e.g. `"artist:miles davis"`, `"release:…"`.
        public var groupKeys: [String]
        /// 64-bit perceptual hash of the cover, if known.
        public var perceptualHash: UInt64?

        public init(id: Int64, label: String, groupKeys: [String], perceptualHash: UInt64? = nil) {
            self.id = id
            self.label = label
            self.groupKeys = groupKeys
            self.perceptualHash = perceptualHash
        }
    }

    public var fractions: [(split: Split, fraction: Double)]
    public var seed: UInt64
    public var nearDuplicateDistance: Int

    public init(train: Double = 0.70, validation: Double = 0.15, test: Double = 0.15, seed: UInt64 = 42, nearDuplicateDistance: Int = 6) {
        precondition(abs(train + validation + test - 1) < 1e-9, "split fractions must add up to 1")
        fractions = [(.train, train), (.val, validation), (.test, test)]
        self.seed = seed
        self.nearDuplicateDistance = nearDuplicateDistance
    }

    /// The split of every item, keyed by item id.
    public func assign(_ items: [Item]) -> [Int64: Split] {
        Self.deal(items, into: fractions.map(\.fraction), seed: seed, nearDuplicateDistance: nearDuplicateDistance)
            .mapValues { fractions[$0].split }
    }

    /// `count` cross-validation folds of equal size, stratified and grouped like the splits: the
    /// fold (0..<count) of every item, keyed by item id.
    public static func folds(_ items: [Item], count: Int, seed: UInt64, nearDuplicateDistance: Int = 6) -> [Int64: Int] {
        precondition(count >= 2, "cross-validation needs at least two folds")
        return deal(items, into: Array(repeating: 1 / Double(count), count: count), seed: seed, nearDuplicateDistance: nearDuplicateDistance)
    }

    /// Deals the linked groups of `items` into bins of the given fractions: the bin index of every
    /// item, keyed by item id.
    static func deal(_ items: [Item], into fractions: [Double], seed: UInt64, nearDuplicateDistance: Int) -> [Int64: Int] {
        let groups = Self.groups(of: items, nearDuplicateDistance: nearDuplicateDistance)
        let labels = Array(Set(items.map(\.label))).sorted()
        let labelIndex = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        var totals = Array(repeating: 0.0, count: labels.count)
        for item in items { totals[labelIndex[item.label]!] += 1 }

        // Largest groups first (they are the hardest to place); ties broken by a seeded shuffle.
        var generator = SplitMix64(seed: seed)
        let order = groups.indices.shuffled(using: &generator).sorted { groups[$0].count > groups[$1].count }

        var filled = Array(repeating: Array(repeating: 0.0, count: labels.count), count: fractions.count)
        var result: [Int64: Int] = [:]
        for groupIndex in order {
            let members = groups[groupIndex].map { items[$0] }
            var best = 0
            var bestNeed = -Double.infinity
            for (bin, fraction) in fractions.enumerated() where fraction > 0 {
                // Need: how far below quota this bin is for the genres of the group, relative to quota.
                var need = 0.0
                for member in members {
                    let g = labelIndex[member.label]!
                    let quota = fraction * totals[g]
                    need += (quota - filled[bin][g]) / max(quota, 1)
                }
                if need > bestNeed + 1e-12 {
                    bestNeed = need
                    best = bin
                }
            }
            for member in members {
                filled[best][labelIndex[member.label]!] += 1
                result[member.id] = best
            }
        }
        return result
    }

    /// Connected components of items linked by a shared key or a near-identical hash.
    public static func groups(of items: [Item], nearDuplicateDistance: Int) -> [[Int]] {
        var unionFind = UnionFind(count: items.count)
        var firstByKey: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            for key in item.groupKeys {
                if let first = firstByKey[key] { unionFind.union(first, index) } else { firstByKey[key] = index }
            }
        }
        let hashed = items.indices.compactMap { i in items[i].perceptualHash.map { (i, $0) } }
        // O(n²) popcounts: 10,000 covers are 5·10⁷ XORs, well under a second.
        for a in hashed.indices {
            for b in hashed.index(after: a)..<hashed.endIndex
            where (hashed[a].1 ^ hashed[b].1).nonzeroBitCount <= nearDuplicateDistance {
                unionFind.union(hashed[a].0, hashed[b].0)
            }
        }
        var components: [Int: [Int]] = [:]
        for index in items.indices { components[unionFind.find(index), default: []].append(index) }
        return components.values.sorted { $0[0] < $1[0] }
    }
}

/// Disjoint-set forest with path halving and union by size.
struct UnionFind {
    private var parent: [Int]
    private var size: [Int]

    init(count: Int) {
        parent = Array(0..<count)
        size = Array(repeating: 1, count: count)
    }

    mutating func find(_ x: Int) -> Int {
        var x = x
        while parent[x] != x {
            parent[x] = parent[parent[x]]
            x = parent[x]
        }
        return x
    }

    mutating func union(_ a: Int, _ b: Int) {
        var ra = find(a)
        var rb = find(b)
        if ra == rb { return }
        if size[ra] < size[rb] { swap(&ra, &rb) }
        parent[rb] = ra
        size[ra] += size[rb]
    }
}
