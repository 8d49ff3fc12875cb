import CDNNL

/// Layout conversion, the only way data changes layout inside the engine.
enum Reorder {
    /// `buffer` (laid out as `source`) converted to `destination`; the same buffer when they already match.
    /// Reorders into channel-padded layouts write zeros to the padding lanes.
    static func convert(_ buffer: Buffer, from source: Layout, to destination: Layout) -> Buffer {
        if source.isSame(as: destination) { return buffer }
        require(
            source.dimensions == destination.dimensions,
            "reorder: dimensions differ, \(source.dimensions) vs \(destination.dimensions)")
        let primitive = PrimitiveCache.shared.primitive("reorder|\(source.key)|\(destination.key)") {
            Primitive(reorderFrom: source, to: destination)
        }
        let output = CachingAllocator.current.allocate(byteCount: destination.byteCount)
        DNNLContext.shared.execute(
            primitive,
            [
                DNNLArgument(index: DNNL_ARG_FROM, layout: source, buffer: buffer),
                DNNLArgument(index: DNNL_ARG_TO, layout: destination, buffer: output),
            ])
        return output
    }
}
