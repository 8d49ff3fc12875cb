#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Memory figures of this process.
public enum ProcessMemory {
    /// Peak resident set size in MiB: `VmHWM` from /proc/self/status on Linux, else `ru_maxrss`.
    /// The same quantity PyTorch's side reports (`resource.getrusage(...).ru_maxrss`).
    public static var peakResidentMiB: Double {
        if let kib = statusField("VmHWM") { return kib / 1024 }
        var usage = rusage()
        #if canImport(Darwin)
        getrusage(RUSAGE_SELF, &usage)
        return Double(usage.ru_maxrss) / 1_048_576  // bytes on Darwin
        #else
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024  // KiB on Linux
        #endif
    }

    /// Current resident set size in MiB (`VmRSS`), nil where /proc is unavailable.
    public static var residentMiB: Double? { statusField("VmRSS").map { $0 / 1024 } }

    /// A "Name:   123 kB" line of /proc/self/status, in KiB.
    private static func statusField(_ name: String) -> Double? {
        guard let file = fopen("/proc/self/status", "r") else { return nil }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard text.hasPrefix(name + ":") else { continue }
            let digits = text.dropFirst(name.count + 1).filter { $0.isNumber }
            return Double(digits)
        }
        return nil
    }
}
