import Foundation
import LimberDaemon
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// limberd's loop thread is the one that sends `cue` and `step` events on time: the kernel
/// must see it as latency-sensitive. Read from /proc, as the kernel reports it.
@Suite(.timeLimit(.minutes(1)))
struct LoopSchedulingTests {
    /// `(thread name, fields of /proc/PID/task/TID/sched)` for every thread of `pid`.
    static func threads(of pid: Int32) throws -> [(name: String, sched: [String: String])] {
        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")
        return tasks.compactMap { tid in
            guard let name = try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/comm", encoding: .utf8),
                let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/sched", encoding: .utf8)
            else { return nil }
            var fields: [String: String] = [:]
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2 { fields[parts[0]] = parts[1] }
            }
            return (name.trimmingCharacters(in: .whitespacesAndNewlines), fields)
        }
    }

    @Test func theLoopThreadAsksForAShortSlice() throws {
        let daemon = try DaemonProcess()
        _ = try daemon.connect().call("status")
        let threads = try Self.threads(of: daemon.pid)
        // Kernels before EEVDF's custom slices (6.12) have no se.slice to show or honour.
        guard threads.contains(where: { $0.sched["se.slice"] != nil }) else { return }
        let loops = threads.filter { $0.name.hasPrefix("NIO-ELT") }
        #expect(!loops.isEmpty, "no NIO event-loop thread in \(threads.map(\.name))")
        for loop in loops {
            #expect(loop.sched["se.slice"] == String(DaemonLoop.slice), "\(loop.name): \(loop.sched["se.slice"] ?? "?")")
        }
        // The main thread, which only waits, keeps the kernel's default.
        let main = try #require(threads.first { $0.name == "limberd" })
        #expect(main.sched["se.slice"] != String(DaemonLoop.slice))
    }
}
