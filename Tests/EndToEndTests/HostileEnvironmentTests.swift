import Foundation
import LimberCore
import LimberProtocol
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real limberd in a hostile environment: what is on disk is not what it expects.
/// Each case is answered with what happened and what to do, and a running session goes on.
@Suite(.timeLimit(.minutes(3)))
struct HostileEnvironmentTests {
    /// Puts something that is not a config file at `path`; returns what the refusal must say.
    static func replace(_ path: String, with kind: String) throws -> String {
        try? FileManager.default.removeItem(atPath: path)
        switch kind {
        case "directory":
            guard mkdir(path, 0o700) == 0 else { throw TestFailure("mkdir \(path)") }
            return "is a directory, not a config file"
        case "fifo":
            guard mkfifo(path, 0o600) == 0 else { throw TestFailure("mkfifo \(path)") }
            return "is not a regular file (a FIFO"
        default:
            guard FileManager.default.createFile(atPath: path, contents: Data("garbage\n".utf8)),
                truncate(path, 100_000_000) == 0
            else { throw TestFailure("cannot make 100 MB at \(path)") }
            return "is 100000000 bytes, larger than a config file can be"
        }
    }

    @Test(arguments: ["directory", "fifo", "garbage"])
    func aConfigThatIsNotAFileKeepsTheDaemonFromStartingWithTheReason(kind: String) throws {
        let directory = try TestDirectory()
        let expected = try Self.replace(directory.config, with: kind)
        let daemon = try DaemonProcess(launching: directory, arguments: ["--config", directory.config])
        // A FIFO used to block the daemon here for good, before it ever listened.
        #expect(daemon.waitForExit(within: .seconds(10)), "limberd did not exit:\n\(daemon.log)")
        #expect(daemon.terminationStatus != 0)
        #expect(daemon.log.contains(directory.config + " " + expected), "\(daemon.log)")
    }

    @Test(arguments: ["directory", "fifo", "garbage"])
    func aConfigReplacedWhileRunningIsRefusedOnReloadAndTheSessionGoesOn(kind: String) throws {
        let daemon = try DaemonProcess(config: "breaks:\n  movement: {every: 17m}\n")
        let control = try daemon.connect()
        _ = try control.call("start", args: ["id": .string("steady")])
        let original = try control.call("config", as: ConfigResult.self)
        let expected = try Self.replace(daemon.directory.config, with: kind)

        let refused = try control.refusal("reload")
        #expect(refused.code == .invalidConfig)
        #expect(refused.message.contains(expected), "\(refused.message)")
        // SIGHUP goes the same way, and the daemon is still there to answer.
        kill(daemon.pid, SIGHUP)
        try daemon.waitForLog("config refused on reload")
        #expect(try control.call("config", as: ConfigResult.self) == original)
        let status = try control.call("status")
        #expect(status.state == .running && status.session?.id == "steady", "\(daemon.log)")
    }

    @Test func aSessionFileDeletedWhileItRunsPlaysToTheEndThenIsGone() throws {
        let daemon = try DaemonProcess()
        let control = try daemon.connect()
        let watcher = try daemon.connect()
        _ = try watcher.watch()
        _ = try control.call("start", args: ["id": .string("quick")])
        #expect(unlink(daemon.directory.sessions + "/quick.yaml") == 0)
        // The daemon runs the timeline it compiled at the start: every step still comes.
        let events = try watcher.events(until: { $0.event == .sessionFinished || $0.event == .sessionStopped }, within: .seconds(10))
        #expect(events.last?.event == .sessionFinished, "\(events.map(\.event))\n\(daemon.log)")
        #expect(Set(events.filter { $0.event == .step }.compactMap(\.step)) == [0, 1, 2, 3])

        let reloaded = try control.call("reload", as: ReloadResult.self)
        #expect(reloaded.sessions == TestScripts.all.count - 1)
        let refused = try control.refusal("start", args: ["id": .string("quick")])
        #expect(refused.code == .unknownSession)
        #expect(refused.message.contains("limber sessions"), "\(refused.message)")
    }

    @Test func tenThousandSessionFilesAreListedAndRun() async throws {
        try await onOwnThread {
            let directory = try TestDirectory()
            let count = 10_000
            for index in 0..<count {
                let text = "name: Generated \(index)\nkind: exercise\ndescription: One of many.\nsteps:\n  - do: Step\n    for: \(index % 50 + 1)s\n"
                guard FileManager.default.createFile(atPath: "\(directory.sessions)/gen-\(index).yaml", contents: Data(text.utf8)) else {
                    throw TestFailure("cannot write session \(index)")
                }
            }
            let started = ContinuousClock.now
            let daemon = try DaemonProcess(in: directory)
            let control = try daemon.connect()
            let listed = try control.call("sessions", as: SessionsResult.self, within: .seconds(60))
            #expect(listed.sessions.count == count + TestScripts.all.count, "\(listed.problems.prefix(3))")
            #expect(listed.problems.isEmpty)
            let status = try control.call("start", args: ["id": .string("gen-9999")])
            #expect(status.session?.id == "gen-9999")
            #expect(try control.call("status").state == .running)
            let reloaded = try control.call("reload", as: ReloadResult.self, within: .seconds(60))
            #expect(reloaded.sessions == count + TestScripts.all.count)
            print("HostileEnvironmentTests: \(count) session files: started, listed, ran and reloaded in \(started.duration(to: .now))")
        }
    }
}
