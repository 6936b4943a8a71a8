import Foundation
import LimberAudio
import LimberProtocol
import Testing

/// What `ps` and `top` show of an idle limberd: the pages of code and read-only data it
/// touched starting up, or in a session, are handed back once it has settled (10 s), and it
/// answers as before.
@Suite(.timeLimit(.minutes(1)))
struct IdleTrimTests {
    @Test func anIdleDaemonHandsBackThePagesItTouchedStartingUpAndInASession() async throws {
        try await onOwnThread {
            let daemon = try DaemonProcess(arguments: ["--log-level", "debug"])
            let control = try daemon.connect()
            _ = try control.call("status")
            let started = try Self.filePagesKiB(daemon.pid)
            try Self.waitForTrims(1, daemon)
            let settled = try Self.filePagesKiB(daemon.pid)
            #expect(settled * 2 < started, "file-backed RSS \(started) KiB after start-up, \(settled) KiB after the trim")
            #expect(try control.call("status").audio.state == "idle")

            let watcher = try daemon.connect()
            _ = try watcher.watch()
            _ = try control.call("start", args: ["id": .string("quick")])
            _ = try watcher.events(until: { $0.event == .sessionFinished }, within: .seconds(20))
            let played = try Self.filePagesKiB(daemon.pid)
            try Self.waitForTrims(2, daemon)
            let after = try Self.filePagesKiB(daemon.pid)
            print("idle trim: file-backed RSS \(started) KiB started, \(settled) KiB settled, \(played) KiB after a session, \(after) KiB settled")
            #expect(after * 2 < played, "file-backed RSS \(played) KiB after a session, \(after) KiB after the trim")
            #expect(try control.call("status").audio.state == "idle")
        }
    }

    /// Waits until the daemon's log says it handed pages back `count` times.
    static func waitForTrims(_ count: Int, _ daemon: DaemonProcess) throws {
        let deadline = ContinuousClock.now + .seconds(25)
        func trims() -> Int { daemon.log.components(separatedBy: "resident pages handed back").count - 1 }
        while trims() < count, ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.2)
        }
        try #require(trims() >= count, "no trim \(count) in the log:\n\(daemon.log)")
    }

    /// Resident pages mapped from files (RSS less anonymous memory), in KiB.
    static func filePagesKiB(_ pid: Int32) throws -> Int {
        let text = String(decoding: try #require(WorkingSet.readWhole("/proc/\(pid)/smaps_rollup")), as: UTF8.self)
        func field(_ name: String) -> Int? {
            text.split(separator: "\n").first { $0.hasPrefix(name + ":") }
                .flatMap { Int($0.split(separator: " ")[1]) }
        }
        return try #require(field("Rss")) - (try #require(field("Anonymous")))
    }
}
