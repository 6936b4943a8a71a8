import LimberCore

/// What happened in one guided session, written when it ends.
public struct RunRecord: Sendable, Hashable, Codable {
    public enum Outcome: String, Sendable, Hashable, Codable {
        case completed
        case stopped
    }

    public var session: String
    public var name: String
    public var kind: SessionKind
    public var started: String
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
