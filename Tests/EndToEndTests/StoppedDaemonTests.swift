import Foundation
import LimberCore
import LimberProtocol
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// limberd stopped (SIGSTOP) for 10 s in the middle of a session, then continued: the session
/// keeps its schedule on the monotonic clock. What fell due during the stop is delivered at
/// once when it continues (late, with its `due`), and the session ends when it was due to,
/// not 10 s later. docs/protocol.md documents this.
@Suite(.timeLimit(.minutes(2)))
struct StoppedDaemonTests {
    static let fiveSteps = """
        name: Five
        kind: exercise
        description: Five 3 s steps.
        steps:
          - repeat: 5
            steps:
              - do: Step
                for: 3s

        """

    @Test func aSessionKeepsItsScheduleAcrossTenSecondsOfSIGSTOP() async throws {
        try await onOwnThread {
            let directory = try TestDirectory(scripts: ["five": Self.fiveSteps])
            let daemon = try DaemonProcess(in: directory)
            let control = try daemon.connect()
            let watcher = try daemon.connect()
            _ = try watcher.watch()
            _ = try control.call("start", args: ["id": .string("five")])
            let started = try #require(try watcher.events(until: { $0.event == .sessionStarted }).last)
            _ = try watcher.events(until: { $0.event == .step && $0.step == 1 }, within: .seconds(10))

            kill(daemon.pid, SIGSTOP)
            let stopped = ContinuousClock.now
            usleep(10_000_000)
            kill(daemon.pid, SIGCONT)
            let stopLength = stopped.duration(to: .now)

            let rest = try watcher.events(until: { $0.event == .sessionFinished || $0.event == .sessionStopped }, within: .seconds(15))
            let finished = try #require(rest.last)
            #expect(finished.event == .sessionFinished, "\(rest.map(\.event))\n\(daemon.log)")
            let steps = rest.filter { $0.event == .step }
            #expect(steps.compactMap(\.step) == [2, 3, 4], "every step is still announced, in order")
            // Steps 2 and 3 fell due during the stop: delivered seconds late, at the continue.
            let lateness = steps.compactMap { event in event.due.map { event.mono - $0 } }
            #expect(lateness.count == 3)
            #expect((lateness.first ?? 0) > 3, "lateness \(lateness)")
            // The end comes 15 s after the start, as scheduled: the stop did not shift it by 10 s.
            let ended = finished.mono - started.mono
            #expect(ended >= 15 && ended < 16.5, "ended \(ended) s after the start; stopped \(stopLength)")
            #expect(try control.call("status").state == .idle)
            print("StoppedDaemonTests: stopped \(stopLength); steps after the continue were late by \(lateness.map { String(format: "%.2f s", $0) })")
        }
    }
}
