import Foundation
import LimberCore
import LimberProtocol
import Logging

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

    private typealias Mark = TimelineMark

    private struct Active {
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
        /// After a resume, next or prev: the position moved to, due a few tens of ms later
        /// (``jumpLead``); until then the session reports this position, not the one before.
        var floor: Duration = .zero

        func activeTime(at now: C.Instant) -> Duration {
            activeBefore + max(.zero, runningSince.map { $0.duration(to: now) } ?? .zero)
        }
    }

    private let clock: C
    private let epoch: C.Instant
    private let output: any SessionAudio<C.Instant>
    private let events: EventHub
    private let logger: Logger
    private let onStart: @Sendable (RunRecord) -> Void
    private let onProgress: @Sendable (RunRecord) -> Void
    private let onRecord: @Sendable (RunRecord) -> Void
    private let preroll: Duration
    private var active: Active?
    private var timer: Task<Void, Never>?
    private var generation: UInt64 = 0
    /// Set while `start` waits for the audio stream to play.
    private var starting: UInt64?

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
        onStart: @escaping @Sendable (RunRecord) -> Void = { _ in },
        onProgress: @escaping @Sendable (RunRecord) -> Void = { _ in },
        onRecord: @escaping @Sendable (RunRecord) -> Void = { _ in }
    ) {
        self.onStart = onStart
        self.onProgress = onProgress
        self.preroll = preroll
        self.clock = clock
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
    public func start(_ timeline: Timeline, replace: Bool = false) async throws(ControlError) {
        if starting != nil {
            throw ControlError(.busy, "a session is starting; stop it with `limber stop`, or try again in a moment")
        }
        if let current = active {
            guard replace else {
                throw ControlError(
                    .busy,
                    "'\(current.timeline.id)' is already running; stop it with `limber stop` or start with --replace")
            }
            finish(outcome: .stopped, reason: .replaced)
        }
        let began = clock.now
        generation &+= 1
        let token = generation
        starting = token
        output.beginSession(cues: Set(timeline.cues.map(\.cue)))
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
            nextMark: 0, segment: 0, started: started, skipped: 0, generation: generation, runningSince: origin)
        publish(
            .sessionStarted, at: now, due: origin, name: timeline.name, steps: timeline.segments.count,
            durationMs: timeline.totalMs)
        scheduleAudio()
        fireDue()
    }

    /// Freezes the session where it is.
    public func pause() throws(ControlError) {
        guard var current = active else { throw Self.noSession }
        guard current.pausedAt == nil else {
            throw ControlError(.wrongState, "'\(current.timeline.id)' is already paused; resume it with `limber resume`")
        }
        let now = clock.now
        current.pausedAt = max(current.origin.duration(to: now), current.floor)
        current.activeBefore = current.activeTime(at: now)
        current.runningSince = nil
        active = current
        cancelTimer()
        output.cancelScheduled()
        publish(.paused, at: now, offsetMs: (current.pausedAt ?? .zero).wholeMilliseconds)
        onProgress(record(of: current, at: now, outcome: .running, reason: nil))
    }

    /// Continues a paused session with exactly the time it had left.
    public func resume() throws(ControlError) {
        guard var current = active else { throw Self.noSession }
        guard let position = current.pausedAt else {
            throw ControlError(.wrongState, "'\(current.timeline.id)' is not paused")
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
    public func next() throws(ControlError) {
        guard let current = active else { throw Self.noSession }
        let target = current.segment + 1
        active?.skipped += 1
        if target >= current.timeline.segments.count {
            jump(to: current.timeline.totalMs)
        } else {
            jump(to: current.timeline.segments[target].offsetMs)
        }
    }

    /// Restarts the current step, or goes back one step when within its first 2 seconds.
    public func previous() throws(ControlError) {
        guard let current = active else { throw Self.noSession }
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
    public func stop(reason: StopReason = .user) throws(ControlError) {
        if active == nil, starting != nil {
            starting = nil
            output.endSession()
            return
        }
        guard active != nil else { throw Self.noSession }
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

    /// Where the session stands now.
    public func progress() -> (RunnerState, SessionProgress?) {
        guard let current = active else { return (.idle, nil) }
        let position = self.position(of: current, at: clock.now)
        let timeline = current.timeline
        let segment = timeline.segments[min(current.segment, timeline.segments.count - 1)]
        let elapsed = min(timeline.totalMs, max(0, position.wholeMilliseconds))
        let progress = SessionProgress(
            id: timeline.id, name: timeline.name, kind: timeline.kind, step: segment.index,
            steps: timeline.segments.count, stepText: segment.text,
            stepRemainingMs: max(0, segment.endMs - elapsed), stepDurationMs: segment.durationMs,
            elapsedMs: elapsed, totalMs: timeline.totalMs)
        return (current.pausedAt == nil ? .running : .paused, progress)
    }

    /// Seconds since the runner started, on its clock: the `mono` of events.
    public func monotonicSeconds() -> Double {
        epoch.duration(to: clock.now).inSeconds
    }

    // MARK: Timing

    /// How far ahead of a resume, next or previous the new position is due: just past what
    /// the audio stream has already written, so the cue there is placed exactly (not late)
    /// and still heard within about 50 ms of the command.
    private var jumpLead: Duration {
        let ahead = output.writeAhead
        return ahead > .zero ? min(ahead + .milliseconds(5), .milliseconds(500)) : .zero
    }

    private func jump(to offsetMs: Int64) {
        guard var current = active else { return }
        let now = clock.now
        let position = Duration.milliseconds(offsetMs)
        if current.pausedAt != nil {
            current.pausedAt = position
        } else {
            // The end needs no lead: `next` on the last step ends the session at once.
            let lead = offsetMs < current.timeline.totalMs ? jumpLead : .zero
            current.origin = now.advanced(by: lead - position)
            current.floor = position
        }
        if let index = current.timeline.segments.lastIndex(where: { $0.offsetMs <= offsetMs }) {
            current.segment = index
        }
        current.nextMark = current.marks.firstIndex { $0.offset >= offsetMs } ?? current.marks.count
        active = current
        cancelTimer()
        output.cancelScheduled()
        if current.pausedAt == nil {
            scheduleAudio()
            fireDue()
        }
    }

    /// Emits every mark that is due, then sleeps until the next one.
    private func fireDue() {
        guard let current = active, current.pausedAt == nil else { return }
        let now = clock.now
        let position = current.origin.duration(to: now)
        var index = current.nextMark
        while index < current.marks.count, Duration.milliseconds(current.marks[index].offset) <= position {
            let (offset, mark) = current.marks[index]
            let due = current.origin.advanced(by: .milliseconds(offset))
            index += 1
            active?.nextMark = index
            emit(mark, offset: offset, now: now, due: due)
            if active?.generation != current.generation { return }
        }
        guard index < current.marks.count else { return }
        let deadline = current.origin.advanced(by: .milliseconds(current.marks[index].offset))
        let generation = current.generation
        let clock = self.clock
        cancelTimer()
        timer = Task { [weak self] in
            do {
                try await clock.sleep(until: deadline, tolerance: nil)
            } catch {
                return
            }
            await self?.timerFired(generation: generation)
        }
    }

    private func timerFired(generation: UInt64) {
        guard active?.generation == generation else { return }
        timer = nil
        fireDue()
    }

    private func emit(_ mark: Mark, offset: Int64, now: C.Instant, due: C.Instant) {
        guard let current = active else { return }
        let timeline = current.timeline
        switch mark {
        case .segment(let index):
            active?.segment = index
            let segment = timeline.segments[index]
            publish(
                .step, at: now, due: due, step: index, text: segment.text, offsetMs: offset,
                durationMs: segment.durationMs)
            // The start's record covers step 0.
            if index > 0 { onProgress(record(of: current, at: now, outcome: .running, reason: nil)) }
        case .cue(let index):
            let event = timeline.cues[index]
            let heard = current.tokens[index].flatMap { output.heardInstant(of: $0) }
            publish(
                .cue, at: now, due: due, heard: heard, step: event.segmentIndex, text: event.text, cue: event.cue,
                offsetMs: offset)
        case .end:
            finish(outcome: .completed, reason: nil)
        }
    }

    private func scheduleAudio() {
        guard let current = active else { return }
        output.cancelScheduled()
        var tokens: [Int: Int] = [:]
        for (offset, mark) in current.marks[current.nextMark...] {
            guard case .cue(let index) = mark else { continue }
            let due = current.origin.advanced(by: .milliseconds(offset))
            tokens[index] = output.schedule(current.timeline.cues[index].cue, at: due)
        }
        active?.tokens = tokens
    }

    private func finish(outcome: RunRecord.Outcome, reason: StopReason?) {
        guard let current = active else { return }
        let now = clock.now
        cancelTimer()
        if outcome == .stopped { output.cancelScheduled() }
        output.endSession()
        let timeline = current.timeline
        let record = record(of: current, at: now, outcome: outcome, reason: reason)
        let elapsed = min(timeline.totalMs, max(0, position(of: current, at: now).wholeMilliseconds))
        active = nil
        generation &+= 1
        // Recorded before it is announced: whoever hears the end finds it in the history.
        onRecord(record)
        publish(
            outcome == .completed ? .sessionFinished : .sessionStopped, at: now,
            session: timeline.id, offsetMs: elapsed, reason: reason?.rawValue, sessionKind: timeline.kind)
        logger.info(
            "session \(outcome.rawValue)",
            metadata: ["session": "\(timeline.id)", "elapsed_ms": "\(elapsed)", "reason": "\(reason?.rawValue ?? "-")"])
    }

    /// The run's record as of `now`.
    private func record(of run: Active, at now: C.Instant, outcome: RunRecord.Outcome, reason: StopReason?) -> RunRecord {
        let elapsed = min(run.timeline.totalMs, max(0, position(of: run, at: now).wholeMilliseconds))
        return RunRecord(
            key: run.generation, timeline: run.timeline, started: run.started, elapsedMs: elapsed,
            actualMs: run.activeTime(at: now).wholeMilliseconds, skipped: run.skipped, outcome: outcome,
            reason: reason?.rawValue)
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
    }

    private func position(of run: Active, at now: C.Instant) -> Duration {
        run.pausedAt ?? max(run.origin.duration(to: now), run.floor)
    }

    private func publish(
        _ kind: ControlEvent.Kind, at now: C.Instant, due: C.Instant? = nil, heard: C.Instant? = nil, session: String? = nil,
        name: String? = nil, step: Int? = nil, steps: Int? = nil, text: String? = nil, cue: Cue? = nil, offsetMs: Int64? = nil,
        durationMs: Int64? = nil, reason: String? = nil, sessionKind: SessionKind? = nil
    ) {
        events.publish(
            ControlEvent(
                event: kind, mono: epoch.duration(to: now).inSeconds,
                due: due.map { epoch.duration(to: $0).inSeconds }, heard: heard.map { epoch.duration(to: $0).inSeconds },
                wall: WallTime.iso8601(),
                session: session ?? active?.timeline.id, name: name, step: step, steps: steps, text: text, cue: cue,
                offsetMs: offsetMs, durationMs: durationMs, reason: reason, sessionKind: sessionKind ?? active?.timeline.kind))
    }

    // MARK: Pure helpers

    private static var noSession: ControlError {
        ControlError(.noSession, "no session is running; start one with `limber start ID`")
    }
}
