import Foundation
import LimberProtocol
import LimberSpawn
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// True when this process (and so the limberd built beside it) runs under ThreadSanitizer,
/// whose background thread wakes 10 times a second (`make check-tsan`).
let threadSanitizerIsActive = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "__tsan_init") != nil

/// An idle limberd sleeps. Once anything of it has run on Swift's global executor,
/// libdispatch's pool monitor wakes it every second for good (docs/architecture.md); so a
/// session is played first (the runner's timers, cues, watchers, hooks' paths, history),
/// then the daemon's threads are watched with nothing to do.
@Suite(
    .timeLimit(.minutes(1)),
    .disabled(if: threadSanitizerIsActive, "ThreadSanitizer's runtime wakes every instrumented process 10 times a second"))
struct IdleWakeUpTests {
    @Test func anIdleDaemonDoesNotWakeUpEverySecondAfterASession() async throws {
        // Ten seconds of blocking waits: on a thread of its own, not the test runner's pool.
        try await onOwnThread { try Self.playThenWatchIdle(try DaemonProcess()) }
    }

    /// A locked database makes limberd give up connections and open new ones; a released
    /// GRDB connection frees a dispatch queue, which started the monitor.
    @Test func anIdleDaemonDoesNotWakeUpEverySecondAfterTheHistoryWasLocked() async throws {
        try await onOwnThread {
            let directory = try TestDirectory()
            do {
                let first = try DaemonProcess(in: directory)
                _ = try first.connect().call("status")
                #expect(try first.signal(SIGTERM) == 0)
            }
            let database = directory.state + "/history.sqlite"
            #expect(FileManager.default.fileExists(atPath: database), "the first daemon wrote no history at \(database)")
            // Another process holds the database for 4 s while the daemon starts and plays.
            let holder = try ChildProcess(
                "/usr/bin/python3",
                ["-c", "import sqlite3, time; c = sqlite3.connect('\(database)', isolation_level=None); c.execute('BEGIN EXCLUSIVE'); time.sleep(4); c.execute('COMMIT')"],
                environment: ProcessInfo.processInfo.environment)
            Thread.sleep(forTimeInterval: 0.5)
            let daemon = try DaemonProcess(in: directory)
            try Self.playThenWatchIdle(daemon) {
                _ = holder.wait()
                // The queued records are written once the lock is gone (a retry a second or two later).
                let deadline = ContinuousClock.now + .seconds(20)
                while !daemon.log.contains("writable again"), ContinuousClock.now < deadline {
                    Thread.sleep(forTimeInterval: 0.2)
                }
                #expect(daemon.log.contains("locked"), "the database was never found locked:\n\(daemon.log)")
                #expect(daemon.log.contains("writable again"), "the queued records were never written:\n\(daemon.log)")
            }
        }
    }

    /// Plays `quick`, waits for its stream to close and for `settle`, then counts the idle
    /// daemon's wake-ups over 6 s.
    static func playThenWatchIdle(_ daemon: DaemonProcess, settle: () throws -> Void = {}) throws {
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
        try settle()
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
