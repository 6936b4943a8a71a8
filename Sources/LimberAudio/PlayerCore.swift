import Foundation
import LimberCore
import Logging

/// A session cue, rendered before it was queued, waiting to be placed on the stream.
struct ScheduledCue {
    var token: Int
    /// Nil for a spoken phrase.
    var cue: Cue?
    var instant: ContinuousClock.Instant
    var samples: [Int16]
    /// A phrase must be silent from here on (the next cue's onset, less a clearance).
    var silentFrom: ContinuousClock.Instant?

    var name: String { cue?.rawValue ?? "speech" }
}

/// A cue to play now, outside the session's timeline, rendered before it was queued.
struct LoneCue {
    /// Nil for other sound (`limber say`).
    var cue: Cue?
    var samples: [Int16]
}

/// State shared by the caller's side and the playback thread, guarded by one condition.
struct PlayerState {
    var settings: AudioSettings
    var status: AudioStatus = .idle
    var lone: [LoneCue] = []
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
    var nextToken = 1
    /// When each placed session cue is heard (by token), for the `cue` events.
    var heard: [Int: ContinuousClock.Instant] = [:]
    /// The session's stream consumes and its clock is locked: cues can be placed exactly.
    var sessionReady = false
    /// How long the last session's stream took from opening to a locked clock.
    var preroll: Duration?
    /// When the first unwritten frame is heard, while a locked stream plays: the earliest a
    /// newly scheduled cue can still be placed exactly.
    var writtenUntil: ContinuousClock.Instant?
    var counters = AudioCounters()
    /// Set by every request from outside the thread, cleared when the thread takes them in:
    /// a request made just before the thread sleeps still wakes it.
    var wake = false

    var hasWork: Bool {
        !lone.isEmpty || (sessionActive && openWanted)
    }
}

/// What the player has had to do late or not at all, since it started.
public struct AudioCounters: Sendable, Equatable {
    /// Cues heard later than their instant (each logged with its reason).
    public var late = 0
    /// Cues never heard: due while the device was unavailable.
    public var lost = 0
    /// Times the clock mapping was measured again mid-stream (underrun, server glitch).
    public var remeasured = 0
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

    /// Reads the state under the lock, waking nobody: a question (`status`, a token's heard
    /// instant) must not wake the playback thread, which would take the lock back from the
    /// reader for nothing (a `status` woke it four times).
    func read<T>(_ body: (PlayerState) -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body(state)
    }

    /// Sleeps until there is work or shutdown; returns the state to act on, under the lock.
    func waitForWork(retryAfter retry: Double? = nil) -> PlayerState {
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
        let deadline = retry.map { Date(timeIntervalSinceNow: $0) }
        while !state.shuttingDown && !state.hasWork {
            if let deadline {
                if !condition.wait(until: deadline) { break }
            } else {
                condition.wait()
            }
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

    /// Applies a request from outside the playback thread and makes sure it wakes the thread,
    /// even if the thread was about to sleep (see ``PlayerState/wake``).
    func request<T>(_ body: (inout PlayerState) -> T) -> T {
        withState { state in
            state.wake = true
            return body(&state)
        }
    }

    /// Sleeps on the condition for at most `seconds`; any change of state wakes it early.
    func pause(for seconds: Double) {
        condition.lock()
        defer { condition.unlock() }
        if !state.wake { _ = condition.wait(until: Date(timeIntervalSinceNow: seconds)) }
    }

    func requestShutdown() {
        request { $0.shuttingDown = true }
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
