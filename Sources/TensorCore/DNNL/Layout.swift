import CDNNL

/// The physical layout of a tensor's buffer: a oneDNN f32 memory descriptor over the tensor's logical
/// dimensions (NCHW order for 4-D tensors). Plain layouts are row-major; blocked ones (e.g. `aBcd16b`,
/// alias nChw16c) keep 16 channels innermost and pad the channel count up to a multiple of 16.
struct Layout: @unchecked Sendable {
    var descriptor: dnnl_memory_desc_t

    init(descriptor: dnnl_memory_desc_t) {
        self.descriptor = descriptor
    }

    /// A layout with a given format tag; `dnnl_format_tag_any` lets a primitive choose.
    init(_ dimensions: [Int], tag: dnnl_format_tag_t) {
        require(!dimensions.isEmpty && dimensions.count <= 6, "Layout: unsupported rank \(dimensions.count)")
        var descriptor = dnnl_memory_desc_t()
        check(dnnl_memory_desc_init_by_tag(&descriptor, Int32(dimensions.count), dimensions.map { Int64($0) }, dnnl_f32, tag),
              "dnnl_memory_desc_init_by_tag(\(dimensions))")
        self.descriptor = descriptor
    }

    /// Row-major layout; a rank-0 (scalar) shape is stored as one element.
    static func plain(_ shape: [Int]) -> Layout {
        let dimensions = shape.isEmpty ? [1] : shape
        let tags = [dnnl_a, dnnl_ab, dnnl_abc, dnnl_abcd, dnnl_abcde, dnnl_abcdef]
        return Layout(dimensions, tag: tags[dimensions.count - 1])
    }

    /// "Let the primitive choose".
    static func any(_ dimensions: [Int]) -> Layout { Layout(dimensions, tag: dnnl_format_tag_any) }

    /// Dense nChw16c for a 4-D NCHW shape.
    static func channelBlocked16(_ dimensions: [Int]) -> Layout { Layout(dimensions, tag: dnnl_aBcd16b) }

    var dimensions: [Int] { Self.tuple(descriptor.dims, count: Int(descriptor.ndims)) }
    var paddedDimensions: [Int] { Self.tuple(descriptor.padded_dims, count: Int(descriptor.ndims)) }

    /// Bytes the buffer needs, including channel padding.
    var byteCount: Int {
        var descriptor = self.descriptor
        return dnnl_memory_desc_get_size(&descriptor)
    }

    /// Physical float count (byteCount / 4).
    var elementCapacity: Int { byteCount / MemoryLayout<Float>.stride }

    func isSame(as other: Layout) -> Bool {
        var lhs = descriptor, rhs = other.descriptor
        return dnnl_memory_desc_equal(&lhs, &rhs) != 0
    }

    var isPlain: Bool { isSame(as: .plain(dimensions)) }

    /// True for the dense `aBcd16b` layout the hand-written kernels understand.
    var isDenseChannelBlocked16: Bool {
        dimensions.count == 4 && isSame(as: .channelBlocked16(dimensions))
    }

    /// Dimensions, padding, strides and inner blocks: enough to tell any two f32 layouts apart in a
    /// primitive-cache key.
    var key: String {
        guard descriptor.format_kind == dnnl_blocked else { return "kind\(descriptor.format_kind.rawValue)\(dimensions)" }
        let blocking = descriptor.format_desc.blocking
        let count = Int(descriptor.ndims)
        let blocks = Int(blocking.inner_nblks)
        return "\(dimensions)p\(paddedDimensions)s\(Self.tuple(blocking.strides, count: count))"
            + "b\(Self.tuple(blocking.inner_blks, count: blocks))i\(Self.tuple(blocking.inner_idxs, count: blocks))"
    }

    private static func tuple(_ value: dnnl_dims_t, count: Int) -> [Int] {
        withUnsafeBytes(of: value) { Array($0.bindMemory(to: Int64.self).prefix(count)).map { Int($0) } }
    }
}
