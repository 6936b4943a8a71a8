import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// limberd's one event loop: the control server's sockets, the session runner, the break
/// scheduler and every timer of theirs run on its one thread, as in MPD or sd-event.
///
/// Why it matters when idle: on Linux, Swift's global concurrent executor is libdispatch's
/// thread pool, and the first job it runs starts libdispatch's pool monitor, a 1 Hz timer
/// that then wakes the process every second for good (`_dispatch_workq_init_once` in
/// swift-corelibs-libdispatch). So no task of the daemon may ever run there: tasks are
/// started with the loop as their executor preference (``task(_:)``; structured children and
/// default actors inherit it) and every sleep is the loop's scheduled task (``sleep(until:)``),
/// since `Task.sleep` resumes on the global pool. docs/architecture.md lists what else runs
/// on threads of its own (audio, speech synthesis, D-Bus, child reapers).
///
/// ``global`` is the stand-in for tests and tools without a loop: plain `Task` and `Task.sleep`.
public struct DaemonLoop: Sendable {
    /// The loop's group (one thread); nil for ``global``.
    public let group: MultiThreadedEventLoopGroup?
    /// The loop as a task executor preference; nil for ``global``.
    public var executor: (any TaskExecutor)? { loopExecutor }
    let loopExecutor: EventLoopTaskExecutor?

    /// No loop: tasks on the global executor, sleeps with `Task.sleep`.
    public static let global = DaemonLoop(group: nil)

    /// A new loop on a thread of its own.
    public static func start() -> DaemonLoop {
        DaemonLoop(group: MultiThreadedEventLoopGroup(numberOfThreads: 1))
    }

    init(group: MultiThreadedEventLoopGroup?) {
        self.group = group
        loopExecutor = group.map { EventLoopTaskExecutor(loop: $0.next()) }
    }

    /// Starts an unstructured task on the loop (where `Task {}` would start it on the global pool).
    @discardableResult
    public func task(_ operation: sending @escaping () async -> Void) -> Task<Void, Never> {
        Task(executorPreference: executor, operation: operation)
    }

    /// Sleeps `duration`; throws `CancellationError` when the task is cancelled first.
    public func sleep(for duration: Duration) async throws {
        try await sleep(until: .now + duration)
    }

    /// Sleeps until `instant` (exactly, as the loop's timers have no slack); throws
    /// `CancellationError` when the task is cancelled first.
    public func sleep(until instant: ContinuousClock.Instant) async throws {
        guard let loop = loopExecutor?.loop else {
            try await Task.sleep(until: instant, clock: .continuous)
            return
        }
        try Task.checkCancellation()
        let (seconds, attoseconds) = ContinuousClock.now.duration(to: instant).components
        let nanoseconds = max(0, seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        let deadline = NIODeadline.now() + .nanoseconds(nanoseconds)
        let pending = Mutex<(cancelled: Bool, scheduled: Scheduled<Void>?)>((false, nil))
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let scheduled = loop.scheduleTask(deadline: deadline) {}
                scheduled.futureResult.whenComplete { result in
                    switch result {
                    case .success: continuation.resume()
                    case .failure: continuation.resume(throwing: CancellationError())
                    }
                }
                let cancelled = pending.withLock { state in
                    state.scheduled = scheduled
                    return state.cancelled
                }
                if cancelled { scheduled.cancel() }
            }
        } onCancel: {
            pending.withLock { state in
                state.cancelled = true
                return state.scheduled
            }?.cancel()
        }
    }

    /// The daemon loop's nice value where `RLIMIT_NICE` allows it (root, or a limit set for
    /// the user): ahead of ordinary work, so that events (`cue`, `step`) leave on time on a
    /// busy machine, but behind the audio thread (nice -11 or real-time). Otherwise 0.
    public static let nice: Int32 = -5

    /// Runs `body` on a new loop, its tasks with the loop as their executor preference, and
    /// blocks the calling thread (a synchronous `main`) until it returns or throws; then
    /// stops the loop. The loop's thread gets ``nice`` when that is allowed.
    public static func run(_ body: @escaping @Sendable (DaemonLoop) async throws -> Void) throws {
        let daemonLoop = start()
        guard let group = daemonLoop.group else { return }
        // On Linux a nice value belongs to a thread: `who` 0 is the loop's own.
        group.next().execute { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, nice) }
        let done = group.next().makePromise(of: Void.self)
        daemonLoop.task {
            do {
                try await body(daemonLoop)
                done.succeed()
            } catch {
                done.fail(error)
            }
        }
        defer { try? group.syncShutdownGracefully() }
        try done.futureResult.wait()
    }
}

/// The runner's clock in limberd: `ContinuousClock`'s instants, slept on the loop.
public struct LoopClock: Clock {
    public typealias Instant = ContinuousClock.Instant
    public typealias Duration = Swift.Duration

    let loop: DaemonLoop

    public init(loop: DaemonLoop) {
        self.loop = loop
    }

    public var now: Instant { .now }
    public var minimumResolution: Duration { ContinuousClock().minimumResolution }

    public func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try await loop.sleep(until: deadline)
    }
}
