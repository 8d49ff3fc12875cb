import CDNNL

/// A oneDNN primitive descriptor together with its created primitive (JIT-compiled once, reused).
final class Primitive: @unchecked Sendable {
    let name: String
    let descriptor: dnnl_primitive_desc_t
    let handle: dnnl_primitive_t
    /// The scratchpad the primitive needs per execution, nil when it needs none.
    let scratchpadLayout: Layout?
    private let lock = Lock()
    private var argumentLayouts: [Int32: Layout] = [:]

    /// Creates a primitive descriptor through `create`, one of CDNNL's `agdnnl_…_pd_create` calls, which
    /// receives the descriptor to fill, the engine and the attributes (a user-managed scratchpad), and
    /// then the primitive itself. `hint` (the forward primitive of a backward pass) is handed to `create`.
    init(
        name: String, hint: Primitive? = nil,
        create: (
            _ descriptor: inout dnnl_primitive_desc_t?, _ engine: dnnl_engine_t, _ hint: dnnl_primitive_desc_t?,
            _ attributes: dnnl_primitive_attr_t
        ) -> dnnl_status_t
    ) {
        self.name = name
        var descriptor: dnnl_primitive_desc_t?
        let attributes = Self.userScratchpadAttributes()
        defer { dnnl_primitive_attr_destroy(attributes) }
        check(create(&descriptor, DNNLContext.shared.engine, hint?.descriptor, attributes), "primitive descriptor of \(name)")
        self.descriptor = descriptor!
        let scratchpad = Self.query(descriptor!, dnnl_query_scratchpad_md, 0)
        scratchpadLayout = scratchpad.rank > 0 && scratchpad.byteCount > 0 ? scratchpad : nil
        var handle: dnnl_primitive_t?
        check(dnnl_primitive_create(&handle, descriptor), "dnnl_primitive_create(\(name))")
        self.handle = handle!
    }

    /// A reorder from one layout to another.
    convenience init(reorderFrom source: Layout, to destination: Layout) {
        self.init(name: "reorder \(source.key) -> \(destination.key)") { descriptor, _, _, attributes in
            agdnnl_reorder_pd_create(&descriptor, source.handle, destination.handle, DNNLContext.shared.engine, attributes)
        }
    }

    /// Attributes asking for a user-managed scratchpad. With oneDNN's default (a thread-local global
    /// scratchpad bound to the creating thread) a primitive executed on another thread than the one that
    /// created it can read a null scratchpad and crash; Swift tasks hop threads freely.
    private static func userScratchpadAttributes() -> dnnl_primitive_attr_t {
        var attributes: dnnl_primitive_attr_t?
        check(dnnl_primitive_attr_create(&attributes), "dnnl_primitive_attr_create")
        check(dnnl_primitive_attr_set_scratchpad_mode(attributes, dnnl_scratchpad_mode_user), "set_scratchpad_mode(user)")
        return attributes!
    }

    private static func query(_ descriptor: dnnl_primitive_desc_t, _ what: dnnl_query_t, _ index: Int32) -> Layout {
        var handle: agdnnl_md_t?
        check(agdnnl_pd_query_md(&handle, descriptor, what, index), "query_md(\(what.rawValue), \(index))")
        return Layout(descriptor: MemoryDescriptor(adopting: handle))
    }

    deinit {
        dnnl_primitive_destroy(handle)
        dnnl_primitive_desc_destroy(descriptor)
    }

    /// The layout the primitive expects (or produces) for an execution argument (`DNNL_ARG_…`); empty
    /// (rank 0) when the primitive has no such argument. Queried once per argument.
    func layout(_ argument: Int32) -> Layout {
        if let known = lock.withLock({ argumentLayouts[argument] }) { return known }
        let layout = Self.query(descriptor, dnnl_query_exec_arg_md, argument)
        lock.withLock { argumentLayouts[argument] = layout }
        return layout
    }

    /// True when the primitive uses the argument (its descriptor is not empty).
    func uses(_ argument: Int32) -> Bool { layout(argument).rank > 0 }

    /// The implementation oneDNN chose, e.g. `jit_dw:avx512_core`.
    var implementation: String {
        var info: UnsafePointer<CChar>?
        check(dnnl_primitive_desc_query(descriptor, dnnl_query_impl_info_str, 0, &info), "query impl_info_str(\(name))")
        return info.map { String(cString: $0) } ?? "?"
    }
}

/// Primitives keyed by operation, shapes, layouts and parameters, built once per key.
///
/// oneDNN keeps its own cache too, but creating a descriptor still costs a lookup and the descriptor
/// setup; this cache makes a steady-state training step create nothing.
final class PrimitiveCache: @unchecked Sendable {
    static let shared = PrimitiveCache()

    private let lock = Lock()
    private var primitives: [String: Primitive] = [:]

    /// The cached primitive for `key`, or the one `build` makes (built outside the lock, since building
    /// a backward primitive looks up its forward hint here).
    func primitive(_ key: String, build: () -> Primitive) -> Primitive {
        if let cached = lock.withLock({ primitives[key] }) { return cached }
        let built = build()
        return lock.withLock {
            if let raced = primitives[key] { return raced }
            primitives[key] = built
            return built
        }
    }

    var count: Int { lock.withLock { primitives.count } }

    /// The implementation names of every cached primitive, by key (for dispatch checks in tests).
    var implementations: [String: String] { lock.withLock { primitives.mapValues { $0.implementation } } }
}
