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
    func sessionsAreHeardOnTime(kind: SoundServer.Kind, load: Load) throws {
        try #require(kind.isInstalled, "\(kind.rawValue) is not installed: apt-get install \(kind.packages)")
        // LIMBER_HEARD_ONLY=pipewire:busy runs one case (when chasing a timing problem).
        if let only = ProcessInfo.processInfo.environment["LIMBER_HEARD_ONLY"], only != "\(kind.rawValue):\(load.rawValue)" {
            return
        }
        let server = try SoundServer(kind)
        defer { server.stop() }
        let daemon = try HeardDaemon(server: server)
        let busy = try load.start()
        defer { stopLoad(busy) }
        let session = HeardSession(
            socket: daemon.process.socket, daemonPID: daemon.process.pid, server: server, volume: Self.volume)

        for (id, commands) in [("irregular", []), ("bell-breath", []), ("moves", HeardScripts.moveCommands)] {
            let result = try session.play(id, commands: commands)
            let label = "\(kind.rawValue), \(load), \(id)"
            print("""
                heard \(label): \(result.errors); first cue heard \
                \(result.firstCueLatencyMs.map { String(format: "%.1f", $0) } ?? "?") ms after due; \
                acted \(result.actLatenciesMs.map { "\($0.command) \(String(format: "%.1f", $0.ms)) ms" }); \
                CPU \(String(format: "%.2f", result.cpuPercent)) %, \(String(format: "%.0f", result.wakeupsPerSecond)) wake-ups/s
                """)
            let found = try #require(result.found, "\(label): the recording holds no sound; daemon log:\n\(daemon.process.log)")
            #expect(found.count == result.events.count)
            #expect(result.misplaced().isEmpty, "\(label): cues off their place:\n\(result.table)\n\(daemon.process.log.suffix(6000))")
            for (command, ms) in result.actLatenciesMs {
                #expect(ms <= 50, "\(label): \(command) was heard \(ms) ms after it was sent")
            }
            if id == "moves" {
                // Pause and the second next cut a ringing bell; next, prev and next start a step.
                #expect(result.actLatenciesMs.count == 4, "\(label): \(result.actLatenciesMs)")
            }
            let audio = result.audio
            #expect(audio.lateCues == 0 && audio.lostCues == 0, "\(label): \(audio)\n\(daemon.process.log.suffix(3000))")
        }
    }

    @Test("a sound server killed mid-session: status says unavailable, the timeline goes on, cues resume on its return",
          arguments: SoundServer.Kind.allCases)
    func serverRestart(kind: SoundServer.Kind) throws {
        try #require(kind.isInstalled, "\(kind.rawValue) is not installed: apt-get install \(kind.packages)")
        let server = try SoundServer(kind)
        defer { server.stop() }
        let daemon = try HeardDaemon(server: server)
        let watcher = try daemon.process.connect()
        _ = try watcher.watch()
        let control = try daemon.process.connect()
        let _: StatusResult = try control.call("start", args: ["id": .string("steady")])
        var events = try watcher.events(until: { $0.event == .cue && ($0.offsetMs ?? 0) >= 2_500 }, within: .seconds(10))

        server.kill()
        try eventually(within: .seconds(5), "status to say the audio is unavailable", log: { daemon.process.log }) {
            let status: StatusResult = try control.call("status")
            return status.audio.state == "unavailable" && status.state == .running
        }
        // The control socket answers while the audio is gone, and the timeline goes on.
        events += try watcher.events(until: { $0.event == .cue }, within: .seconds(5))
        try server.start()
        let returned: StatusResult = try control.call("status")
        let recorder = try MonitorRecorder(server, name: "after-restart")
        events += try watcher.events(until: { $0.event == .sessionFinished }, within: .seconds(30))
        usleep(600_000)
        let (samples, recordingStart) = try recorder.stop()
        let offset = try HeardSession.clockOffset(ControlClient(path: daemon.process.socket))

        let returnedMono = try #require(returned.mono)
        // Within one cue of the return: the first cue due after it may still be lost
        // (the device is retried every 500 ms), every later one must be heard in place.
        let after = events.filter { $0.event == .cue && ($0.due ?? 0) > returnedMono }.dropFirst()
        let firstDue = try #require(after.first?.due, "no cues after the server returned: \(events.map(\.event))")
        let expected = after.map { event in
            OnsetMatcher.Expected(
                label: "\(event.cue?.rawValue ?? "?")@\(event.offsetMs ?? -1)ms",
                samples: CueBank.shared.samples(for: event.cue ?? .step, volume: Self.volume),
                offset: (event.due ?? 0) - firstDue)
        }
        // The recording starts whenever the restarted server does: the first cue is looked
        // for where the two clock mappings put it.
        let start = try #require(recordingStart, "the restarted server recorded nothing")
        let near = Int((offset + .seconds(firstDue) - start) / .seconds(1) * 48_000)
        let found = try #require(
            OnsetMatcher(recording: samples).match(expected, firstNear: near),
            "the first cue after the restart is not near frame \(near):\n\(daemon.process.log)")
        let misplaced = found.filter { $0.correlation < OnsetMatcher.minimumCorrelation || abs($0.errorMs) > 1 }
        print("heard after a \(kind.rawValue) restart: \(ErrorSummary(found.map(\.errorMs)))")
        #expect(misplaced.isEmpty, "\(misplaced)\n\(daemon.process.log.suffix(3000))")
        let status: StatusResult = try control.call("status")
        #expect((status.audio.lostCues ?? 0) >= 1, "cues due while the server was gone count as lost")
        #expect(daemon.process.isRunning)
    }
}

/// limberd playing through ALSA `default` to `server`, on the heard-timing scripts.
struct HeardDaemon {
    let directory: TestDirectory
    let process: DaemonProcess

    init(server: SoundServer) throws {
        directory = try TestDirectory(scripts: HeardScripts.all)
        try directory.writeConfig("""
            audio:
              device: default
              volume: \(HeardTimingTests.volume)

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
