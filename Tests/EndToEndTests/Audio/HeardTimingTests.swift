import Foundation
import LimberAudio
import LimberCore
import LimberDaemon
import LimberProtocol
import LimberSpawn
import SoundCheck
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What a listener hears, through the desktop's real path: limberd → ALSA `default` → the
/// pulse plugin → PulseAudio or PipeWire → a null sink, recorded at its monitor. Every cue
/// is found in the recording by its own rendered samples and must be within 1 ms of where
/// the timeline puts it relative to the first cue.
@Suite("Cues heard at real sound servers", .serialized)
struct HeardTimingTests {
    static let volume = 0.8

    @Test("irregular steps, a long bell with breathing, and pause/resume/next/prev are heard within 1 ms of the timeline",
          arguments: SoundServer.Kind.allCases, Load.allCases)
    func sessionsAreHeardOnTime(kind: SoundServer.Kind, load: Load) async throws {
        try #require(kind.isInstalled, "\(kind.rawValue) is not installed: apt-get install \(kind.packages)")
        // LIMBER_HEARD_ONLY=pipewire:busy runs one case (when chasing a timing problem).
        if let only = ProcessInfo.processInfo.environment["LIMBER_HEARD_ONLY"], only != "\(kind.rawValue):\(load.rawValue)" {
            return
        }
        // Minutes of blocking work: on a thread of its own, not one of the test pool's.
        let (runs, log) = try await onOwnThread { try Self.playSessions(kind: kind, load: load) }
        for (id, result) in runs {
            let label = "\(kind.rawValue), \(load), \(id)"
            print("""
                heard \(label): \(result.errors); first cue heard \
                \(result.firstCueLatencyMs.map { String(format: "%.1f", $0) } ?? "?") ms after due; \
                acted \(result.actLatenciesMs.map { "\($0.command) \(String(format: "%.1f", $0.ms)) ms" }); \
                CPU \(String(format: "%.2f", result.cpuPercent)) %, \(String(format: "%.0f", result.wakeupsPerSecond)) wake-ups/s
                """)
            let found = try #require(result.found, "\(label): the recording holds no sound; daemon log:\n\(log)")
            #expect(found.count == result.events.count)
            let context = "\(label):\n\(result.table)\n\(log.suffix(6000))"
            // Every cue is heard, none merged into another: its own samples are found near its place.
            #expect(found.allSatisfy { $0.correlation >= OnsetMatcher.minimumCorrelation }, "cue missing, \(context)")
            #expect(result.audio.lostCues == 0, "\(label): \(result.audio)")
            switch (kind, load) {
            case (.pulseaudio, _):
                // Known, intermittent, not understood (issue #8 stays open): in some runs
                // PulseAudio plays 1-60 ms of silence in the middle of the stream without the
                // ALSA pulse plugin reporting an underrun, and every later cue moves by that
                // much. Recorded as a known issue so that it shows in every run's output.
                withKnownIssue("PulseAudio inserts silence mid-stream without an underrun", isIntermittent: true) {
                    #expect(result.misplaced().isEmpty, "cues off their place, \(context)")
                    #expect(result.audio.lateCues == 0, "\(label): \(result.audio)")
                }
            case (.pipewire, _):
                // PipeWire inserts silence in whole quanta when data comes late: that is the
                // server's, counted and printed; the player's own placement is held to 1 ms.
                // Known, intermittent (issue #8 stays open): on an idle machine, and under load,
                // it also inserts silences of other lengths (up to 107 ms) or its reported
                // delay jumps for seconds.
                let (errors, inserted) = OnsetMatcher.withoutServerInsertions(found.map(\.errorMs))
                print("heard \(label): \(ErrorSummary(errors)) after \(inserted) ms the server inserted in whole quanta")
                withKnownIssue("PipeWire inserts silence mid-stream", isIntermittent: true) {
                    #expect(errors.allSatisfy { abs($0) <= 1 }, "cues off their place, \(context)")
                    #expect(result.audio.lateCues == 0, "\(label): \(result.audio)")
                }
            }
            for (command, ms) in result.actLatenciesMs {
                if kind == .pipewire {
                    // pipewire-pulse buffers more than PulseAudio: 37-48 ms measured, at the edge.
                    withKnownIssue("PipeWire's output latency leaves next/prev at the 50 ms edge", isIntermittent: true) {
                        #expect(ms <= 50, "\(label): \(command) was heard \(ms) ms after it was sent")
                    }
                } else if !result.misplaced().isEmpty {
                    // Silence the server inserted earlier in the stream delays everything after
                    // it, the commands too (seen: 47-50 ms quiet vs 25-32 ms busy in one run).
                    withKnownIssue("PulseAudio inserts silence mid-stream without an underrun", isIntermittent: true) {
                        #expect(ms <= 50, "\(label): \(command) was heard \(ms) ms after it was sent")
                    }
                } else {
                    #expect(ms <= 50, "\(label): \(command) was heard \(ms) ms after it was sent")
                }
            }
            if id == "moves" {
                // Pause and the second next cut a ringing bell; next, prev and next start a step.
                #expect(result.actLatenciesMs.count == 4, "\(label): \(result.actLatenciesMs)")
            }
        }
    }

