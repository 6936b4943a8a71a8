import Foundation
import LimberProtocol
import Testing

/// An idle limberd sleeps. Once anything of it has run on Swift's global executor,
/// libdispatch's pool monitor wakes it every second for good (docs/architecture.md); so a
/// session is played first (the runner's timers, cues, watchers, hooks' paths, history),
/// then the daemon's threads are watched with nothing to do.
@Suite(.timeLimit(.minutes(1)))
struct IdleWakeUpTests {
    @Test func anIdleDaemonDoesNotWakeUpEverySecondAfterASession() async throws {
        // Ten seconds of blocking waits: on a thread of its own, not the test runner's pool.
        try await onOwnThread { try Self.playThenWatchIdle() }
    }

    static func playThenWatchIdle() throws {
        let daemon = try DaemonProcess()
        do {
            let control = try daemon.connect()
            let watcher = try daemon.connect()
            _ = try watcher.watch()
            _ = try control.call("start", args: ["id": .string("quick")])
            let events = try watcher.events(until: { $0.event == .sessionFinished }, within: .seconds(20))
            #expect(events.last?.event == .sessionFinished)
            // "Session complete" is spoken after the end, then the stream drains and closes.
            let deadline = ContinuousClock.now + .seconds(20)
            while try control.call("status").audio.state != "idle", ContinuousClock.now < deadline {
                Thread.sleep(forTimeInterval: 0.2)
            }
            #expect(try control.call("status").audio.state == "idle", "the session's audio stream stayed open")
        }
        // The clients are gone; let the daemon settle.
        Thread.sleep(forTimeInterval: 0.5)
        let before = ThreadSwitches.read(pid: daemon.pid)
        Thread.sleep(forTimeInterval: 6)
        let after = ThreadSwitches.read(pid: daemon.pid)
        let woken = after.compactMap { thread, count in before[thread].map { (thread, count - $0) } }
            .filter { $0.1 > 0 }
        let total = woken.reduce(0) { $0 + $1.1 }
        // The monitor alone would be 6 here; 2 leaves room for a stray one-off.
        #expect(total <= 2, "limberd woke \(total) times in 6 s idle: \(woken)\n\(daemon.log)")
    }
}

/// Context switches (voluntary and not) of each thread of a process: each is a wake-up.
enum ThreadSwitches {
    /// By "tid comm".
    static func read(pid: Int32) -> [String: Int] {
        let tasks = "/proc/\(pid)/task"
        var counts: [String: Int] = [:]
        for tid in (try? FileManager.default.contentsOfDirectory(atPath: tasks)) ?? [] {
            guard let status = try? String(contentsOfFile: "\(tasks)/\(tid)/status", encoding: .utf8) else { continue }
            let name = status.split(separator: "\n").first { $0.hasPrefix("Name:") }?.dropFirst(5)
                .trimmingCharacters(in: .whitespaces) ?? "?"
            let switches = status.split(separator: "\n").filter { $0.contains("ctxt_switches:") }
                .compactMap { Int($0.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "") }
            counts["\(tid) \(name)"] = switches.reduce(0, +)
        }
        return counts
    }
}
