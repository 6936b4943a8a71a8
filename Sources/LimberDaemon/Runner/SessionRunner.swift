import Foundation
import LimberCore
import LimberProtocol
import Logging
import Synchronization

/// Plays one compiled timeline at a time against absolute deadlines on a monotonic clock.
///
/// Position 0 of the timeline is due at `origin`; every mark (segment start, cue, end) is
/// due at `origin + offset`, so sleeping late once never delays the marks after it.
/// Pause freezes the position exactly; resume moves the origin by the time spent paused.
public actor SessionRunner<C: Clock> where C.Duration == Duration {
    /// Why a session ended early.
    public enum StopReason: String, Sendable {
        case user
        case replaced
        case shutdown
    }

    typealias Mark = TimelineMark

    struct Active {
        var timeline: Timeline
        var marks: [(offset: Int64, mark: Mark)]
        /// Instant at which position 0 is due; meaningful while running.
        var origin: C.Instant
        /// Exact position at which the session was paused; nil while running.
        var pausedAt: Duration?
        var nextMark: Int
        var segment: Int
        var started: Date
        var skipped: Int
        var generation: UInt64
        /// Time spent running before the current stretch (pauses excluded).
        var activeBefore: Duration = .zero
        /// Start of the current running stretch; nil while paused.
        var runningSince: C.Instant?
        /// The audio player's token for each scheduled cue, by cue index.
        var tokens: [Int: Int] = [:]
        /// The session's spoken phrases, rendered before it started.
        var spoken: [SpokenLine] = []
        /// After a resume, next or prev: the position moved to, due a few tens of ms later
        /// (``jumpLead``); until then the session reports this position, not the one before.
        var floor: Duration = .zero

        func activeTime(at now: C.Instant) -> Duration {
            activeBefore + max(.zero, runningSince.map { $0.duration(to: now) } ?? .zero)
        }
    }

    let clock: C
    let epoch: C.Instant
    let output: any SessionAudio<C.Instant>
    let events: EventHub
    let logger: Logger
    let onStart: @Sendable (RunRecord) -> Void
    let onProgress: @Sendable (RunRecord) -> Void
    let onRecord: @Sendable (RunRecord) -> Void
    let preroll: Duration
    var active: Active? {
        didSet { publishProgress() }
    }
    /// What ``progressNow()`` needs of ``active``, published on every change of it.
    let published = Mutex<ProgressBasis<C>?>(nil)
    var timer: Task<Void, Never>?
    /// Where the timer task runs: limberd's loop, whose scheduled tasks its `LoopClock` sleeps on.
    let loop: DaemonLoop
    var generation: UInt64 = 0
    /// Set while `start` waits for the audio stream to play.
    var starting: UInt64?

    /// How long after the audio stream is seen playing a session's position 0 is due: more
    /// than the ~50 ms the player writes ahead, so even the first cue is placed exactly.
    public static var audioPreroll: Duration { .milliseconds(80) }
    /// How long `start` waits for the audio stream to play before starting silently.
    public static var audioStartLimit: Duration { .seconds(2) }

    /// - Parameters:
    ///   - preroll: delay between `start` and the session's first instant.
    ///   - onStart: called once a session has started, before its first instant is fixed
    ///     (limberd writes the run's row here, before the `start` reply).
    ///   - onProgress: called at each step boundary and pause with a `running` record, on the
    ///     session's timing path: it must return at once.
    ///   - onRecord: called once for every session that ends, completed or stopped.
    public init(
        clock: C, output: any SessionAudio<C.Instant>, events: EventHub, logger: Logger, preroll: Duration = .zero,
        loop: DaemonLoop = .global,
        onStart: @escaping @Sendable (RunRecord) -> Void = { _ in },
        onProgress: @escaping @Sendable (RunRecord) -> Void = { _ in },
        onRecord: @escaping @Sendable (RunRecord) -> Void = { _ in }
    ) {
        self.onStart = onStart
        self.onProgress = onProgress
        self.preroll = preroll
        self.clock = clock
        self.loop = loop
        self.epoch = clock.now
        self.output = output
        self.events = events
        self.logger = logger
        self.onRecord = onRecord
    }

    // MARK: Commands

    /// Starts `timeline`; a running session is an error unless `replace` is set.
    ///
    /// Opens the audio stream first and fixes the session's origin only once the stream is
    /// seen playing (at most ``audioStartLimit`` later), so the first cue is as exact as the
    /// rest: the pre-roll grows to what the sound server needs.
    public func start(_ timeline: Timeline, replace: Bool = false) async throws(RunnerRefusal) {
        if starting != nil {
            throw .starting
        }
        if let current = active {
            guard replace else {
                throw .running(id: current.timeline.id)
            }
            finish(outcome: .stopped, reason: .replaced)
        }
        let began = clock.now
        generation &+= 1
        let token = generation
        starting = token
        output.beginSession(cues: Set(timeline.cues.map(\.cue)))
        // While the stream opens: every phrase is rendered before the session starts.
        let spoken = await output.prepareSpeech(for: timeline)
        let playing = await output.sessionReady(timeout: Self.audioStartLimit)
        // Stopped (or shut down) while the stream was opening.
        guard starting == token else { return }
        starting = nil
        let started = Date()
        onStart(
            RunRecord(
                key: token, timeline: timeline, started: started, elapsedMs: 0, actualMs: 0, skipped: 0,
                outcome: .running, reason: nil))
        let now = clock.now
        let origin = now.advanced(by: preroll)
        logger.debug("session audio ready", metadata: [
            "playing": "\(playing)", "preroll_ms": "\(began.duration(to: origin).wholeMilliseconds)",
        ])
        active = Active(
            timeline: timeline, marks: TimelineMark.marks(of: timeline), origin: origin, pausedAt: nil,
            nextMark: 0, segment: 0, started: started, skipped: 0, generation: generation, runningSince: origin,
            spoken: spoken)
        publish(
            .sessionStarted, at: now, due: origin, name: timeline.name, steps: timeline.segments.count,
            durationMs: timeline.totalMs)
        scheduleAudio()
        fireDue()
    }

    /// Freezes the session where it is.
    public func pause() throws(RunnerRefusal) {
        guard var current = active else { throw .noSession }
        guard current.pausedAt == nil else {
            throw .alreadyPaused(id: current.timeline.id)
        }
        let now = clock.now
        current.pausedAt = position(of: current, at: now)
        current.activeBefore = current.activeTime(at: now)
        current.runningSince = nil
        active = current
        cancelTimer()
        output.cancelScheduled()
        publish(.paused, at: now, offsetMs: (current.pausedAt ?? .zero).wholeMilliseconds)
        onProgress(record(of: current, at: now, outcome: .running, reason: nil))
    }

    /// Continues a paused session with exactly the time it had left.
    public func resume() throws(RunnerRefusal) {
        guard var current = active else { throw .noSession }
        guard let position = current.pausedAt else {
            throw .notPaused(id: current.timeline.id)
        }
        let now = clock.now
        let lead = jumpLead
        current.origin = now.advanced(by: lead - position)
        current.floor = position
        current.pausedAt = nil
        current.runningSince = now
        active = current
        publish(.resumed, at: now, due: now.advanced(by: lead), offsetMs: position.wholeMilliseconds)
        scheduleAudio()
        fireDue()
    }

    /// Skips to the start of the next step; on the last step, ends the session.
    public func next() throws(RunnerRefusal) {
        guard let current = active else { throw .noSession }
        let target = current.segment + 1
        active?.skipped += 1
        if target >= current.timeline.segments.count {
            jump(to: current.timeline.totalMs)
        } else {
            jump(to: current.timeline.segments[target].offsetMs)
        }
    }

    /// Restarts the current step, or goes back one step when within its first 2 seconds.
    public func previous() throws(RunnerRefusal) {
        guard let current = active else { throw .noSession }
        let segment = current.timeline.segments[current.segment]
        let position = position(of: current, at: clock.now)
        let target: Int
        if position - .milliseconds(segment.offsetMs) < .seconds(2), current.segment > 0 {
            target = current.segment - 1
        } else {
            target = current.segment
        }
        jump(to: current.timeline.segments[target].offsetMs)
    }

    /// Stops the session and records it as stopped.
    public func stop(reason: StopReason = .user) throws(RunnerRefusal) {
        if active == nil, starting != nil {
            starting = nil
            output.endSession()
            return
        }
        guard active != nil else { throw .noSession }
        finish(outcome: .stopped, reason: reason)
    }

    /// Stops whatever runs (daemon shutdown); no error when idle.
    public func shutdown() {
        if active == nil, starting != nil {
            starting = nil
            output.endSession()
        }
        if active != nil { finish(outcome: .stopped, reason: .shutdown) }
    }

    /// Where the session stands now, from any thread: as of the runner's last change,
    /// brought to now.
    public nonisolated func progressNow() -> (RunnerState, SessionProgress?) {
        guard let basis = published.withLock({ $0 }) else { return (.idle, nil) }
        return basis.progress(at: clock.now)
    }

    private func publishProgress() {
        let basis = active.map {
            ProgressBasis<C>(timeline: $0.timeline, origin: $0.origin, pausedAt: $0.pausedAt, floor: $0.floor, segment: $0.segment)
        }
        published.withLock { $0 = basis }
    }

    /// Seconds since the runner started, on its clock: the `mono` of events.
    public nonisolated func monotonicSeconds() -> Double {
        epoch.duration(to: clock.now).inSeconds
    }

}
