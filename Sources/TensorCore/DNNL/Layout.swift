import CDNNL

/// The physical layout of a tensor's buffer: a oneDNN memory descriptor over the tensor's logical
/// dimensions (NCHW order for 4-D tensors). Plain layouts are row-major; blocked ones (e.g. `aBcd16b`,
/// alias nChw16c) keep 16 channels innermost and pad the channel count up to a multiple of 16.
/// The element type is f32, or bf16 for activations computed under `ComputePrecision.bfloat16`;
/// a reorder between two layouts converts the element type too.
struct Layout: @unchecked Sendable {
    var descriptor: dnnl_memory_desc_t

    init(descriptor: dnnl_memory_desc_t) {
        self.descriptor = descriptor
    }

    /// A layout with a given format tag; `dnnl_format_tag_any` lets a primitive choose.
    init(_ dimensions: [Int], tag: dnnl_format_tag_t, dataType: dnnl_data_type_t = dnnl_f32) {
        require(!dimensions.isEmpty && dimensions.count <= 6, "Layout: unsupported rank \(dimensions.count)")
        var descriptor = dnnl_memory_desc_t()
        check(dnnl_memory_desc_init_by_tag(&descriptor, Int32(dimensions.count), dimensions.map { Int64($0) }, dataType, tag),
              "dnnl_memory_desc_init_by_tag(\(dimensions))")
        self.descriptor = descriptor
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

    /// Dense nChw16c for a 4-D NCHW shape.
    static func channelBlocked16(_ dimensions: [Int], dataType: dnnl_data_type_t = dnnl_f32) -> Layout {
        Layout(dimensions, tag: dnnl_aBcd16b, dataType: dataType)
    }

    /// The element type (`dnnl_f32` or `dnnl_bf16`).
    var dataType: dnnl_data_type_t { descriptor.data_type }

    /// True for 32-bit float elements, the only type code outside oneDNN (`Buffer.floats`) may read.
    var isFloat32: Bool { descriptor.data_type == dnnl_f32 }

    /// The same dimensions, blocking and strides with another element type. Strides are counted in
    /// elements, so the descriptor stays valid; only the byte size changes.
    func converted(to dataType: dnnl_data_type_t) -> Layout {
        var descriptor = self.descriptor
        descriptor.data_type = dataType
        return Layout(descriptor: descriptor)
    }

    var dimensions: [Int] { Self.tuple(descriptor.dims, count: Int(descriptor.ndims)) }
    var paddedDimensions: [Int] { Self.tuple(descriptor.padded_dims, count: Int(descriptor.ndims)) }

    /// Bytes the buffer needs, including channel padding.
    var byteCount: Int {
        var descriptor = self.descriptor
        return dnnl_memory_desc_get_size(&descriptor)
    }

    /// Physical float count (byteCount / 4) of an f32 layout.
    var elementCapacity: Int {
        require(isFloat32, "Layout.elementCapacity: \(key) is not f32")
        return byteCount / MemoryLayout<Float>.stride
    }

    func isSame(as other: Layout) -> Bool {
        var lhs = descriptor, rhs = other.descriptor
        return dnnl_memory_desc_equal(&lhs, &rhs) != 0
    }

    /// Row-major, whatever the element type.
    var isPlain: Bool { isSame(as: .plain(dimensions, dataType: dataType)) }

    /// True for the dense f32 `aBcd16b` layout the hand-written kernels understand.
    var isDenseChannelBlocked16: Bool {
        dimensions.count == 4 && isSame(as: .channelBlocked16(dimensions))
    }

    /// Dense `aBcd16b` in any element type.
    var isChannelBlocked16: Bool {
        dimensions.count == 4 && isSame(as: .channelBlocked16(dimensions, dataType: dataType))
    }

    /// Element type, dimensions, padding, strides and inner blocks: enough to tell any two layouts apart
    /// in a primitive-cache key (f32 keys carry no type prefix, as before bf16 existed).
    var key: String {
        let type = isFloat32 ? "" : "dt\(descriptor.data_type.rawValue)"
        guard descriptor.format_kind == dnnl_blocked else { return "\(type)kind\(descriptor.format_kind.rawValue)\(dimensions)" }
        let blocking = descriptor.format_desc.blocking
        let count = Int(descriptor.ndims)
        let blocks = Int(blocking.inner_nblks)
        return "\(type)\(dimensions)p\(paddedDimensions)s\(Self.tuple(blocking.strides, count: count))"
            + "b\(Self.tuple(blocking.inner_blks, count: blocks))i\(Self.tuple(blocking.inner_idxs, count: blocks))"
    }

    private static func tuple(_ value: dnnl_dims_t, count: Int) -> [Int] {
        withUnsafeBytes(of: value) { Array($0.bindMemory(to: Int64.self).prefix(count)).map { Int($0) } }
    }
}
