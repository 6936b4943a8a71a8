import Foundation
import LimberCore
import LimberSpawn
import Logging

/// Runs the user's hook commands: argv arrays, never a shell, with event data only in
/// `LIMBER_*` environment variables, a time limit, and failures logged, never fatal.
public struct HookRunner: Sendable {
    /// How one hook ended.
    public enum Outcome: Sendable, Hashable {
        case exited(Int32)
        /// Ended by a signal it was not sent by the runner.
        case signalled(Int32)
        /// Still running at the time limit, so killed with SIGKILL.
        case killed
        /// Could not be started (no such program, not executable).
        case notStarted(SpawnError)
    }

    public static let defaultTimeout: Duration = .seconds(10)

    private let logger: Logger
    /// How long a hook may run before it is killed.
    public let timeout: Duration
    private let environment: @Sendable () -> [String: String]
    /// Where a hook's waiting task runs (the child itself is reaped on a thread of its own).
    private let loop: DaemonLoop

    /// - Parameter environment: the daemon's environment, which hooks inherit (minus any
    ///   `LIMBER_*` of its own).
    public init(
        logger: Logger, timeout: Duration = defaultTimeout,
        environment: @escaping @Sendable () -> [String: String] = { ProcessInfo.processInfo.environment },
        loop: DaemonLoop = .global
    ) {
        self.logger = logger
        self.loop = loop
        self.timeout = timeout
        self.environment = environment
    }

    /// Starts `argv` for `event` and returns at once; the hook runs in the background.
    public func run(_ event: HookEvent, argv: [String], environment extra: [String: String]) {
        guard !argv.isEmpty else { return }
        loop.task { await execute(event, argv: argv, environment: extra) }
    }

    /// Runs `argv` for `event` to its end or its time limit, logs how it went, and returns that.
    @discardableResult
    public func execute(_ event: HookEvent, argv: [String], environment extra: [String: String]) async -> Outcome {
        guard let program = argv.first else { return .exited(0) }
        let metadata: Logger.Metadata = ["event": "\(event.rawValue)", "program": "\(program)"]
        let child: ChildProcess
        do {
            child = try ChildProcess(
                ChildProcess.resolve(program, path: environment()["PATH"]), Array(argv.dropFirst()),
                environment: hookEnvironment(event, extra), stdin: .null, stdout: .inherit, stderr: .inherit)
        } catch {
            logger.warning(
                "hook could not start: \(error); check the hooks: \(event.rawValue) entry of the config",
                metadata: metadata)
            return .notStarted(error)
        }
        let (termination, killed) = await child.exit(killingAfter: timeout)
        if killed {
            logger.warning("hook killed after \(timeout); make it finish sooner or run it in the background", metadata: metadata)
            return .killed
        }
        switch termination {
        case .exited(0):
            logger.debug("hook ran", metadata: metadata)
            return .exited(0)
        case .exited(let code):
            logger.warning(
                "hook failed; run it by hand to see why", metadata: metadata.merging(["status": "\(code)"]) { $1 })
            return .exited(code)
        case .signalled(let signal):
            logger.warning("hook ended by a signal", metadata: metadata.merging(["signal": "\(signal)"]) { $1 })
            return .signalled(signal)
        }
    }

    /// The daemon's environment without its own `LIMBER_*`, plus the event's.
    func hookEnvironment(_ event: HookEvent, _ extra: [String: String]) -> [String: String] {
        var result = environment().filter { !$0.key.hasPrefix("LIMBER_") }
        result["LIMBER_EVENT"] = event.rawValue
        result.merge(extra) { $1 }
        return result
    }
}
