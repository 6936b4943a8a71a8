import Foundation

/// The break schedule as pure functions of (config, state, now): what happens, and when next.
///
/// The daemon owns the clocks and the state file; it calls ``start(_:at:)`` once, then
/// ``advance(_:to:)`` at each ``nextDeadline(_:after:)``, and the user actions as they come.
/// Every function returns the new state and the events to act on, in time order.
public struct BreakPolicy: Sendable {
    public var config: LimberConfig
    /// The user's calendar and time zone: working hours and schedules are local times.
    public var calendar: Calendar

    public init(config: LimberConfig, calendar: Calendar) {
        self.config = config
        self.calendar = calendar
    }

    /// A new state and what happened on the way to it.
    public struct Update: Sendable, Equatable {
        public var state: BreakState
        public var events: [BreakEvent]

        public init(state: BreakState, events: [BreakEvent]) {
            self.state = state
            self.events = events
        }
    }

    var naturalMs: Int64 { config.breaks.effectiveNaturalBreakMs }

    // MARK: Time passing

    /// Brings the state to `now` after the daemon (re)starts: a wall-clock gap since the state
    /// was last seen at least as long as a natural break resets the sitting clocks. An absence
    /// other than `limber away` ends: its source reports again once the daemon listens.
    public func start(_ state: BreakState, at now: PolicyNow) -> Update {
        var update = startClocks(state, at: now)
        dropStaleSources(&update, at: Self.ms(now.wall))
        return update
    }

    private func startClocks(_ state: BreakState, at now: PolicyNow) -> Update {
        var update = Update(state: state, events: [])
        if let seen = state.lastSeen {
            let gap = Self.ms(now.wall) - Self.ms(seen.wall)
            if gap >= naturalMs {
                gapBreak(&update, at: Self.ms(now.wall), gapMs: gap, source: nil)
                update.state.lastSeen = Self.seen(now)
                return update
            }
        }
        return advance(update.state, to: now)
    }

    /// Brings the state to `now` while the daemon runs: counts sitting time inside working
    /// hours and emits due, reminder, missed and scheduled-session events on the way.
    ///
    /// Suspend (CLOCK_BOOTTIME − CLOCK_MONOTONIC grew) of at least a natural break resets
    /// the sitting clocks instead of counting.
    public func advance(_ state: BreakState, to now: PolicyNow) -> Update {
        var update = Update(state: state, events: [])
        let nowMs = Self.ms(now.wall)
        guard let seen = state.lastSeen else {
            // First run: the clocks start now.
            update.state.day = dayKey(nowMs)
            for kind in BreakKind.allCases { update.state[kind].lastResetAt = now.wall }
            update.state.lastSeen = Self.seen(now)
            return update
        }
        let seenMs = Self.ms(seen.wall)
        let monotonic = Self.ms(now.monotonic), boottime = Self.ms(now.boottime)
        let sameBoot = monotonic >= seen.monotonicMs
        let suspended = sameBoot ? (boottime - monotonic) - (seen.boottimeMs - seen.monotonicMs) : nowMs - seenMs
        if nowMs < seenMs {
            // The wall clock was set back: count nothing, carry on from here.
            settle(&update, at: nowMs, after: nowMs)
        } else if suspended >= naturalMs {
            gapBreak(&update, at: nowMs, gapMs: suspended, source: .suspend)
        } else {
            // Only real elapsed time counts: a wall clock set forward skips the jumped-over
            // stretch (nothing counted or fired in it) instead of counting it as sitting.
            let elapsed = sameBoot ? boottime - seen.boottimeMs : nowMs - seenMs
            // Wall and monotonic clocks are read one after the other, so a preempted read
            // looks like a jump of a few milliseconds; only a real clock change counts.
            let measured = nowMs - elapsed - seenMs
            let jump = measured > Self.clockJumpToleranceMs ? measured : 0
            if jump > 0 {
                // Carry the clocks over the jump, so it is neither a break nor sitting.
                for kind in BreakKind.allCases {
                    update.state[kind].lastCountedAt = update.state[kind].lastCountedAt.map { $0 + TimeInterval(jump) / 1000 }
                    update.state[kind].pending?.nextAt += TimeInterval(jump) / 1000
                }
            }
            simulate(&update, from: seenMs + max(0, jump), to: nowMs)
        }
        update.state.lastSeen = Self.seen(now)
        return update
    }

    /// Differences between the wall and monotonic clocks below this are read noise, not a
    /// clock that was set forward.
    static let clockJumpToleranceMs: Int64 = 1000

    /// The next instant something happens (a break comes due, a reminder, the end of a
    /// snooze or of breaks-off, a scheduled session), for the daemon to sleep until exactly.
    ///
    /// nil when nothing will ever happen without a user action. Call it on the state that
    /// ``advance(_:to:)`` (or an action) returned for the same `now`.
    public func nextDeadline(_ state: BreakState, after now: Date) -> Date? {
        candidates(state, after: Self.ms(now)).filter(\.wakes).map(\.at).min().map(Self.date)
    }

    /// When the next break of any kind comes due, for `status` and `{next_break}`; nil when
    /// breaks are off or disabled. A break already due is reported at its due time.
    public func nextBreak(_ state: BreakState, after now: Date) -> (kind: BreakKind, at: Date)? {
        var best: (kind: BreakKind, at: Date)?
        for kind in BreakKind.allCases where config.breaks.settings(kind).enabled && state.breaksOff == nil {
            let at: Date?
            if let pending = state[kind].pending {
                at = pending.status == .snoozed ? pending.nextAt : pending.dueAt
            } else {
                at = thresholdInstant(state[kind], kind: kind, after: Self.ms(now)).map(Self.date)
            }
            if let at, best.map({ at < $0.at }) ?? true { best = (kind, at) }
        }
        return best
    }
}
