import Foundation
import LimberCore
import LimberProtocol
import Synchronization

/// The next break as of any instant, answerable from any thread: the scheduler publishes its
/// policy and state here on every change, and `status` reads it without waiting for the
/// scheduler (answered in the control pipeline, limberd's `status` must not hop to an actor).
struct BreakOutlook: Sendable {
    let policy: BreakPolicy
    let state: BreakState
    /// The last answer, kept until the policy's next deadline and for at most a second:
    /// asking the policy walks the day's working hours, a quarter of what a `status`
    /// request cost.
    private var cache: (asOf: Date, validUntil: Date, next: Upcoming?)?
    /// The last `next_break.due` written, and the instant it was written for.
    private var dueText: (at: Date, text: String)?

    typealias Upcoming = (kind: BreakKind, at: Date)

    init(policy: BreakPolicy, state: BreakState) {
        self.policy = policy
        self.state = state
    }

    /// The next break as of `now`. The stored state is as of the last deadline or command;
    /// asked on it, the policy would count sitting time from `now` and miss what was sat since,
    /// reporting the break that much later than it comes. A copy brought to `now` is asked
    /// instead, without acting on it: the scheduler's timer does that at its deadline.
    ///
    /// Between two deadlines, at the desk, the answer does not move (the clocks only
    /// accumulate; BreakPolicyNextBreakTests), so it is reused within the cache's bounds.
    /// Away it is "if you came back now", which moves with the clock: not reused. A wall
    /// clock set back is asked afresh.
    mutating func upcoming(at now: PolicyNow) -> Upcoming? {
        if let cache, now.wall >= cache.asOf, now.wall < cache.validUntil { return cache.next }
        let advanced = policy.advance(state, to: now).state
        let next = policy.nextBreak(advanced, after: now.wall)
        if advanced.away == nil {
            let deadline = policy.nextDeadline(advanced, after: now.wall) ?? .distantFuture
            cache = (now.wall, min(deadline, now.wall.addingTimeInterval(1)), next)
        }
        return next
    }

    /// `status`'s `next_break` as of `now`.
    mutating func nextBreak(at now: PolicyNow) -> NextBreak? {
        guard let next = upcoming(at: now) else { return nil }
        let due: String
        if let written = dueText, written.at == next.at {
            due = written.text
        } else {
            due = WallTime.iso8601(next.at)
            dueText = (next.at, due)
        }
        return NextBreak(
            kind: next.kind.rawValue, due: due,
            inMs: max(0, Int64((next.at.timeIntervalSince(now.wall) * 1000).rounded())))
    }

    /// `status`'s `presence`: at the desk, or away since when and why.
    var presence: PresenceReport {
        guard let away = state.away else { return PresenceReport(state: "present") }
        return PresenceReport(state: "away", since: WallTime.iso8601(away.since), source: away.source.rawValue)
    }
}
