import Foundation

/// The user's commands on breaks: each first brings the state to `now`, then acts.
extension BreakPolicy {
    /// What to start for a break taken now.
    public struct BreakStart: Sendable, Equatable {
        public var kind: BreakKind
        /// The session that guides it, if the break kind links one.
        public var session: String?
        /// How long the break lasts when there is no session.
        public var durationMs: Int64

        public init(kind: BreakKind, session: String?, durationMs: Int64) {
            self.kind = kind
            self.session = session
            self.durationMs = durationMs
        }
    }

    /// `limber break now`: the pending break (movement first), or `kind`, or a movement break.
    /// Counts as taken at once and resets the clock (movement also resets posture).
    public func takeBreak(_ state: BreakState, kind: BreakKind? = nil, at now: PolicyNow) -> (update: Update, start: BreakStart) {
        var update = advance(state, to: now)
        let nowMs = Self.ms(now.wall)
        let kind = kind ?? pendingKind(update.state) ?? .movement
        let settings = config.breaks.settings(kind)
        let pending = update.state[kind].pending
        update.events.append(BreakEvent(name: .started, at: now.wall, kind: kind, dueAt: pending?.dueAt, outcome: .taken,
                                        snoozeCount: pending?.snoozes ?? 0, session: settings.session,
                                        sittingMs: update.state[kind].sittingMs))
        reset(&update.state, kind, at: nowMs, includingPosture: kind == .movement)
        return (update, BreakStart(kind: kind, session: settings.session, durationMs: settings.durationMs))
    }

    /// `limber break snooze [DUR]`: postpones the pending break by `durationMs` (default
    /// `breaks.snooze`); refused when nothing is due or `max-snoozes` is reached.
    public func snooze(_ state: BreakState, durationMs: Int64? = nil, kind: BreakKind? = nil,
                       at now: PolicyNow) throws(BreakActionError) -> Update {
        var update = advance(state, to: now)
        let nowMs = Self.ms(now.wall)
        let length = durationMs ?? config.breaks.snoozeMs
        guard length > 0 else {
            throw BreakActionError(code: .badDuration, message: "a snooze must be longer than zero, e.g. 5m")
        }
        guard let kind = kind ?? pendingKind(update.state), var pending = update.state[kind].pending else {
            throw BreakActionError(code: .nothingDue, message: "no break is due, so there is nothing to snooze")
        }
        guard pending.snoozes < config.breaks.maxSnoozes else {
            throw BreakActionError(code: .snoozeLimit,
                                   message: "this break was already snoozed \(pending.snoozes) times (max-snoozes: \(config.breaks.maxSnoozes)): take it with `limber break now` or skip it with `limber break skip`")
        }
        pending.snoozes += 1
        pending.status = .snoozed
        pending.remindersSent = 0
        pending.nextAt = Self.date(nowMs + length)
        update.state[kind].pending = pending
        update.events.append(BreakEvent(name: .snoozed, at: now.wall, kind: kind, dueAt: pending.dueAt, outcome: .snoozed,
                                        snoozeCount: pending.snoozes, sittingMs: update.state[kind].sittingMs,
                                        until: pending.nextAt))
        return update
    }

    /// `limber break skip`: drops the pending break and restarts that kind's sitting clock.
    public func skip(_ state: BreakState, kind: BreakKind? = nil, at now: PolicyNow) throws(BreakActionError) -> Update {
        var update = advance(state, to: now)
        guard let kind = kind ?? pendingKind(update.state), let pending = update.state[kind].pending else {
            throw BreakActionError(code: .nothingDue, message: "no break is due, so there is nothing to skip")
        }
        update.events.append(BreakEvent(name: .skipped, at: now.wall, kind: kind, dueAt: pending.dueAt, outcome: .skipped,
                                        snoozeCount: pending.snoozes, sittingMs: update.state[kind].sittingMs))
        reset(&update.state, kind, at: Self.ms(now.wall), includingPosture: false)
        return update
    }

    /// How long breaks stay off.
    public enum BreaksOffRequest: Sendable, Equatable {
        /// `--for 1h`, in milliseconds.
        case forDuration(Int64)
        /// Until an instant.
        case until(Date)
        /// `--until 14:00`: the next time the local clock shows it.
        case untilLocalTime(LocalTime)
        case indefinitely
    }

    /// `limber breaks off`: no sitting time counts and no break comes due until breaks are on
    /// again; pending breaks are dropped. Scheduled sessions still fire.
    public func breaksOff(_ state: BreakState, _ request: BreaksOffRequest, at now: PolicyNow) throws(BreakActionError) -> Update {
        var update = advance(state, to: now)
        let nowMs = Self.ms(now.wall)
        let off: BreakState.BreaksOff
        switch request {
        case .indefinitely:
            off = .indefinitely
        case .forDuration(let length):
            guard length > 0 else { throw BreakActionError(code: .badDuration, message: "breaks off for how long? give a positive duration, e.g. 1h") }
            off = .until(Self.date(nowMs + length))
        case .until(let date):
            guard Self.ms(date) > nowMs else { throw BreakActionError(code: .timeInPast, message: "that time has already passed: give a later one") }
            off = .until(date)
        case .untilLocalTime(let time):
            var at = instant(time, onDayStarting: startOfDay(nowMs))
            if at <= nowMs { at = instant(time, onDayStarting: startOfNextDay(nowMs)) }
            off = .until(Self.date(at))
        }
        for kind in BreakKind.allCases { update.state[kind].pending = nil }
        update.state.breaksOff = off
        var until: Date?
        if case .until(let date) = off { until = date }
        update.events.append(BreakEvent(name: .breaksOff, at: now.wall, until: until))
        return update
    }

    /// `limber breaks on`: counting resumes now (no event when breaks were already on).
    public func breaksOn(_ state: BreakState, at now: PolicyNow) -> Update {
        var update = advance(state, to: now)
        guard update.state.breaksOff != nil else { return update }
        update.state.breaksOff = nil
        restartIfIdle(&update.state, at: Self.ms(now.wall))
        update.events.append(BreakEvent(name: .breaksOn, at: now.wall))
        return update
    }
}
