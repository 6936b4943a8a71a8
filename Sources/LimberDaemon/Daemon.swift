import Foundation
import LimberCore
import LimberHistory
import Logging
import NIOCore
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// Everything `limberd`'s flags can set.
public struct DaemonOptions: Sendable {
    /// Control socket path; default `$XDG_RUNTIME_DIR/limber/control.sock`.
    public var socket: String?
    /// Config file; default `$XDG_CONFIG_HOME/limber/config.yaml`.
    public var config: String?
    /// Session directories replacing the search path.
    public var sessionDirectories: [String] = []
    /// State directory; default `$XDG_STATE_HOME/limber`.
    public var stateDirectory: String?
    /// ALSA PCM for cues; default from config, else `default`.
    public var device: String?
    public var logLevel: Logger.Level = .info
    /// Closes quiet non-watch connections after this long.
    public var idleTimeout: Duration = .seconds(30)

    public init() {}
}

/// The paths the daemon settled on at start-up.
public struct DaemonPaths: Sendable {
    public var socket: String
    public var stateDirectory: String
    public var config: String

    /// Resolves paths from flags and the XDG environment, or says what is missing.
    public static func resolve(
        _ options: DaemonOptions, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(StartupError) -> DaemonPaths {
        guard
            let socket = ControlSocketPath.resolve(
                explicit: options.socket, environment: environment, useLimberSocketVariable: false)
        else {
            throw StartupError(
                "XDG_RUNTIME_DIR is not set, so limberd does not know where to put its socket; log in through a session that sets it (systemd does), or pass --socket PATH")
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        let stateHome = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.local/state"
        let configHome = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config"
        return DaemonPaths(
            socket: socket,
            stateDirectory: options.stateDirectory ?? stateHome + "/limber",
            config: options.config ?? configHome + "/limber/config.yaml")
    }
}

/// limberd: wires the runner, the audio output and the control server into one service group.
public enum Daemon {
    /// Runs until SIGTERM or SIGINT; throws `StartupError` when it cannot start.
    public static func run(options: DaemonOptions, logger: Logger) async throws {
        let notifier = SystemdNotifier(logger: logger, unsettingEnvironment: true)
        let activated: ActivatedSocket?
        do {
            activated = try SocketActivation.adoptFromEnvironment()
        } catch {
            throw StartupError("cannot use the socket systemd passed: \(error.message)")
        }
        let paths = try DaemonPaths.resolve(options)
        try makeDirectory(paths.stateDirectory)
        let endpoint: ControlEndpoint
        let lock: InstanceLock
        if let activated {
            // The socket file belongs to limberd.socket: never replaced or removed here.
            try makeDirectory((paths.socket as NSString).deletingLastPathComponent)
            lock = try InstanceLock(socketPath: paths.socket)
            endpoint = .inherited(fd: activated.descriptor, path: paths.socket)
        } else {
            try makeDirectory((paths.socket as NSString).deletingLastPathComponent)
            lock = try InstanceLock(socketPath: paths.socket)
            if access(paths.socket, F_OK) == 0 {
                // We hold the lock, so no live daemon owns this socket: a crash left it.
                logger.notice("replacing a stale socket left by an earlier limberd", metadata: ["socket": "\(paths.socket)"])
                unlink(paths.socket)
            }
            endpoint = .path(paths.socket)
        }

        let events = EventHub(logger: logger)
        let output = makeOutput(device: options.device ?? "default", volume: 0.5, logger: logger)
        let sessions = LibraryCatalog(directories: options.sessionDirectories)
        let history = HistoryRecorder(
            path: HistoryDatabase.path(stateDirectory: paths.stateDirectory), logger: logger)
        let runner = SessionRunner(
            clock: ContinuousClock(), output: output, events: events, logger: logger,
            onRecord: { record in history.recordRun(record) })
        let commands = ControlCommands(
            runner: runner, sessions: sessions, output: output, events: events,
            reload: { () async throws(ControlError) -> ReloadResult in
                notifier.reloading()
                let result = await sessions.reload()
                notifier.ready(status: "idle")
                return result
            })
        var limits = ControlLimits()
        limits.idleTimeout = .nanoseconds(Int64(SessionRunner<ContinuousClock>.seconds(options.idleTimeout) * 1e9))
        let server = ControlServer(
            endpoint: endpoint, commands: commands, limits: limits, logger: logger,
            onListening: { notifier.ready(status: "idle") })
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: HistoryService(recorder: history)),
                    .init(service: RunnerService(runner: runner, output: output, notifier: notifier)),
                    .init(service: server),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        logger.info(
            "limberd \(limberVersion) starting",
            metadata: ["socket": "\(paths.socket)", "state": "\(paths.stateDirectory)"])
        try await group.run()
        withExtendedLifetime(lock) {}
    }

    /// Creates `path` and its parents, owner-only.
    static func makeDirectory(_ path: String) throws(StartupError) {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw StartupError("cannot create the directory \(path): \(error.localizedDescription)")
        }
    }
}

/// Keeps the runner in the service group so that shutdown stops a running session first.
struct RunnerService<C: Clock>: Service where C.Duration == Duration {
    let runner: SessionRunner<C>
    let output: any CueOutput
    let notifier: SystemdNotifier

    func run() async throws {
        try? await gracefulShutdown()
        notifier.stopping(status: "stopping")
        await runner.shutdown()
        output.shutdown()
    }
}
