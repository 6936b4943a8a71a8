import Foundation
import LimberAudio
import LimberCore
import Testing

/// A child process started with posix_spawn. (Foundation's Process on Linux reaps children
/// from one monitor thread that blocks in waitpid on a long-lived child, so a second,
/// short-lived Process never finishes while the server runs.)
struct Child {
    let pid: pid_t

    /// Starts `path` with `arguments` and `environment`, stdout to `output` (or /dev/null).
    init(_ path: String, _ arguments: [String], environment: [String: String],
         output: String = "/dev/null", errorOutput: String = "/dev/null") throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errorOutput, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        // The calling thread (a dispatch worker) blocks signals; the child must not inherit
        // that mask, or it would ignore the SIGINT/SIGTERM that stops it.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EINVAL) }
        self.pid = pid
    }

    /// Waits for the exit and returns the exit status (-1 if killed by a signal).
    @discardableResult
    func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
    }

    func stop(_ signal: Int32 = SIGTERM) {
        kill(pid, signal)
        wait()
    }
}

/// A private PulseAudio server with a null sink, as a listener's ear: what it plays is
/// recorded from the sink's monitor with `parec`.
final class PulseServer {
    static let executable = "/usr/bin/pulseaudio"
    static var isInstalled: Bool {
        FileManager.default.isExecutableFile(atPath: executable)
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/parec")
    }

