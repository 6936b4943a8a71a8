import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Per-process counters read from /proc.
public struct ProcessCounters: Sendable {
    public var rssKiB: Int
    /// Resident anonymous memory (heap, stacks): what the process itself made, not mapped files.
    public var anonymousKiB: Int
    public var threads: Int
    public var cpuMilliseconds: Double
    /// Voluntary context switches per thread id.
    public var contextSwitches: [String: Int]
    /// Each thread's name (`comm`), by thread id.
    public var threadNames: [String: String] = [:]

    public static func read(pid: Int32) -> ProcessCounters {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        func field(_ name: String) -> Int {
            status.split(separator: "\n").first { $0.hasPrefix(name + ":") }
                .flatMap { Int($0.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "") } ?? 0
        }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        // Fields after the command name (which may contain spaces): utime is field 14, stime 15.
        let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let utime = fields.count > 12 ? Double(fields[11]) ?? 0 : 0
        let stime = fields.count > 12 ? Double(fields[12]) ?? 0 : 0
        var switches: [String: Int] = [:]
        var names: [String: String] = [:]
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        for task in tasks {
            names[task] = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/status", encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n") where line.hasPrefix("voluntary_ctxt_switches:") {
                switches[task] = Int(line.split(separator: "\t").last ?? "") ?? 0
            }
        }
        return ProcessCounters(
            rssKiB: field("VmRSS"), anonymousKiB: field("RssAnon"), threads: field("Threads"),
            cpuMilliseconds: (utime + stime) / ticks * 1000, contextSwitches: switches, threadNames: names)
    }

    /// Switches between two readings, thread by thread (threads that came and went count
    /// what they did while seen).
    public static func wakeups(from before: ProcessCounters, to after: ProcessCounters) -> Int {
        after.contextSwitches.reduce(0) { total, entry in total + entry.value - (before.contextSwitches[entry.key] ?? 0) }
    }

    /// Switches between two readings summed by thread name (threads of one name, such as a
    /// pool's workers, together).
    public static func wakeupsByThread(from before: ProcessCounters, to after: ProcessCounters) -> [String: Int] {
        var byName: [String: Int] = [:]
        for (task, count) in after.contextSwitches {
            byName[after.threadNames[task] ?? task, default: 0] += count - (before.contextSwitches[task] ?? 0)
        }
        return byName
    }
}
