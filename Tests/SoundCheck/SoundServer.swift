import Foundation
import LimberSpawn

#if canImport(Glibc)
import Glibc
#endif

/// A private sound server with a null sink named `limber`, as a listener's ear: PulseAudio,
/// or PipeWire with WirePlumber and pipewire-pulse on a private session bus. Clients reach
/// it through ``environment`` (`PULSE_SERVER`); what it plays is recorded from the sink's
/// monitor by a ``MonitorRecorder``.
public final class SoundServer {
    public enum Kind: String, Sendable, CaseIterable {
        case pulseaudio
        case pipewire

        /// The programs the server needs, all of which must be installed.
        var programs: [String] {
            switch self {
            case .pulseaudio: ["/usr/bin/pulseaudio", "/usr/bin/parec", "/usr/bin/pactl"]
            case .pipewire:
                ["/usr/bin/pipewire", "/usr/bin/wireplumber", "/usr/bin/pipewire-pulse", "/usr/bin/dbus-daemon",
                 "/usr/bin/parec", "/usr/bin/pactl"]
            }
        }

        public var isInstalled: Bool {
            programs.allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
        }

        /// The Debian packages that provide ``programs``.
        public var packages: String {
            switch self {
            case .pulseaudio: "pulseaudio pulseaudio-utils"
            case .pipewire: "pipewire wireplumber pipewire-pulse pulseaudio-utils dbus-daemon"
            }
        }
    }

    public let kind: Kind
    public let directory: String
    /// The native-protocol socket clients connect to.
    public var socket: String {
        kind == .pulseaudio ? directory + "/native" : directory + "/run/pulse/native"
    }
    private var children: [ChildProcess] = []

    /// What a client of this server (limberd, parec, pactl) runs with.
    public var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_RUNTIME_DIR"] = directory + "/run"
        environment["HOME"] = directory + "/home"
        environment["PULSE_SERVER"] = "unix:\(socket)"
        environment["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=\(directory)/bus"
        environment["PIPEWIRE_RUNTIME_DIR"] = directory + "/run"
        return environment
    }