    let directory: URL
    let socket: String
    let recording: String
    private var server: Child?
    private var recorder: Child?

    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_RUNTIME_DIR"] = directory.appendingPathComponent("run").path
        environment["HOME"] = directory.appendingPathComponent("home").path
        environment["PULSE_SERVER"] = "unix:\(socket)"
        return environment
    }

    init() throws {
        // Short path: the socket's name must fit in sun_path.
        directory = URL(fileURLWithPath: "/tmp/limber-pa-\(UUID().uuidString.prefix(8))")
        socket = directory.appendingPathComponent("native").path
        recording = directory.appendingPathComponent("recording.raw").path
        for sub in ["run", "home"] {
            try FileManager.default.createDirectory(
                at: directory.appendingPathComponent(sub), withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        }
        // As root, pulseaudio warns but runs in per-user mode; -n loads no default.pa, so
        // everything it needs is loaded explicitly.
        server = try Child(Self.executable, [
            "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no",
            "--disable-shm=yes", "--log-target=stderr", "--log-level=error",
            "--load=module-null-sink sink_name=limber rate=48000 channels=1 format=s16le",
            "--load=module-native-protocol-unix auth-anonymous=1 socket=\(socket)",
        ], environment: environment)
    }

    /// Runs `pactl` against this server; returns its output, or nil if it failed.
    func pactl(_ arguments: String...) -> String? {
        let output = directory.appendingPathComponent("pactl.out").path
        guard let child = try? Child("/usr/bin/pactl", ["--server=unix:\(socket)"] + arguments,
                                     environment: environment, output: output),
              child.wait() == 0
        else { return nil }
        return try? String(contentsOfFile: output, encoding: .utf8)
    }

    /// Polls `check` (a server round trip each time) until it holds or `timeout` passes.
    func waitFor(timeout: Duration = .seconds(30), _ check: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if check() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Starts recording the null sink's monitor: 48 kHz S16 mono, raw.
    func startRecording() throws {
        recorder = try Child("/usr/bin/parec", [
            "--server=unix:\(socket)", "-d", "limber.monitor", "--raw", "--format=s16le",
            "--rate=48000", "--channels=1", "--latency-msec=10",
        ], environment: environment, output: recording)
    }

    /// Bytes recorded so far.
    var recordedBytes: Int {
        ((try? FileManager.default.attributesOfItem(atPath: recording))?[.size] as? Int) ?? 0
    }

    func stopRecording() throws -> [Int16] {
        recorder?.stop(SIGINT)
        recorder = nil
        let data = try Data(contentsOf: URL(fileURLWithPath: recording))
        return data.withUnsafeBytes { raw in
            stride(from: 0, to: raw.count - 1, by: 2).map {
                Int16(bitPattern: UInt16(raw[$0]) | UInt16(raw[$0 + 1]) << 8)
            }
        }
    }

    func stop() {
        recorder?.stop(SIGINT)
        recorder = nil
        server?.stop()
        server = nil
        try? FileManager.default.removeItem(at: directory)
    }
}

@Suite("PulseAudio end to end", .serialized)
struct PulseAudioTests {
    @Test("cues scheduled 500 ms apart are heard 500 ms apart (within 20 ms)",
          .enabled(if: PulseServer.isInstalled, "pulseaudio (and parec) not installed: end-to-end timing not measured"))
    func interOnsetIntervals() async throws {
        let pulse = try PulseServer()
        defer { pulse.stop() }
        #expect(try await pulse.waitFor { pulse.pactl("info") != nil }, "pulseaudio did not come up")
        // The ALSA `pulse` PCM (libasound2-plugins) reaches the server named by PULSE_SERVER.
        setenv("PULSE_SERVER", "unix:\(pulse.socket)", 1)

        try pulse.startRecording()
        let recordingStarted = ContinuousClock.now
        // parec's data flowing means the monitor is being captured.
        #expect(try await pulse.waitFor { pulse.recordedBytes > 0 }, "parec recorded nothing")

        let player = CuePlayer(settings: AudioSettings(device: "pulse", volume: 0.8))
        defer { player.shutdown() }
        player.beginSession()
        let interval = Duration.milliseconds(500)
        let first = ContinuousClock.now + .milliseconds(800)
        let cues: [Cue] = [.step, .step, .step, .step, .step, .step]
        for (index, cue) in cues.enumerated() {
            player.schedule(cue, at: first + interval * index)
        }
        let last = first + interval * (cues.count - 1)
        try await Task.sleep(until: last + .milliseconds(300))
        #expect(player.status == .playing)
        let latency = player.outputLatency
        // Cancelled cues must never be heard.
        player.schedule(.check, at: .now + .milliseconds(300))
        player.schedule(.check, at: .now + .milliseconds(600))
        player.cancelScheduled()
        try await Task.sleep(for: .milliseconds(900))
        player.endSession()
        await player.idle()
        #expect(player.status == .idle)
        #expect(player.outputLatency == nil)

        // The null sink delivers in blocks once idle: wait until the recording covers the
        // time that has passed, so the tail of the session is in it.
        let needed = Int((ContinuousClock.now - recordingStarted) / .seconds(1) * 96_000) - 19_200
        #expect(try await pulse.waitFor { pulse.recordedBytes >= needed }, "recording lags: \(pulse.recordedBytes) of \(needed) bytes")
        let recorded = try pulse.stopRecording()
        let expectedPeak = Signal.peak(CueBank.shared.samples(for: .step, volume: 0.8))
        // Onset: 10 % of the cue's peak after at least 100 ms of quiet.
        let onsets = Signal.onsets(recorded, threshold: expectedPeak / 10, quiet: 4_800)
        #expect(onsets.count == cues.count, "onsets at frames \(onsets) in \(recorded.count) recorded frames")
        let intervals = zip(onsets, onsets.dropFirst()).map { Double($1 - $0) / 48.0 }
        let errors = intervals.map { abs($0 - 500) }
        let median = Signal.median(errors)
        let worst = errors.max() ?? .nan
        print("""
            PulseAudio null sink: output latency \(latency.map { "\($0)" } ?? "n/a"); \
            intervals (ms) \(intervals.map { String(format: "%.2f", $0) }.joined(separator: " ")); \
            inter-onset error median \(String(format: "%.2f", median)) ms, max \(String(format: "%.2f", worst)) ms
            """)
        #expect(!errors.isEmpty)
        #expect(worst <= 20)
    }
}
