import Foundation
import LimberCore
import LimberProtocol
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The state directory on a full filesystem (a 4 MiB tmpfs mounted by the test) or mounted
/// read-only (root only, both). Sessions go on, the history's records wait in memory with
/// one warning in the log, and they are written once the disk can take them.
@Suite(.timeLimit(.minutes(3)))
struct StateDirectoryTests {
    @Test(.enabled(if: getuid() == 0, "needs root to mount a tmpfs"))
    func recordsWaitInMemoryUntilSpaceReturns() async throws {
        try await onOwnThread {
            let directory = try TestDirectory()
            try FileManager.default.createDirectory(atPath: directory.state, withIntermediateDirectories: true)
            let mounted = try run(URL(fileURLWithPath: "/bin/mount"), ["-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", directory.state])
            guard mounted.status == 0 else { throw TestFailure("mount: \(mounted.stderr)") }
            defer { _ = try? run(URL(fileURLWithPath: "/bin/umount"), ["-l", directory.state]) }
            let daemon = try DaemonProcess(in: directory)
            let control = try daemon.connect()
            let watcher = try daemon.connect()
            _ = try watcher.watch()
            // The database exists; now fill what is left of the filesystem.
            try eventually("the history database to be created") { FileManager.default.fileExists(atPath: directory.historyFile) }
            let filler = directory.state + "/filler"
            let filled = try run(URL(fileURLWithPath: "/bin/dd"), ["if=/dev/zero", "of=\(filler)", "bs=64k"])
            #expect(filled.stderr.contains("No space left"), "dd: \(filled.stderr)")

            let sessions = 3
            for _ in 0..<sessions {
                _ = try control.call("start", args: ["id": .string("quick")])
                _ = try watcher.events(until: { $0.event == .sessionFinished }, within: .seconds(10))
            }
            #expect(try control.call("status").state == .idle)
            try daemon.waitForLog("kept in memory and retried", within: .seconds(10))
            let warnings = daemon.log.components(separatedBy: "kept in memory and retried").count - 1
            #expect(warnings == 1, "the full disk was reported \(warnings) times:\n\(daemon.log)")
            // The break schedule's state file could not be saved either: said once, not at every save.
            let stateWarnings = daemon.log.components(separatedBy: "could not save state").count - 1
            #expect(stateWarnings == 1, "state.json's failure was reported \(stateWarnings) times:\n\(daemon.log)")

            #expect(unlink(filler) == 0)
            // Retries back off from 1 s doubling: the next one is at most a minute away.
            try daemon.waitForLog("the history database is writable again", within: .seconds(70))
            // The next save of the break state (a session counted as a break) succeeds, and says so.
            _ = try control.call("start", args: ["id": .string("quick")])
            _ = try watcher.events(until: { $0.event == .sessionFinished }, within: .seconds(10))
            try daemon.waitForLog("the state file is written again")
            try eventually("every run in the history", log: { daemon.log }) { try directory.runRecords().count == sessions + 1 }
            let runs = try directory.runRecords()
            #expect(runs.count == sessions + 1, "\(runs.map(\.outcome))")
            #expect(runs.allSatisfy { $0.outcome == "completed" }, "\(runs.map(\.outcome))\n\(daemon.log)")
            #expect(try control.call("hello", as: HelloResult.self).pid == daemon.pid)
            try daemon.signal(SIGTERM)
        }
    }

    @Test(.enabled(if: getuid() == 0, "needs root to bind-mount read-only (root ignores file modes)"))
    func aReadOnlyStateDirectoryKeepsSessionsRunningAndRecordsQueued() async throws {
        try await onOwnThread {
            let directory = try TestDirectory()
            // A first run creates the database and state.json, as on a used machine.
            do {
                let first = try DaemonProcess(in: directory)
                _ = try first.connect().call("hello", as: HelloResult.self)
                try first.signal(SIGTERM)
            }
            let bound = try run(URL(fileURLWithPath: "/bin/mount"), ["--bind", directory.state, directory.state])
            guard bound.status == 0 else { throw TestFailure("mount --bind: \(bound.stderr)") }
            var mounted = true
            defer { if mounted { _ = try? run(URL(fileURLWithPath: "/bin/umount"), ["-l", directory.state]) } }
            let readOnly = try run(URL(fileURLWithPath: "/bin/mount"), ["-o", "remount,bind,ro", directory.state])
            guard readOnly.status == 0 else { throw TestFailure("remount ro: \(readOnly.stderr)") }

            let daemon = try DaemonProcess(in: directory)
            let control = try daemon.connect()
            let watcher = try daemon.connect()
            _ = try watcher.watch()
            for _ in 0..<2 {
                _ = try control.call("start", args: ["id": .string("quick")])
                _ = try watcher.events(until: { $0.event == .sessionFinished }, within: .seconds(10))
            }
            #expect(try control.call("status").state == .idle)
            try daemon.waitForLog("kept in memory and retried", within: .seconds(10))
            let warnings = daemon.log.components(separatedBy: "kept in memory and retried").count - 1
            #expect(warnings == 1, "the read-only directory was reported \(warnings) times:\n\(daemon.log)")
            #expect(daemon.log.components(separatedBy: "could not save state").count - 1 == 1, "\(daemon.log)")

            // Writable again: the queued runs reach the database.
            try unmount(directory.state, heldBy: daemon)
            mounted = false
            try daemon.waitForLog("the history database is writable again", within: .seconds(70))
            // The first batch written announces it; the records queued behind it follow.
            try eventually("both runs in the history", log: { daemon.log }) { try directory.runRecords().count == 2 }
            try daemon.signal(SIGTERM)
        }
    }

    /// Unmounts the read-only bind mount. `umount` fails with EBUSY while any process has a
    /// file open under it, and limberd opens the database for a few milliseconds at every retry,
    /// so a busy mount is tried again; one that stays busy names what limberd holds open there
    /// (an fd kept on a read-only file would keep the history read-only for good).
    private func unmount(_ path: String, heldBy daemon: DaemonProcess) throws {
        var last = ""
        try eventually(within: .seconds(10), "umount \(path) to succeed", log: {
            let held = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(daemon.pid)/fd")) ?? []
            let open = held.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(daemon.pid)/fd/\($0)") }
                .filter { $0.hasPrefix(path) }
            return "umount: \(last)\nlimberd holds open under it: \(open)\n--- limberd log ---\n\(daemon.log)"
        }) {
            let result = try run(URL(fileURLWithPath: "/bin/umount"), [path])
            last = result.stderr
            return result.status == 0
        }
    }
}
