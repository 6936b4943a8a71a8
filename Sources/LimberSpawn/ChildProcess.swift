import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Why a child process could not be started; the message names the program and the cause.
public struct SpawnError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The program that was to run.
    public var executable: String
    /// The `errno` value posix_spawn returned.
    public var code: Int32

    public init(executable: String, code: Int32) {
        self.executable = executable
        self.code = code
    }

    public var description: String {
        "cannot start \(executable): \(String(cString: strerror(code)))"
    }
}

/// A program started with `posix_spawn` and reaped by a thread of its own: the one way
/// limberd's hooks, the tests and the benchmarks run other programs.
///
/// Not Foundation's `Process`: on Linux it reaps every child from one shared monitor
/// thread, which blocks on any long-lived child (or one that closes its inherited
/// descriptors) so that later children are never reaped, and its `waitUntilExit` polls a
/// run loop. Here each child has its own reaper, and ``signal(_:)`` is refused once the
/// child has exited, so a recycled pid is never signalled.
public final class ChildProcess: Sendable {
    /// Where the child's standard input comes from.
    public enum Input: Sendable, Hashable {
        case null
        case file(String)
    }

    /// Where the child's standard output or error goes.
    public enum Output: Sendable, Hashable {
        case null
        /// This process's own descriptor.
        case inherit
        /// A file, created if missing, appended to or truncated.
        case file(String, append: Bool = true)
        /// An open descriptor of this process (a pipe's write end), duplicated.
        case descriptor(Int32)
        /// For standard error only: wherever standard output goes.
        case standardOutput
    }

    /// How a child ended.
    public enum Termination: Sendable, Hashable, CustomStringConvertible {
        case exited(Int32)
        case signalled(Int32)

        /// The exit status a shell would report: the code, or 128 + the signal.
        public var status: Int32 {
            switch self {
            case .exited(let code): code
            case .signalled(let signal): 128 + signal
            }
        }

        public var description: String {
            switch self {
            case .exited(let code): "exit status \(code)"
            case .signalled(let signal): "signal \(signal)"
            }
        }
    }

    private struct State {
        /// Set, before reaping, once the child is a zombie: from then on it is never signalled.
        var exiting = false
        var termination: Termination?
        var waiters: [CheckedContinuation<Termination, Never>] = []
    }

    public let pid: pid_t
    /// What was started, as given to ``init(_:_:environment:stdin:stdout:stderr:currentDirectory:)``.
    public let executable: String
    private let state = Mutex(State())
    private let exited = DispatchSemaphore(value: 0)

    /// Starts `executable` (a path; see ``resolve(_:path:)`` for bare names) with exactly
    /// `environment`, every signal at its default disposition and none blocked.
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String], stdin: Input = .null,
        stdout: Output = .null, stderr: Output = .null, currentDirectory: String? = nil
    ) throws(SpawnError) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        switch stdin {
        case .null: posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        case .file(let path): posix_spawn_file_actions_addopen(&actions, 0, path, O_RDONLY, 0)
        }
        Self.add(stdout, as: 1, to: &actions)
        Self.add(stderr, as: 2, to: &actions)
        // Glibc's module does not export posix_spawn_file_actions_addchdir_np; env -C does the same.
        let command = currentDirectory.map { ["/usr/bin/env", "-C", $0, executable] } ?? [executable]
        let argv = (command + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        // The spawning thread may block signals (dispatch workers do) or this process may
        // ignore some (SIGPIPE): a child must inherit neither, or it would shrug off the
        // SIGTERM that stops it.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in 1..<32 where signal != SIGKILL && signal != SIGSTOP { sigaddset(&defaults, Int32(signal)) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let result = posix_spawn(&pid, command[0], &actions, &attributes, argv, envp)
        guard result == 0 else { throw SpawnError(executable: executable, code: result) }
        self.pid = pid
        self.executable = executable
        Thread { [self] in reap() }.start()
    }

    private static func add(_ output: Output, as descriptor: Int32, to actions: inout posix_spawn_file_actions_t) {
        switch output {
        case .null: posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", O_WRONLY, 0)
        case .inherit: break
        case .file(let path, let append):
            posix_spawn_file_actions_addopen(
                &actions, descriptor, path, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0o644)
        case .descriptor(let fd): posix_spawn_file_actions_adddup2(&actions, fd, descriptor)
        case .standardOutput: posix_spawn_file_actions_adddup2(&actions, 1, descriptor)
        }
    }

    /// Runs on the child's own thread: waits for the exit, marks it, then reaps.
    private func reap() {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0, errno == EINTR {}
        state.withLock { $0.exiting = true }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let termination: Termination = status & 0x7f == 0 ? .exited((status >> 8) & 0xff) : .signalled(status & 0x7f)
        let waiters = state.withLock { state in
            state.termination = termination
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        exited.signal()
        for waiter in waiters { waiter.resume(returning: termination) }
    }

    /// How the child ended, or nil while it runs.
    public var termination: Termination? { state.withLock { $0.termination } }

    /// Sends `signal` unless the child has already exited; returns whether it was sent.
    @discardableResult
    public func signal(_ signal: Int32) -> Bool {
        state.withLock { state in
            guard !state.exiting else { return false }
            return kill(pid, signal) == 0
        }
    }

    /// Blocks until the child exits.
    @discardableResult
    public func wait() -> Termination {
        if let termination { return termination }
        exited.wait()
        exited.signal()  // let later waiters through
        return termination ?? .exited(-1)
    }

    /// Blocks until the child exits or `timeout` passes; nil when it still runs.
    public func wait(within timeout: Duration) -> Termination? {
        if let termination { return termination }
        let components = timeout.components
        let nanoseconds = max(0, components.seconds) * 1_000_000_000 + components.attoseconds / 1_000_000_000
        guard exited.wait(timeout: .now() + .nanoseconds(Int(nanoseconds))) == .success else { return nil }
        exited.signal()
        return termination
    }

    /// Suspends until the child exits.
    public func exit() async -> Termination {
        await withCheckedContinuation { continuation in
            let done: Termination? = state.withLock { state in
                if let termination = state.termination { return termination }
                state.waiters.append(continuation)
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    /// Suspends until the child exits, sending SIGKILL if it still runs after `timeout`.
    /// - Returns: how it ended, and whether it had to be killed.
    public func exit(killingAfter timeout: Duration) async -> (termination: Termination, killed: Bool) {
        // The limit is kept by a thread of its own, not a task's timer: with the cooperative
        // pool busy elsewhere in the process, a 200 ms Task.sleep fired over 30 s late.
        let killed = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            Thread { [self] in
                continuation.resume(returning: wait(within: timeout) == nil && signal(SIGKILL))
            }.start()
        }
        return (await exit(), killed)
    }

    /// A bare program name looked up on `path` (colon-separated), as a shell would, without
    /// a shell; a name with a `/` is returned as it is, and so is a name not found.
    public static func resolve(_ program: String, path: String?) -> String {
        guard !program.contains("/") else { return program }
        for directory in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(program)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return program
    }
}