    /// Starts the server and waits until its null sink is the default sink.
    public init(_ kind: Kind) throws {
        self.kind = kind
        var template = Array("/tmp/lsnd.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw SoundCheckError("mkdtemp failed") }
        directory = String(cString: made)
        for sub in ["run", "home"] {
            try FileManager.default.createDirectory(
                atPath: directory + "/" + sub, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        do {
            try start()
        } catch {
            stop()
            throw error
        }
    }

    deinit { stop() }

    /// (Re)starts the server processes; the socket path stays the same.
    public func start() throws {
        let log = ChildProcess.Output.file(directory + "/server.log")
        switch kind {
        case .pulseaudio:
            // -n loads no default.pa: everything needed is loaded here. As root it warns and runs.
            children.append(try ChildProcess("/usr/bin/pulseaudio", [
                "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no", "--disable-shm=yes",
                "--log-target=stderr", "--log-level=error",
                "--load=module-null-sink sink_name=limber rate=48000 channels=1 format=s16le",
                "--load=module-native-protocol-unix auth-anonymous=1 socket=\(socket)",
            ], environment: environment, stderr: log))
        case .pipewire:
            if children.isEmpty {
                children.append(try ChildProcess("/usr/bin/dbus-daemon", [
                    "--session", "--nofork", "--nopidfile", "--address=unix:path=\(directory)/bus",
                ], environment: environment, stderr: log))
                try waitFor("the session bus") { FileManager.default.fileExists(atPath: directory + "/bus") }
            }
            // One after the other: WirePlumber and pipewire-pulse give up at once when PipeWire
            // is not yet listening (seen after a restart in CI: no session manager, no default
            // sink). A killed server leaves its sockets behind, so they are removed first.
            for stale in ["pipewire-0", "pipewire-0.lock", "pipewire-0-manager", "pipewire-0-manager.lock"] {
                unlink(directory + "/run/" + stale)
            }
            children.append(try ChildProcess("/usr/bin/pipewire", [], environment: environment, stderr: log))
            try waitFor("PipeWire's socket") { FileManager.default.fileExists(atPath: directory + "/run/pipewire-0") }
            for program in ["wireplumber", "pipewire-pulse"] {
                children.append(try ChildProcess("/usr/bin/" + program, [], environment: environment, stderr: log))
            }
        }
        try waitFor("\(kind.rawValue) to answer") { pactl("info") != nil }
        if kind == .pipewire {
            guard pactl("load-module", "module-null-sink", "sink_name=limber", "rate=48000", "channels=1",
                        "format=s16le") != nil
            else { throw SoundCheckError("pipewire-pulse refused to load a null sink: \(serverLog)") }
        }
        try waitFor("the null sink to be the default") {
            (pactl("get-default-sink") ?? "").contains("limber") || pactl("set-default-sink", "limber") != nil
                && (pactl("get-default-sink") ?? "").contains("limber")
        }
    }

    /// Kills every server process at once (a crash), leaving the bus of a PipeWire server.
    public func kill() {
        let servers = kind == .pulseaudio ? children : Array(children.dropFirst())
        for child in servers {
            child.signal(SIGKILL)
            child.wait()
        }
        children.removeAll { $0.termination != nil }
    }

    /// Stops the server and removes its directory.
    public func stop() {
        for child in children.reversed() where child.signal(SIGTERM) {
            if child.wait(within: .seconds(5)) == nil {
                child.signal(SIGKILL)
                child.wait()
            }
        }
        children.removeAll()
        try? FileManager.default.removeItem(atPath: directory)
    }

    public var serverLog: String {
        (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? ""
    }

    /// Runs `pactl` against this server; its output, or nil if it failed.
    @discardableResult
    public func pactl(_ arguments: String...) -> String? {
        let output = directory + "/pactl.out"
        guard let child = try? ChildProcess(
            "/usr/bin/pactl", ["--server=unix:\(socket)"] + arguments, environment: environment,
            stdout: .file(output, append: false)),
            child.wait(within: .seconds(10)) == .exited(0)
        else { return nil }
        return try? String(contentsOfFile: output, encoding: .utf8)
    }

    /// Polls `check` every 50 ms for at most `timeout`.
    func waitFor(_ what: String, timeout: Duration = .seconds(20), _ check: () -> Bool) throws {
        let deadline = ContinuousClock.now + timeout
        while !check() {
            if let dead = children.first(where: { $0.termination != nil }) {
                throw SoundCheckError(
                    "\(dead.executable) exited (\(dead.termination!)) while waiting for \(what); server log: \(serverLog.suffix(2000))")
            }
            guard ContinuousClock.now < deadline else {
                throw SoundCheckError("waited \(timeout) for \(what); server log: \(serverLog.suffix(2000))")
            }
            usleep(50_000)
        }
    }
}

/// `parec` on the null sink's monitor (48 kHz S16 mono, raw, 10 ms latency), with the
/// arrival time of what it writes sampled every 2 ms: the lower envelope of (arrival −
/// frames / rate) places the recording on the monotonic clock, to within the recorder's
/// latency.
public final class MonitorRecorder {
    private let path: String
    private let recorder: ChildProcess
    private let arrivals = ArrivalLog()
    private let sampler: Thread

    public init(_ server: SoundServer, name: String = "recording") throws {
        path = server.directory + "/\(name).raw"
        recorder = try ChildProcess("/usr/bin/parec", [
            "--server=unix:\(server.socket)", "-d", "limber.monitor", "--raw", "--format=s16le", "--rate=48000",
            "--channels=1", "--latency-msec=10",
        ], environment: server.environment, stdout: .file(path, append: false))
        let (path, arrivals) = (self.path, self.arrivals)
        sampler = Thread {
            var status = stat()
            while !arrivals.stopped {
                if stat(path, &status) == 0, status.st_size > 0 {
                    arrivals.add(time: ContinuousClock.now, frames: Int(status.st_size) / 2)
                }
                usleep(2_000)
            }
        }
        sampler.start()
    }

    /// Frames recorded so far.
    public var frames: Int { arrivals.lastFrames }

    /// parec's process: a peer audio client, a yardstick for a player's cost.
    public var pid: Int32 { recorder.pid }

    /// Stops recording; returns the samples and the instant of frame 0 (nil if nothing came).
    public func stop() throws -> (samples: [Int16], start: ContinuousClock.Instant?) {
        // An idle null sink hands its monitor audio in large blocks: wait (at most 3 s) until
        // the recording covers the time that has passed. A suspended PipeWire sink sends
        // nothing more, which the limit allows for.
        let deadline = ContinuousClock.now + .seconds(3)
        while let start = arrivals.startInstant(rate: 48_000), ContinuousClock.now < deadline,
              Double(frames) < (ContinuousClock.now - start) / .seconds(1) * 48_000 - 9_600 {
            usleep(20_000)
        }
        recorder.signal(SIGINT)
        recorder.wait()
        arrivals.stop()
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let samples = data.withUnsafeBytes { raw in
            Array(raw.bindMemory(to: Int16.self).prefix(data.count / 2)).map { Int16(littleEndian: $0) }
        }
        return (samples, arrivals.startInstant(rate: 48_000))
    }
}

/// (arrival, frames) samples of a growing recording.
private final class ArrivalLog: @unchecked Sendable {
    private let lock = NSLock()
    private var samples: [(ContinuousClock.Instant, Int)] = []
    private var done = false

    var stopped: Bool { lock.withLock { done } }
    var lastFrames: Int { lock.withLock { samples.last?.1 ?? 0 } }

    func add(time: ContinuousClock.Instant, frames: Int) {
        lock.withLock {
            if samples.last?.1 != frames { samples.append((time, frames)) }
        }
    }

    func stop() { lock.withLock { done = true } }

    /// The earliest instant at which frame 0 can have been captured, by the lower envelope.
    func startInstant(rate: Double) -> ContinuousClock.Instant? {
        lock.withLock {
            samples.map { $0.0 - .seconds(Double($0.1) / rate) }.min()
        }
    }
}

public struct SoundCheckError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
