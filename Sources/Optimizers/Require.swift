/// Stops the process with `message` when `condition` is false. Unlike `precondition`, the message is
/// kept in optimised builds (this target builds with -O), so misuse explains itself.
@inline(__always)
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
