import CDNNL

/// A oneDNN primitive descriptor together with its created primitive (JIT-compiled once, reused).
final class Primitive: @unchecked Sendable {
    let name: String
    let descriptor: dnnl_primitive_desc_t
    let handle: dnnl_primitive_t
    /// The scratchpad the primitive needs per execution, nil when it needs none.
    let scratchpadLayout: Layout?

    /// Creates the primitive descriptor for an operation descriptor (`dnnl_convolution_desc_t` ...) and
    /// the primitive itself; `hint` is the forward primitive for backward passes.
    init<OperationDescriptor>(name: String, operation: inout OperationDescriptor, hint: Primitive? = nil) {
        self.name = name
        var descriptor: dnnl_primitive_desc_t?
        let attributes = Self.userScratchpadAttributes()
        defer { dnnl_primitive_attr_destroy(attributes) }
        check(withUnsafePointer(to: &operation) {
            dnnl_primitive_desc_create(&descriptor, UnsafeRawPointer($0), attributes, DNNLContext.shared.engine, hint?.descriptor)
        }, "dnnl_primitive_desc_create(\(name))")
        self.descriptor = descriptor!
        scratchpadLayout = Self.scratchpad(of: descriptor!)
        var handle: dnnl_primitive_t?
        check(dnnl_primitive_create(&handle, descriptor), "dnnl_primitive_create(\(name))")
        self.handle = handle!
    }

    /// A reorder from one layout to another.
    init(reorderFrom source: Layout, to destination: Layout) {
        name = "reorder"
        var descriptor: dnnl_primitive_desc_t?
        var sourceDescriptor = source.descriptor, destinationDescriptor = destination.descriptor
        let engine = DNNLContext.shared.engine
        let attributes = Self.userScratchpadAttributes()
        defer { dnnl_primitive_attr_destroy(attributes) }
        check(dnnl_reorder_primitive_desc_create(&descriptor, &sourceDescriptor, engine, &destinationDescriptor, engine, attributes),
              "dnnl_reorder_primitive_desc_create(\(source.key) -> \(destination.key))")
        self.descriptor = descriptor!
        scratchpadLayout = Self.scratchpad(of: descriptor!)
        var handle: dnnl_primitive_t?
        check(dnnl_primitive_create(&handle, descriptor), "dnnl_primitive_create(reorder)")
        self.handle = handle!
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

    private static func scratchpad(of descriptor: dnnl_primitive_desc_t) -> Layout? {
        let layout = Layout(descriptor: dnnl_primitive_desc_query_md(descriptor, dnnl_query_scratchpad_md, 0).pointee)
        return layout.descriptor.ndims > 0 && layout.byteCount > 0 ? layout : nil
    }

    deinit {
        dnnl_primitive_destroy(handle)
        dnnl_primitive_desc_destroy(descriptor)
    }

    /// The layout the primitive expects (or produces) for an execution argument (`DNNL_ARG_…`).
    func layout(_ argument: Int32) -> Layout {
        Layout(descriptor: dnnl_primitive_desc_query_md(descriptor, dnnl_query_exec_arg_md, argument).pointee)
    }

    /// True when the primitive uses the argument (its descriptor is not empty).
    func uses(_ argument: Int32) -> Bool { layout(argument).descriptor.ndims > 0 }

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
