import LimberCore
import LimberProtocol

/// What a session's progress is computed from: the runner publishes it on every change, so
/// that `status` can be answered from any thread, brought to the instant it is asked.
struct ProgressBasis<C: Clock>: Sendable where C.Duration == Duration {
    let timeline: Timeline
    /// Instant at which position 0 is due; meaningful while running.
    let origin: C.Instant
    /// Exact position at which the session was paused; nil while running.
    let pausedAt: Duration?
    /// After a resume, next or prev: the position moved to, reported until it is due.
    let floor: Duration
    let segment: Int

    /// The session's position at `now`: frozen while paused, never before `floor`.
    static func position(pausedAt: Duration?, origin: C.Instant, floor: Duration, at now: C.Instant) -> Duration {
        pausedAt ?? max(origin.duration(to: now), floor)
    }

    func progress(at now: C.Instant) -> (RunnerState, SessionProgress) {
        let position = Self.position(pausedAt: pausedAt, origin: origin, floor: floor, at: now)
        let segment = timeline.segments[min(self.segment, timeline.segments.count - 1)]
        let elapsed = min(timeline.totalMs, max(0, position.wholeMilliseconds))
        let progress = SessionProgress(
            id: timeline.id, name: timeline.name, kind: timeline.kind, step: segment.index,
            steps: timeline.segments.count, stepText: segment.text,
            stepRemainingMs: max(0, segment.endMs - elapsed), stepDurationMs: segment.durationMs,
            elapsedMs: elapsed, totalMs: timeline.totalMs)
        return (pausedAt == nil ? .running : .paused, progress)
    }
}
