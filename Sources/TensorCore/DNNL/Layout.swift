import CDNNL

/// An owned oneDNN memory descriptor (CDNNL's `agdnnl_md_t`): immutable once made, released on deinit.
/// A nil handle is the empty descriptor (no dimensions), which is how a primitive says it has no such
/// argument.
final class MemoryDescriptor: @unchecked Sendable {
    let handle: agdnnl_md_t?

    /// Takes ownership of `handle`.
    init(adopting handle: agdnnl_md_t?) {
        self.handle = handle
    }

    deinit { agdnnl_md_destroy(handle) }

    static let empty = MemoryDescriptor(adopting: nil)
}

/// The physical layout of a tensor's buffer: a oneDNN memory descriptor over the tensor's logical
/// dimensions (NCHW order for 4-D tensors). Plain layouts are row-major; blocked ones (e.g. `aBcd16b`,
/// alias nChw16c, or `aBcd8b` on AVX2 CPUs) keep 16 or 8 channels innermost and pad the channel count up
/// to a multiple of the block. The element type is f32, or bf16 for activations computed under
/// `ComputePrecision.bfloat16`; a reorder between two layouts converts the element type too.
struct Layout: @unchecked Sendable {
    let descriptor: MemoryDescriptor

    init(descriptor: MemoryDescriptor) {
        self.descriptor = descriptor
    }

    /// The descriptor's handle, for oneDNN calls through CDNNL's shim.
    var handle: agdnnl_md_t? { descriptor.handle }

    /// A layout with a given format tag; `dnnl_format_tag_any` lets a primitive choose.
    init(_ dimensions: [Int], tag: dnnl_format_tag_t, dataType: dnnl_data_type_t = dnnl_f32) {
        require(!dimensions.isEmpty && dimensions.count <= 6, "Layout: unsupported rank \(dimensions.count)")
        var handle: agdnnl_md_t?
        check(
            agdnnl_md_create_with_tag(&handle, Int32(dimensions.count), dimensions.map { Int64($0) }, dataType, tag),
            "dnnl_memory_desc_create_with_tag(\(dimensions))")
        descriptor = MemoryDescriptor(adopting: handle)
    }

    /// Row-major layout; a rank-0 (scalar) shape is stored as one element.
    static func plain(_ shape: [Int], dataType: dnnl_data_type_t = dnnl_f32) -> Layout {
        let dimensions = shape.isEmpty ? [1] : shape
        let tags = [dnnl_a, dnnl_ab, dnnl_abc, dnnl_abcd, dnnl_abcde, dnnl_abcdef]
        return Layout(dimensions, tag: tags[dimensions.count - 1], dataType: dataType)
    }

    /// "Let the primitive choose".
    static func any(_ dimensions: [Int], dataType: dnnl_data_type_t = dnnl_f32) -> Layout {
        Layout(dimensions, tag: dnnl_format_tag_any, dataType: dataType)
    }

    /// Dense channel-blocked layout of a 4-D NCHW shape: `aBcd16b` (nChw16c) or `aBcd8b` (nChw8c).
    static func channelBlocked(_ dimensions: [Int], block: Int, dataType: dnnl_data_type_t = dnnl_f32) -> Layout {
        require(block == 8 || block == 16, "Layout.channelBlocked: block \(block) is neither 8 nor 16")
        return Layout(dimensions, tag: block == 16 ? dnnl_aBcd16b : dnnl_aBcd8b, dataType: dataType)
    }

    /// Dense nChw16c for a 4-D NCHW shape.
    static func channelBlocked16(_ dimensions: [Int], dataType: dnnl_data_type_t = dnnl_f32) -> Layout {
        channelBlocked(dimensions, block: 16, dataType: dataType)
    }

    /// The element type (`dnnl_f32` or `dnnl_bf16`).
    var dataType: dnnl_data_type_t { agdnnl_md_data_type(handle) }

    /// True for 32-bit float elements, the only type code outside oneDNN (`Buffer.floats`) may read.
    var isFloat32: Bool { dataType == dnnl_f32 }

