import Foundation
import LimberCore
import LimberDaemon
import LimberProtocol
import LimberSpawn
import SoundCheck

#if canImport(Glibc)
import Glibc
#endif

/// A limberd started for a benchmark on its own socket and state directory.
final class BenchDaemon {
    let directory: String
    let socket: String
    let process: ChildProcess

    init(
        binDirectory: String, sessions: [String: String], extraArguments: [String] = [], config: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        var template = Array("/tmp/lbench.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw BenchError("cannot create a temporary directory") }
        directory = String(cString: made)
        socket = directory + "/s.sock"
        let sessionsDirectory = directory + "/sessions"
        try FileManager.default.createDirectory(atPath: sessionsDirectory, withIntermediateDirectories: true)
        for (id, text) in sessions {
            try text.write(toFile: "\(sessionsDirectory)/\(id).yaml", atomically: true, encoding: .utf8)
        }
        var configArguments: [String] = []
        if let config {
            try config.write(toFile: directory + "/config.yaml", atomically: true, encoding: .utf8)
            configArguments = ["--config", directory + "/config.yaml"]
        }
        process = try ChildProcess(
            binDirectory + "/limberd",
            ["--socket", socket, "--state-dir", directory + "/state", "--sessions", sessionsDirectory, "--log-level", "warning"]
                + configArguments + extraArguments,
            environment: environment, stdout: .inherit, stderr: .null)
        let deadline = Date().addingTimeInterval(20)
        while (try? ControlClient(path: socket)) == nil {
            guard Date() < deadline, process.termination == nil else { throw BenchError("limberd did not start (\(binDirectory)/limberd)") }
            usleep(10_000)
        }
    }

    var pid: Int32 { process.pid }

    func stop() {
        if process.signal(SIGTERM) { process.wait() }
        try? FileManager.default.removeItem(atPath: directory)
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Where limberd and limber are: `--bin DIR`, else next to this executable.
func binDirectory(_ arguments: [String]) -> String {
    if let index = arguments.firstIndex(of: "--bin"), index + 1 < arguments.count { return arguments[index + 1] }
    return URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
}

func option(_ name: String, in arguments: [String], default value: Double) -> Double {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let number = Double(arguments[index + 1])
    else { return value }
    return number
}

func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))]
}

/// Cue timing: event timestamp minus scheduled instant over a session of 250 ms steps.
func timingBenchmark(_ arguments: [String]) -> Int32 {
    let seconds = option("--seconds", in: arguments, default: 120)
    let steps = Int(seconds * 4)
    let script = """
        name: Timing
        kind: exercise
        description: 250 ms steps for the timing benchmark.
        steps:
          - repeat: \(steps)
            steps:
              - do: Tick
                for: 250ms
        """
    let device = arguments.firstIndex(of: "--device").map { arguments[$0 + 1] } ?? "null"
    let watcherCount = Int(option("--watchers", in: arguments, default: 0))
    do {
        let daemon = try BenchDaemon(
            binDirectory: binDirectory(arguments), sessions: ["timing": script],
            extraArguments: ["--device", device, "--max-clients", "\(watcherCount + 8)"])
        defer { daemon.stop() }
        let watchers = try DrainedWatchers(socket: daemon.socket, count: watcherCount)
        defer { watchers.close() }
        let load = arguments.contains("--no-load") ? [] : (try? startBusyLoops(2)) ?? []
        defer { stopBusyLoops(load) }
        let watcher = try ControlClient(path: daemon.socket)
        _ = try watcher.rawCall("watch")
        let control = try ControlClient(path: daemon.socket)
        let _: StatusResult = try control.call("start", args: ["id": .string("timing")])
        var errors: [Double] = []
        var last: Double = .nan
        let decoder = ControlCodec.decoder()
        while true {
            guard case .line(let line) = try watcher.readLine(timeoutMilliseconds: 5000) else {
                throw BenchError("the event stream stopped")
            }
            guard let event = try? decoder.decode(ControlEvent.self, from: line) else { continue }
            if event.event == .cue, let due = event.due {
                last = (event.mono - due) * 1000
                errors.append(last)
            }
            if event.event == .sessionFinished || event.event == .sessionStopped { break }
        }
        let sorted = errors.sorted()
        print(
            String(
                format: "timing: %d cues over %.0f s (250 ms steps, %@, %d more watchers reading %d event lines): p50 %.3f ms, p99 %.3f ms, max %.3f ms; last cue %.3f ms (drift)",
                errors.count, seconds, load.isEmpty ? "no load" : "both cores busy", watcherCount, watchers.linesRead,
                percentile(sorted, 0.5),
                percentile(sorted, 0.99), sorted.last ?? .nan, last))
        return 0
    } catch {
        FileHandle.standardError.write(Data("limber-bench timing: \(error)\n".utf8))
        return 1
    }
}

/// An idle daemon, and each `--yardstick` program (a trivial one that only sleeps) over the
/// same time: RSS, anonymous memory, threads, CPU and wake-ups per minute.
func idleBenchmark(_ arguments: [String]) -> Int32 {
    let seconds = option("--seconds", in: arguments, default: 60)
    do {
        let daemon = try BenchDaemon(binDirectory: binDirectory(arguments), sessions: [:])
        defer { daemon.stop() }
        let yardsticks = try values(of: "--yardstick", in: arguments).map { path in
            (path, try ChildProcess(path, [], environment: ProcessInfo.processInfo.environment, stdout: .inherit, stderr: .inherit))
        }
        defer {
            for (_, process) in yardsticks where process.signal(SIGTERM) { process.wait() }
        }
        let watched = [("limberd", daemon.pid)] + yardsticks.map { (($0.0 as NSString).lastPathComponent, $0.1.pid) }
        sleep(2)
        let before = watched.map { ProcessCounters.read(pid: $0.1) }
        usleep(UInt32(seconds * 1_000_000))
        let perMinute = 60 / seconds
        for (index, (name, pid)) in watched.enumerated() {
            let after = ProcessCounters.read(pid: pid)
            print(
                String(
                    format: "idle: %@ over %.0f s: RSS %.1f MB, anonymous %.1f MB, %d threads, CPU %.2f ms/min, wake-ups %.1f/min (voluntary context switches, all threads)",
                    name, seconds, Double(after.rssKiB) / 1024, Double(after.anonymousKiB) / 1024, after.threads,
                    (after.cpuMilliseconds - before[index].cpuMilliseconds) * perMinute,
                    Double(ProcessCounters.wakeups(from: before[index], to: after)) * perMinute))
        }
        return 0
    } catch {
        FileHandle.standardError.write(Data("limber-bench idle: \(error)\n".utf8))
        return 1
    }
}