    /// Plays the three sessions at a fresh `kind` server under `load`; blocking.
    static func playSessions(kind: SoundServer.Kind, load: Load) throws -> ([(String, HeardSession.Result)], String) {
        let server = try SoundServer(kind)
        defer { server.stop() }
        let daemon = try HeardDaemon(server: server)
        let busy = try load.start()
        defer { stopBusyLoops(busy) }
        let session = HeardSession(
            socket: daemon.process.socket, daemonPID: daemon.process.pid, server: server, volume: volume)
        let runs = try [("irregular", []), ("bell-breath", []), ("moves", HeardScripts.moveCommands)].map { id, commands in
            (id, try session.play(id, commands: commands))
        }
        return (runs, daemon.process.log)
    }

    @Test("a sound server killed mid-session: status says unavailable, the timeline goes on, cues resume on its return",
          arguments: SoundServer.Kind.allCases)
    func serverRestart(kind: SoundServer.Kind) async throws {
        try #require(kind.isInstalled, "\(kind.rawValue) is not installed: apt-get install \(kind.packages)")
        let run = try await onOwnThread { try Self.restartMidSession(kind) }
        #expect(run.sawUnavailable, "status never said the audio was unavailable:\n\(run.log)")
        #expect(run.daemonRunning)
        // Within one cue of the return: the first cue due after it may still be lost or late
        // (the device is retried every 500 ms); every later one is placed on time...
        let returning = run.events.filter { $0.event == .cue && ($0.due ?? 0) > run.returnedMono }
        let after = returning.filter { event in
            guard let heard = event.heard, let due = event.due else { return false }
            return abs(heard - due) < 0.000_5
        }
        #expect(after.count >= returning.count - 1, "more than one cue lost or late after the return: \(returning)")
        let firstDue = try #require(after.first?.due, "no cues after the server returned: \(run.events.map(\.event))")
        let expected = HeardSession.expected(after, volume: Self.volume)
        // ...and heard there. The recording starts whenever the restarted server does: the
        // first cue is looked for where the two clock mappings put it.
        let start = try #require(run.recordingStart, "the restarted server recorded nothing")
        let near = Int((run.daemonEpoch + .seconds(firstDue) - start) / .seconds(1) * 48_000)
        let found = try #require(
            OnsetMatcher(recording: run.samples).match(expected, firstNear: near),
            "the first cue after the restart is not near frame \(near):\n\(run.log)")
        // PipeWire's whole-quantum silences are the server's (see sessionsAreHeardOnTime).
        let errors = kind == .pipewire ? OnsetMatcher.withoutServerInsertions(found.map(\.errorMs)).errors : found.map(\.errorMs)
        print("heard after a \(kind.rawValue) restart: \(ErrorSummary(errors))")
        #expect(found.allSatisfy { $0.correlation >= OnsetMatcher.minimumCorrelation }, "cue missing: \(found)")
        // Known, intermittent (issue #8): both servers sometimes insert silence mid-stream.
        withKnownIssue("the server inserts silence mid-stream", isIntermittent: true) {
            #expect(errors.allSatisfy { abs($0) <= 1 }, "\(found)\n\(run.log.suffix(3000))")
        }
        #expect((run.lostCues ?? 0) >= 1, "cues due while the server was gone count as lost")
    }

    struct RestartRun: Sendable {
        var events: [ControlEvent]
        var sawUnavailable: Bool
        var returnedMono: Double
        var samples: [Int16]
        var recordingStart: ContinuousClock.Instant?
        /// The daemon's `mono` zero on this process's clock.
        var daemonEpoch: ContinuousClock.Instant
        var lostCues: Int?
        var daemonRunning: Bool
        var log: String
    }

    /// Kills the server 2.5 s into a session and starts it again; blocking.
    static func restartMidSession(_ kind: SoundServer.Kind) throws -> RestartRun {
        let server = try SoundServer(kind)
        defer { server.stop() }
        let daemon = try HeardDaemon(server: server)
        let watcher = try daemon.process.connect()
        _ = try watcher.watch()
        let control = try daemon.process.connect()
        let _: StatusResult = try control.call("start", args: ["id": .string("steady")])
        var events = try watcher.events(until: { $0.event == .cue && ($0.offsetMs ?? 0) >= 2_500 }, within: .seconds(10))

        server.kill()
        var sawUnavailable = false
        let deadline = ContinuousClock.now + .seconds(5)
        while !sawUnavailable, ContinuousClock.now < deadline {
            let status: StatusResult = try control.call("status")
            sawUnavailable = status.audio.state == "unavailable" && status.state == .running
            usleep(20_000)
        }
        // The control socket answers while the audio is gone, and the timeline goes on.
        events += try watcher.events(until: { $0.event == .cue }, within: .seconds(5))
        try server.start()
        let returned: StatusResult = try control.call("status")
        let recorder = try MonitorRecorder(server, name: "after-restart")
        events += try watcher.events(until: { $0.event == .sessionFinished }, within: .seconds(30))
        usleep(600_000)
        let (samples, recordingStart) = try recorder.stop()
        let fresh = try ControlClient(path: daemon.process.socket)
        let epoch = try HeardSession.clockOffset(fresh)
        let status: StatusResult = try fresh.call("status")
        return RestartRun(
            events: events, sawUnavailable: sawUnavailable, returnedMono: returned.mono ?? .infinity, samples: samples,
            recordingStart: recordingStart, daemonEpoch: epoch, lostCues: status.audio.lostCues,
            daemonRunning: daemon.process.isRunning, log: daemon.process.log)
    }
}

/// limberd playing through ALSA `default` to `server`, on the heard-timing scripts.
struct HeardDaemon {
    let directory: TestDirectory
    let process: DaemonProcess

    /// - Parameter voice: speak the sessions' texts (off: the cues alone, each found by its
    ///   own samples; speech is judged by ``HeardTimingTests/speechIsHeardOnItsSample(kind:)``).
    init(server: SoundServer, voice: Bool = false) throws {
        directory = try TestDirectory(scripts: HeardScripts.all.merging(["spoken-check": SpokenFileTests.script]) { $1 })
        try directory.writeConfig("""
            audio:
              device: default
              volume: \(HeardTimingTests.volume)
            voice:
              enabled: \(voice)

            """)
        process = try DaemonProcess(
            launching: directory,
            arguments: [
                "--socket", directory.socket, "--state-dir", directory.state, "--sessions", directory.sessions,
                "--config", directory.config,
                "--log-level", ProcessInfo.processInfo.environment["LIMBER_HEARD_LOG_LEVEL"] ?? "info",
            ],
            environment: server.environment, standardArguments: false)
        try process.waitUntilAccepting()
    }
}