    /// The same dimensions, blocking and strides with another element type. Strides are counted in
    /// elements, so the descriptor stays valid; only the byte size changes.
    /// Remembered per layout and type: on oneDNN 3.x the conversion searches the format tags.
    func converted(to dataType: dnnl_data_type_t) -> Layout {
        let cacheKey = "\(key)>\(dataType.rawValue)"
        if let known = Self.conversions.withLock({ $0[cacheKey] }) { return known }
        var converted: agdnnl_md_t?
        check(agdnnl_md_with_data_type(&converted, handle, dataType), "Layout.converted(to: \(dataType.rawValue)) of \(key)")
        let layout = Layout(descriptor: MemoryDescriptor(adopting: converted))
        Self.conversions.withLock { $0[cacheKey] = layout }
        return layout
    }

    private static let conversions = LockedDictionary<String, Layout>()

    /// Number of dimensions; 0 for the empty descriptor.
    var rank: Int { Int(agdnnl_md_ndims(handle)) }
    var dimensions: [Int] { read(agdnnl_dims_logical) }
    var paddedDimensions: [Int] { read(agdnnl_dims_padded) }

    /// Bytes the buffer needs, including channel padding.
    var byteCount: Int { agdnnl_md_size(handle) }

    /// Physical float count (byteCount / 4) of an f32 layout.
    var elementCapacity: Int {
        require(isFloat32, "Layout.elementCapacity: \(key) is not f32")
        return byteCount / MemoryLayout<Float>.stride
    }

    func isSame(as other: Layout) -> Bool {
        agdnnl_md_equal(handle, other.handle) != 0
    }

    /// Row-major, whatever the element type.
    var isPlain: Bool { isSame(as: .plain(dimensions, dataType: dataType)) }

    /// The channel block (8 or 16) of a dense channel-blocked 4-D layout in any element type, else nil.
    var channelBlock: Int? {
        guard rank == 4, agdnnl_md_is_blocked(handle) != 0 else { return nil }
        let blocks = read(agdnnl_dims_inner_blocks), indices = read(agdnnl_dims_inner_indices)
        guard blocks.count == 1, indices == [1], blocks[0] == 8 || blocks[0] == 16 else { return nil }
        return isSame(as: .channelBlocked(dimensions, block: blocks[0], dataType: dataType)) ? blocks[0] : nil
    }

    /// True for the dense f32 `aBcd16b` layout.
    var isDenseChannelBlocked16: Bool { isFloat32 && channelBlock == 16 }

    /// Dense `aBcd16b` in any element type.
    var isChannelBlocked16: Bool { channelBlock == 16 }

    /// Element type, dimensions, padding, strides and inner blocks: enough to tell any two layouts apart
    /// in a primitive-cache key (f32 keys carry no type prefix, as before bf16 existed).
    var key: String {
        let type = isFloat32 ? "" : "dt\(dataType.rawValue)"
        guard agdnnl_md_is_blocked(handle) != 0 else {
            return "\(type)kind\(rank == 0 ? "empty" : "other")\(dimensions)"
        }
        return "\(type)\(dimensions)p\(paddedDimensions)s\(read(agdnnl_dims_strides))"
            + "b\(read(agdnnl_dims_inner_blocks))i\(read(agdnnl_dims_inner_indices))"
    }

    private func read(_ kind: agdnnl_dims_kind_t) -> [Int] {
        var values = dnnl_dims_t(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let count = withUnsafeMutableBytes(of: &values) {
            Int(agdnnl_md_get_dims(handle, kind, $0.baseAddress!.assumingMemoryBound(to: Int64.self)))
        }
        return withUnsafeBytes(of: values) { Array($0.bindMemory(to: Int64.self).prefix(count)).map { Int($0) } }
    }
}

/// A dictionary behind a lock (the engine's small process-wide caches).
final class LockedDictionary<Key: Hashable, Value>: @unchecked Sendable {
    private let lock = Lock()
    private var values: [Key: Value] = [:]

    func withLock<Result>(_ body: (inout [Key: Value]) -> Result) -> Result {
        lock.withLock { body(&values) }
    }
}
