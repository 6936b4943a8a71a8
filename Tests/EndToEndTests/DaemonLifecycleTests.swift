import Foundation
import LimberCore
import LimberProtocol
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// One daemon per socket, crash recovery, graceful shutdown, and the `limber` client
/// driving a real daemon.
@Suite(.timeLimit(.minutes(1)))
struct DaemonLifecycleTests {
    @Test func aSecondDaemonOnTheSameSocketExitsOneAndTheFirstKeepsServing() throws {
        let first = try DaemonProcess()
        let second = try DaemonProcess(launching: first.directory)
        #expect(second.waitForExit(within: .seconds(20)), "the second limberd kept running")
        #expect(second.terminationStatus == 1)
        #expect(second.log.contains("already running"), "\(second.log)")
        #expect(second.log.contains("pid \(first.pid)"), "\(second.log)")
        #expect(try first.connect().call("hello", as: HelloResult.self).pid == first.pid)
        #expect(FileManager.default.fileExists(atPath: first.socket))
    }

    @Test func aStaleSocketLeftByAKilledDaemonIsReplaced() throws {
        let crashed = try DaemonProcess()
        _ = try crashed.signal(SIGKILL)
        #expect(FileManager.default.fileExists(atPath: crashed.socket), "SIGKILL cannot remove the socket file")
        #expect(throws: ConnectFailure.self) { try crashed.connect() }

        let replacement = try DaemonProcess(in: crashed.directory)
        let client = try replacement.connect()
        #expect(try client.call("hello", as: HelloResult.self).pid == replacement.pid)
        #expect(try client.call("start", args: ["id": .string("steady")]).state == .running)
        #expect(replacement.log.contains("stale socket"), "\(replacement.log)")
    }

    @Test func sigtermStopsTheRunningSessionRecordsItAndRemovesTheSocket() throws {
        let daemon = try DaemonProcess()
        let control = try daemon.connect()
        let watcher = try daemon.connect()
        _ = try watcher.watch()
        _ = try control.call("start", args: ["id": .string("steady")])
        _ = try watcher.events { $0.event == .step }

        #expect(try daemon.signal(SIGTERM) == 0, "\(daemon.log)")
        #expect(!FileManager.default.fileExists(atPath: daemon.socket))
        // The watch stream ends rather than leaving the client hanging.
        var ended = false
        while !ended {
            switch try watcher.readLine() {
            case .line: continue
            case .closed: ended = true
            case .timedOut:
                Issue.record("the watch connection outlived the daemon")
                return
            }
        }

        let records = try daemon.directory.runRecords()
        #expect(records.count == 1, "history: \(records)\n\(daemon.log)")
        let record = try #require(records.last)
        #expect(record.session == "steady")
        #expect(record.outcome == "stopped")
        #expect(record.reason == "shutdown")
    }

    @Test
    func sigtermTellsWatchersTheSessionStoppedForShutdown() throws {
        let daemon = try DaemonProcess()
        let watcher = try daemon.connect()
        _ = try watcher.watch()
        _ = try daemon.connect().call("start", args: ["id": .string("steady")])
        _ = try watcher.events { $0.event == .step }
        kill(daemon.pid, SIGTERM)
        let stopped = try #require(try watcher.events { $0.event == .sessionStopped }.last)
        #expect(stopped.reason == "shutdown")
        #expect(try daemon.signal(SIGTERM) == 0)
    }

    @Test func statusWithoutADaemonExitsThreeAndSaysHowToStartIt() throws {
        let directory = try TestDirectory()
        let result = try run(limberBinary(), ["status", "--socket", directory.socket])
        #expect(result.status == 3)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("limberd is not running"), "\(result.stderr)")
        #expect(result.stderr.contains("systemctl --user start limberd"), "\(result.stderr)")
        #expect(result.stderr.contains("limberd &"), "\(result.stderr)")
    }

    @Test func theLimberClientDrivesASession() throws {
        let daemon = try DaemonProcess()
        func limber(_ arguments: String...) throws -> ProcessOutput {
            try run(limberBinary(), arguments + ["--socket", daemon.socket])
        }
        let idle = try limber("status", "--format", "{state} {session}")
        #expect(idle.status == 0)
        #expect(idle.stdout == "idle \n")

        let start = try limber("start", "steady")
        #expect(start.status == 0, "\(start.stderr)")
        #expect(start.stdout == "started Steady (steady), 3:00; follow it with `limber watch`\n")

        let json = try limber("status", "--json")
        #expect(json.status == 0)
        let status = try ControlCodec.decoder().decode(StatusResult.self, from: Data(json.stdout.utf8))
        #expect(status.state == .running)
        #expect(status.session?.id == "steady")
        #expect(status.session?.steps == 3)
        #expect(status.session?.totalMs == 180_000)

        let format = try limber("status", "--format", "{state} {session}")
        #expect(format.stdout == "running steady\n")

        #expect(try limber("pause").status == 0)
        #expect(try limber("status", "--format", "{state} {step}/{steps} {text}").stdout == "paused 1/3 Alpha\n")
        #expect(try limber("resume").status == 0)
        let next = try limber("next")
        #expect(next.stdout == "step 2/3: Bravo\n")
        #expect(try limber("stop").stdout == "stopped\n")
        #expect(try limber("status", "--format", "{state}").stdout == "idle\n")
        let refused = try limber("stop")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("limber start"), "\(refused.stderr)")
    }
}
