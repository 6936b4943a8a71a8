import Foundation
import LimberCore
import Logging

struct ScheduledCue {
    var cue: Cue
    var instant: ContinuousClock.Instant
}

/// State shared by the caller's side and the playback thread, guarded by one condition.
struct PlayerState {
    var settings: AudioSettings
    var status: AudioStatus = .idle
    var lone: [Cue] = []
    var scheduled: [ScheduledCue] = []
    var sessionActive = false
    /// Someone wants the stream open (a cue or a session start since the last attempt).
    var openWanted = false
    var cancelGeneration = 0
    var outputLatency: Duration?
    var openAttempts = 0
    /// The thread is asleep with no stream open.
    var threadIdle = false
    var shuttingDown = false
    var threadExited = false

    var hasWork: Bool {
        !lone.isEmpty || (sessionActive && openWanted)
    }
}

/// The lock-protected core; every access to `state` holds `condition`.
final class PlayerCore: @unchecked Sendable {
    let logger: Logger
    private let condition = NSCondition()
    private var state: PlayerState
    private var idleWaiters: [@Sendable () -> Void] = []

    init(settings: AudioSettings, logger: Logger) {
        self.logger = logger
        self.state = PlayerState(settings: settings)
    }

    /// Runs `body` under the lock and wakes the playback thread and any waiters.
    func withState<T>(_ body: (inout PlayerState) -> T) -> T {
        condition.lock()
        defer {
            condition.broadcast()
            condition.unlock()
        }
        return body(&state)
    }

    /// Sleeps until there is work or shutdown; returns the state to act on, under the lock.
    func waitForWork() -> PlayerState {
        condition.lock()
        state.threadIdle = true
        condition.broadcast()
        var waiters: [@Sendable () -> Void] = []
        if !state.hasWork {
            waiters = idleWaiters
            idleWaiters.removeAll()
        }
        condition.unlock()
        waiters.forEach { $0() }

        condition.lock()
        defer { condition.unlock() }
        while !state.shuttingDown && !state.hasWork {
            condition.wait()
        }
        state.threadIdle = false
        return state
    }

    /// Calls `action` (from any thread) once the player is idle; now if it already is.
    func whenIdle(_ action: @escaping @Sendable () -> Void) {
        condition.lock()
        let idleNow = (state.threadIdle && !state.hasWork) || state.threadExited
        if !idleNow { idleWaiters.append(action) }
        condition.unlock()
        if idleNow { action() }
    }

    /// Releases every idle waiter (the thread has exited).
    func releaseIdleWaiters() {
        condition.lock()
        let waiters = idleWaiters
        idleWaiters.removeAll()
        condition.unlock()
        waiters.forEach { $0() }
    }

    func requestShutdown() {
        withState { $0.shuttingDown = true }
    }

    func waitUntilIdle(timeout: Duration) -> Bool {
        let deadline = Date(timeIntervalSinceNow: Self.seconds(timeout))
        condition.lock()
        defer { condition.unlock() }
        while !(state.threadIdle && !state.hasWork) && !state.threadExited {
            if !condition.wait(until: deadline) { return false }
        }
        return true
    }

    func waitForExit(timeout: Duration) {
        let deadline = Date(timeIntervalSinceNow: Self.seconds(timeout))
        condition.lock()
        defer { condition.unlock() }
        while !state.threadExited {
            if !condition.wait(until: deadline) { return }
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
