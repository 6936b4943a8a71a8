import Foundation
import LimberCore

/// What happened in one guided session: written when it starts, at each step, and when it ends.
public struct RunRecord: Sendable, Hashable, Codable {
    public enum Outcome: String, Sendable, Hashable, Codable {
        case completed
        case stopped
        /// Still in progress: the record of its start or of a checkpoint.
        case running
    }

    /// Tells this run from the runner's others while the daemon lives (its generation).
    public var key: UInt64
    public var session: String
    public var name: String
    public var kind: SessionKind
    public var started: String
    /// When it ended, or for a running record when it was taken.
    public var ended: String
    public var plannedMs: Int64
    /// Time actually spent in the session, pauses excluded.
    public var actualMs: Int64
    public var stepsCompleted: Int
    public var steps: Int
    /// Segments the user skipped with `next`.
    public var stepsSkipped: Int
    public var outcome: Outcome
    /// `user`, `replaced`, `shutdown` for stopped runs.
    public var reason: String?
}

extension RunRecord {
    /// The record of run `key` of `timeline`, `elapsedMs` into its timeline.
    ///
    /// A completed run has every step but the skipped ones; otherwise a step counts once the
    /// position has passed its end.
    init(
        key: UInt64, timeline: Timeline, started: Date, elapsedMs: Int64, actualMs: Int64, skipped: Int,
        outcome: Outcome, reason: String?
    ) {
        let steps = timeline.segments.count
        let completed = outcome == .completed ? steps - skipped : timeline.segments.filter { $0.endMs <= elapsedMs }.count
        self.init(
            key: key, session: timeline.id, name: timeline.name, kind: timeline.kind, started: WallTime.iso8601(started),
            ended: WallTime.iso8601(), plannedMs: timeline.totalMs, actualMs: actualMs, stepsCompleted: max(0, completed),
            steps: steps, stepsSkipped: skipped, outcome: outcome, reason: reason)
    }
}
