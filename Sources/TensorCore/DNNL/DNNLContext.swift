import CDNNL
import CPUKernels

/// Stops with the name of the oneDNN call when it did not succeed. oneDNN failures here are programming
/// errors (bad descriptors), never user input, so they are not recoverable.
@inline(__always)
func check(_ status: dnnl_status_t, _ call: @autoclosure () -> String) {
    if status != dnnl_success {
        fatalError("oneDNN: \(call()) failed with \(String(cString: dnnl_status2str(status)))")
    }
}

/// One argument of a primitive execution: an argument index (`DNNL_ARG_SRC` ...), the memory layout the
/// primitive expects for it and the buffer holding the data in exactly that layout. Holding the buffer
/// (not a raw pointer) keeps it alive until the execution has finished.
struct DNNLArgument {
    var index: Int32
    var layout: Layout
    var buffer: Buffer
}

/// The process-wide oneDNN CPU engine and its stream.
///
/// oneDNN primitives are thread-safe to execute but streams are not, so every execution goes through
/// `execute(_:_:)`, which serialises on one lock. That costs nothing on this engine: each primitive is
/// already parallel inside (OpenMP), and running two at once on two cores only makes both slower.
final class DNNLContext: @unchecked Sendable {
    static let shared = DNNLContext()

    let engine: dnnl_engine_t
    private let stream: dnnl_stream_t
    private let lock = Lock()
    private var threadCount: Int?
    /// OpenMP's own default (OMP_NUM_THREADS or the core count), restored by `setThreadCount(nil)`.
    private let defaultThreadCount = Int(cpukernels_openmp_thread_count())

    private init() {
        var engine: dnnl_engine_t?
        check(dnnl_engine_create(&engine, dnnl_cpu, 0), "dnnl_engine_create(cpu, 0)")
        var stream: dnnl_stream_t?
        check(dnnl_stream_create(&stream, engine, dnnl_stream_default_flags.rawValue), "dnnl_stream_create")
        self.engine = engine!
        self.stream = stream!
    }

    /// Sets the OpenMP thread count used by every later execution (nil: OpenMP's default, i.e.
    /// `OMP_NUM_THREADS` or the core count).
    func setThreadCount(_ count: Int?) {
        lock.withLock { threadCount = count }
    }

    /// The OpenMP thread count set on the calling thread (what its next parallel region would use).
    static var openMPThreadCountOfCurrentThread: Int { Int(cpukernels_openmp_thread_count()) }

    /// The thread count executions use.
    var effectiveThreadCount: Int { lock.withLock { max(1, threadCount ?? defaultThreadCount) } }

    /// Executes `primitive` with `arguments` and waits for it to finish.
    func execute(_ primitive: Primitive, _ arguments: [DNNLArgument]) {
        var arguments = arguments
        // Primitives use a user-managed scratchpad (see `Primitive`): take it from the caching allocator.
        if let scratchpadLayout = primitive.scratchpadLayout {
            arguments.append(
                DNNLArgument(
                    index: DNNL_ARG_SCRATCHPAD, layout: scratchpadLayout,
                    buffer: CachingAllocator.current.allocate(byteCount: scratchpadLayout.byteCount)))
        }
        var memories: [dnnl_memory_t?] = []
        memories.reserveCapacity(arguments.count)
        for argument in arguments {
            var memory: dnnl_memory_t?
            check(
                agdnnl_memory_create(&memory, argument.layout.handle, engine, argument.buffer.pointer),
                "dnnl_memory_create for \(primitive.name)")
            memories.append(memory)
        }
        defer { for memory in memories { dnnl_memory_destroy(memory) } }
        let execArguments = zip(arguments, memories).map { dnnl_exec_arg_t(arg: $0.index, memory: $1) }
        lock.withLock {
            // OpenMP thread counts belong to the calling thread, and tasks hop threads: set it every time.
            _ = cpukernels_set_openmp_thread_count(Int32(threadCount ?? defaultThreadCount))
            check(
                dnnl_primitive_execute(primitive.handle, stream, Int32(execArguments.count), execArguments),
                "dnnl_primitive_execute(\(primitive.name))")
            check(dnnl_stream_wait(stream), "dnnl_stream_wait after \(primitive.name)")
        }
        withExtendedLifetime(arguments) {}
    }
}

/// Stops the process with `message` when `condition` is false. Unlike `precondition`, the message is
/// kept in optimised builds (TensorCore, NeuralNetwork and Optimizers build with -O), so misuse
/// names the op, the layer and the shapes. The one check of the ML stack's preconditions.
@inline(__always)
public func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
