import Foundation
import LimberSpawn

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
    private var server: ChildProcess?
    private var recorder: ChildProcess?

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
        server = try ChildProcess(Self.executable, [
            "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no",
            "--disable-shm=yes", "--log-target=stderr", "--log-level=error",
            "--load=module-null-sink sink_name=limber rate=48000 channels=1 format=s16le",
            "--load=module-native-protocol-unix auth-anonymous=1 socket=\(socket)",
        ], environment: environment)
    }

    /// Runs `pactl` against this server; returns its output, or nil if it failed.
    func pactl(_ arguments: String...) -> String? {
        let output = directory.appendingPathComponent("pactl.out").path
        guard let child = try? ChildProcess("/usr/bin/pactl", ["--server=unix:\(socket)"] + arguments,
                                            environment: environment, stdout: .file(output, append: false)),
              child.wait() == .exited(0)
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
        recorder = try ChildProcess("/usr/bin/parec", [
            "--server=unix:\(socket)", "-d", "limber.monitor", "--raw", "--format=s16le",
            "--rate=48000", "--channels=1", "--latency-msec=10",
        ], environment: environment, stdout: .file(recording, append: false))
    }

    /// Bytes recorded so far.
    var recordedBytes: Int {
        ((try? FileManager.default.attributesOfItem(atPath: recording))?[.size] as? Int) ?? 0
    }

    func stopRecording() throws -> [Int16] {
        stopChild(recorder, SIGINT)
        recorder = nil
        let data = try Data(contentsOf: URL(fileURLWithPath: recording))
        return data.withUnsafeBytes { raw in
            stride(from: 0, to: raw.count - 1, by: 2).map {
                Int16(bitPattern: UInt16(raw[$0]) | UInt16(raw[$0 + 1]) << 8)
            }
        }
    }

    func stop() {
        stopChild(recorder, SIGINT)
        recorder = nil
        stopChild(server, SIGTERM)
        server = nil
        try? FileManager.default.removeItem(at: directory)
    }

    private func stopChild(_ child: ChildProcess?, _ signal: Int32) {
        child?.signal(signal)
        child?.wait()
    }
}
