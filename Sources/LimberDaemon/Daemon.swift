import Foundation
import LimberAudio
import LimberCore
import LimberHistory
import LimberProtocol
import LimberSpeech
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
    /// Program directories replacing the search path.
    public var programDirectories: [String] = []
    /// State directory; default `$XDG_STATE_HOME/limber`.
    public var stateDirectory: String?
    /// ALSA PCM for cues; default from config, else `default`.
    public var device: String?
    public var logLevel: Logger.Level = .info
    /// Closes quiet non-watch connections after this long.
    public var idleTimeout: Duration = .seconds(30)
    /// Connections served at once; one more is refused with `too-many-clients`.
    public var maxClients = 64

    public init() {}
}

/// The paths the daemon settled on at start-up.
public struct DaemonPaths: Sendable {
    public var socket: String
    public var stateDirectory: String
    public var config: String

    /// Resolves paths from flags, the socket systemd passed and the XDG environment, or says
    /// what is missing.
    ///
    /// - Parameter activatedSocket: the path the inherited socket is bound to; it comes before
    ///   `XDG_RUNTIME_DIR` (which a socket-activated daemon may lack), after `--socket`.
    public static func resolve(
        _ options: DaemonOptions, environment: [String: String] = ProcessInfo.processInfo.environment,
        activatedSocket: String? = nil
    ) throws(StartupError) -> DaemonPaths {
        guard
            let socket = ControlSocketPath.resolve(
                explicit: options.socket ?? activatedSocket, environment: environment, useLimberSocketVariable: false)
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
    ///
    /// - Parameter loop: the loop every task and timer of the daemon runs on (``DaemonLoop``);
    ///   call this from inside ``DaemonLoop/run(_:)``.
    public static func run(options: DaemonOptions, logger: Logger, loop: DaemonLoop) async throws {
        let notifier = SystemdNotifier(logger: logger, unsettingEnvironment: true)
        let activated: ActivatedSocket?
        do {
            activated = try SocketActivation.adoptFromEnvironment()
        } catch {
            throw StartupError("cannot use the socket systemd passed: \(error.message)")
        }
        let paths = try DaemonPaths.resolve(options, activatedSocket: activated.flatMap { SocketActivation.boundPath($0.descriptor) })
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

        let config: LimberConfig
        switch ConfigFile.load(paths.config) {
        case .success(let loaded): config = loaded
        case .failure(let error):
            throw StartupError(([error.message] + (error.details ?? [])).joined(separator: "\n"))
        }
        let epoch = ContinuousClock.now
        let events = EventHub(logger: logger)
        let audio = ConfigFile.audioSettings(config, device: options.device)
        FreedMemory.returnLargeBlocksAtOnce()
        let output = PlayerOutput(
            player: CuePlayer(settings: audio, logger: logger, startNow: false, pause: { try? await loop.sleep(for: $0) }),
            device: audio.device, logger: logger)
        output.update(voice: config.voice, audioVolume: config.audio.volume, cacheDirectory: SpeechCache.standardDirectory())
        let sessions = LibraryCatalog(directories: options.sessionDirectories)
        // The history writer's queue is written (and fsynced) on a loop of its own.
        let writer = DaemonLoop.start()
        let history = HistoryRecorder(
            path: HistoryDatabase.path(stateDirectory: paths.stateDirectory), logger: logger,
            napExecutor: writer.executor, pause: { try? await writer.sleep(for: $0) })
        let runner = SessionRunner(
            clock: LoopClock(loop: loop), output: output, events: events, logger: logger,
            preroll: SessionRunner<LoopClock>.audioPreroll, loop: loop,
            // A run's row is on disk from its start (before the reply) to its end; the
            // checkpoints between are queued, off the timing path.
            onStart: { history.recordRunDurably($0) }, onProgress: { history.recordRun($0) },
            onRecord: { history.recordRunDurably($0) })
        let programs = ProgramTracker(
            historyPath: HistoryDatabase.path(stateDirectory: paths.stateDirectory),
            programs: ProgramLibrary(
                explicitDirectories: options.programDirectories.isEmpty ? nil : options.programDirectories,
                sessions: SessionLibrary(explicitDirectories: options.sessionDirectories.isEmpty ? nil : options.sessionDirectories)),
            logger: logger)
        let scheduler = BreakScheduler(
            config: config, stateFile: StateFile(path: paths.stateDirectory + "/state.json", logger: logger),
            output: output, events: events, hooks: HookRunner(logger: logger, loop: loop), logger: logger, epoch: epoch,
            loop: loop,
            startSession: { (id, durationMs, reason) async throws(ControlError) in
                let timeline: Timeline
                if let id {
                    timeline = try await sessions.timeline(id: id)
                } else {
                    timeline = Timeline.plainBreak(durationMs: durationMs)
                }
                try await ControlError.refusing { () async throws(RunnerRefusal) in try await runner.start(timeline) }
                logger.info("started a session", metadata: ["session": "\(timeline.id)", "for": "\(reason)"])
            },
            programs: programs,
            onBreakEvent: { history.recordSettled($0) })
        let reloader = Reloader(
            configPath: paths.config, device: options.device, output: output, scheduler: scheduler, sessions: sessions,
            events: events, notifier: notifier, logger: logger)
        let commands = ControlCommands(
            runner: runner, sessions: sessions, output: output, events: events,
            reload: { () async throws(ControlError) -> ReloadResult in try await reloader.reload() },
            breaks: scheduler, configPath: paths.config,
            program: { programs.state(reuse: ProgramTracker.statusReuse) })
        // One session bus connection, for notifications and the desktop's idle monitors.
        let sessionBus: BusConnection?
        do {
            sessionBus = try BusConnection(.session, logger: logger)
        } catch {
            logger.info("no session bus (\(error.message)): desktop notifications and idle monitors are off; breaks still sound and run hooks")
            sessionBus = nil
        }
        defer { sessionBus?.close() }
        var limits = ControlLimits()
        limits.idleTimeout = .nanoseconds(Int64(options.idleTimeout.inSeconds * 1e9))
        limits.maxClients = options.maxClients
        let server = ControlServer(
            endpoint: endpoint, commands: commands, limits: limits, group: loop.group ?? .singleton, logger: logger,
            onListening: { notifier.ready(status: "idle") })
        let group = ServiceGroup(
            configuration: .init(
                // Shut down in reverse order: the runner first (a running session is stopped,
                // watchers hear it, the run is queued), the scheduler saves its state, the
                // server closes, and history writes what is left.
                services: [
                    .init(service: HistoryService(recorder: history, writer: writer)),
                    .init(service: server),
                    .init(service: StatusReporter(events: events, notifier: notifier, idleDetail: { await scheduler.nextBreakSummary() })),
                    .init(service: ReloadOnHangUp(reloader: reloader, logger: logger)),
                    .init(service: scheduler),
                    // After the scheduler, so they stop before it: presence and buttons reach
                    // it until the end, and a lost bus never stops the daemon.
                    .init(service: LogindPresence(scheduler: scheduler, enabled: config.presence.logind, loop: loop, logger: logger)),
                    .init(service: DesktopIdle(
                        bus: sessionBus, scheduler: scheduler, idleAfterMs: config.presence.idleAfterMs, logger: logger)),
                    .init(service: DesktopNotifications(
                        bus: sessionBus, events: events, scheduler: scheduler, answer: { await commands.reply(to: $0) }, logger: logger)),
                    .init(service: RunnerService(runner: runner, output: output, notifier: notifier)),
                    .init(service: IdleTrim(events: events, output: output, loop: loop)),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        logger.info(
            "limberd \(limberVersion) starting",
            metadata: ["socket": "\(paths.socket)", "state": "\(paths.stateDirectory)"])
        try await group.run()
        try? await writer.group?.shutdownGracefully()
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
        output.start()
        try? await gracefulShutdown()
        notifier.stopping(status: "stopping")
        await runner.shutdown()
        output.shutdown()
    }
}
