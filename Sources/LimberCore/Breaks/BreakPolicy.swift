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
    /// was last seen at least as long as a natural break resets the sitting clocks.
    public func start(_ state: BreakState, at now: PolicyNow) -> Update {
        var update = Update(state: state, events: [])
        if let seen = state.lastSeen {
            let gap = Self.ms(now.wall) - Self.ms(seen.wall)
            if gap >= naturalMs {
                gapBreak(&update, at: Self.ms(now.wall), gapMs: gap)
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
            gapBreak(&update, at: nowMs, gapMs: suspended)
        } else {
            simulate(&update, from: seenMs, to: nowMs)
        }
        update.state.lastSeen = Self.seen(now)
        return update
    }

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

    // MARK: User actions

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

    /// A guided session ran to its end. Any kind but heat counts as a movement break (and
    /// resets posture too); heat changes nothing.
    public func sessionCompleted(_ state: BreakState, kind: SessionKind, session: String, at now: PolicyNow) -> Update {
        var update = advance(state, to: now)
        guard kind != .heat else { return update }
        let pending = update.state.movement.pending
        update.events.append(BreakEvent(name: .sessionCounted, at: now.wall, kind: .movement, dueAt: pending?.dueAt,
                                        outcome: .taken, snoozeCount: pending?.snoozes ?? 0, session: session,
                                        sittingMs: update.state.movement.sittingMs))
        reset(&update.state, .movement, at: Self.ms(now.wall), includingPosture: true)
        return update
    }

    // MARK: Internals

    static func seen(_ now: PolicyNow) -> BreakState.Seen {
        BreakState.Seen(wall: now.wall, monotonicMs: ms(now.monotonic), boottimeMs: ms(now.boottime))
    }

    func pendingKind(_ state: BreakState) -> BreakKind? {
        BreakKind.allCases.first { state[$0].pending != nil }
    }

    func reset(_ state: inout BreakState, _ kind: BreakKind, at ms: Int64, includingPosture: Bool) {
        let kinds: [BreakKind] = includingPosture && kind == .movement ? [.movement, .posture] : [kind]
        for kind in kinds {
            state[kind].sittingMs = 0
            state[kind].pending = nil
            state[kind].lastResetAt = Self.date(ms)
        }
    }

    /// Breaks back on: time off counted as no sitting, so an off period at least as long as a
    /// natural break restarts the clocks, as a stretch outside working hours does.
    func restartIfIdle(_ state: inout BreakState, at ms: Int64) {
        for kind in BreakKind.allCases {
            if let last = state[kind].lastCountedAt.map(Self.ms), ms - last >= naturalMs {
                reset(&state, kind, at: ms, includingPosture: false)
            }
        }
    }

    /// A suspend or daemon-down gap: a new day if the date changed, else a natural break.
    func gapBreak(_ update: inout Update, at nowMs: Int64, gapMs: Int64) {
        if update.state.day == dayKey(nowMs) {
            for kind in BreakKind.allCases where config.breaks.settings(kind).enabled {
                let pending = update.state[kind].pending
                update.events.append(BreakEvent(name: .natural, at: Self.date(nowMs), kind: kind, dueAt: pending?.dueAt,
                                                outcome: .natural, snoozeCount: pending?.snoozes ?? 0,
                                                sittingMs: update.state[kind].sittingMs, gapMs: gapMs))
            }
            for kind in BreakKind.allCases {
                reset(&update.state, kind, at: nowMs, includingPosture: false)
                update.state[kind].lastCountedAt = nil
            }
        }
        // Nothing is fired late for the gap; only what is due now.
        settle(&update, at: nowMs, after: nowMs)
        for kind in BreakKind.allCases { update.state[kind].lastCountedAt = nil }
    }

    /// Walks from `from` to `to`, stopping at every instant something happens.
    func simulate(_ update: inout Update, from: Int64, to: Int64) {
        var cursor = from
        // Bounded: each step moves the cursor forward to a distinct event instant.
        for _ in 0..<100_000 {
            let next = candidates(update.state, after: cursor).map(\.at).filter { $0 <= to }.min()
            let target = next ?? to
            accumulate(&update.state, from: cursor, to: target)
            settle(&update, at: target, after: cursor)
            cursor = target
            if next == nil { return }
        }
    }

    /// Adds working time in [from, to) to both sitting clocks (nothing while breaks are off).
    func accumulate(_ state: inout BreakState, from: Int64, to: Int64) {
        guard to > from, state.breaksOff == nil else { return }
        for kind in BreakKind.allCases {
            _ = walk(&state[kind], from: from, to: to, target: nil)
        }
    }

    /// Counts working time of one kind over [from, to), restarting the clock after a stretch
    /// without counted time of at least a natural break. With a `target`, stops where the
    /// sitting time reaches it and returns that instant.
    func walk(_ kind: inout BreakState.KindState, from: Int64, to: Int64?, target: Int64?) -> Int64? {
        for piece in workingPieces(from: from, to: to) {
            if let last = kind.lastCountedAt.map(Self.ms), piece.start - last >= naturalMs {
                kind.sittingMs = 0
                kind.pending = nil
                kind.lastResetAt = Self.date(piece.start)
            }
            let length = piece.end - piece.start
            if let target, length >= target - kind.sittingMs {
                let at = piece.start + max(0, target - kind.sittingMs)
                kind.sittingMs = max(kind.sittingMs, target)
                kind.lastCountedAt = Self.date(at)
                return at
            }
            kind.sittingMs += length
            kind.lastCountedAt = Self.date(piece.end)
        }
        return nil
    }

    /// When a kind's sitting clock reaches `every`, counting from `after`.
    func thresholdInstant(_ kind: BreakState.KindState, kind name: BreakKind, after: Int64) -> Int64? {
        var copy = kind
        let every = config.breaks.settings(name).everyMs
        if copy.sittingMs >= every { return after }
        return walk(&copy, from: after, to: nil, target: every)
    }

    struct Candidate {
        var at: Int64
        /// Whether the daemon must wake for it; a new day is applied lazily at the next call.
        var wakes: Bool
    }

    /// Every instant after `after` at which something would happen to `state`.
    func candidates(_ state: BreakState, after: Int64) -> [Candidate] {
        var result = [Candidate(at: startOfNextDay(after), wakes: false)]
        if case .until(let date) = state.breaksOff { result.append(Candidate(at: Self.ms(date), wakes: true)) }
        for kind in BreakKind.allCases where config.breaks.settings(kind).enabled {
            if let pending = state[kind].pending {
                result.append(Candidate(at: Self.ms(pending.nextAt), wakes: true))
            } else if state.breaksOff == nil, let at = thresholdInstant(state[kind], kind: kind, after: after) {
                result.append(Candidate(at: at, wakes: true))
            }
        }
        if let fire = nextScheduled(state, after: after) { result.append(Candidate(at: fire.at, wakes: true)) }
        return result.filter { $0.at > after }
    }

    static func scheduleKey(_ entry: ScheduledSession) -> String { "\(entry.time) \(entry.session)" }

    /// The first scheduled session strictly after `after` not already fired.
    func nextScheduled(_ state: BreakState, after: Int64) -> (at: Int64, entry: ScheduledSession)? {
        guard !config.schedule.isEmpty else { return nil }
        var dayStart = startOfDay(after)
        for offset in 0...7 {
            var best: (at: Int64, entry: ScheduledSession)?
            let weekday = weekday(ofDayStarting: dayStart)
            for entry in config.schedule where entry.days.contains(weekday) {
                let at = instant(entry.time, onDayStarting: dayStart)
                if at <= after { continue }
                if offset == 0, dayKey(after) == state.day, state.firedToday.contains(Self.scheduleKey(entry)) { continue }
                if best.map({ at < $0.at }) ?? true { best = (at, entry) }
            }
            if let best { return best }
            dayStart = startOfNextDay(dayStart)
        }
        return nil
    }

    /// Applies everything due at `at`, in a fixed order: new day, end of breaks-off,
    /// scheduled sessions in (after, at], pending break timers, breaks coming due.
    func settle(_ update: inout Update, at: Int64, after: Int64) {
        let today = dayKey(at)
        if update.state.day != today {
            let started = update.state.day != nil
            update.state.day = today
            update.state.firedToday = []
            for kind in BreakKind.allCases {
                reset(&update.state, kind, at: at, includingPosture: false)
                update.state[kind].lastCountedAt = nil
            }
            if started { update.events.append(BreakEvent(name: .dayStarted, at: Self.date(startOfDay(at)))) }
        }
        if case .until(let date) = update.state.breaksOff, Self.ms(date) <= at {
            update.state.breaksOff = nil
            restartIfIdle(&update.state, at: Self.ms(date))
            update.events.append(BreakEvent(name: .breaksOn, at: date))
        }
        let weekday = weekday(ofDayStarting: startOfDay(at))
        for entry in config.schedule where entry.days.contains(weekday) {
            let fire = instant(entry.time, onDayStarting: startOfDay(at))
            let key = Self.scheduleKey(entry)
            if fire > after, fire <= at, !update.state.firedToday.contains(key) {
                update.state.firedToday.append(key)
                update.events.append(BreakEvent(name: .scheduledSession, at: Self.date(fire), session: entry.session))
            }
        }
        for kind in BreakKind.allCases {
            while var pending = update.state[kind].pending, Self.ms(pending.nextAt) <= at {
                let interval = config.breaks.reminderIntervalMs
                let sitting = update.state[kind].sittingMs
                switch pending.status {
                case .snoozed:
                    pending.status = .due
                    pending.remindersSent = 0
                    update.events.append(BreakEvent(name: .due, at: pending.nextAt, kind: kind, dueAt: pending.dueAt,
                                                    snoozeCount: pending.snoozes,
                                                    session: config.breaks.settings(kind).session, sittingMs: sitting))
                    pending.nextAt = Self.date(Self.ms(pending.nextAt) + interval)
                    update.state[kind].pending = pending
                case .due where pending.remindersSent < config.breaks.reminders:
                    pending.remindersSent += 1
                    update.events.append(BreakEvent(name: .reminder, at: pending.nextAt, kind: kind, dueAt: pending.dueAt,
                                                    snoozeCount: pending.snoozes, reminder: pending.remindersSent,
                                                    session: config.breaks.settings(kind).session, sittingMs: sitting))
                    pending.nextAt = Self.date(Self.ms(pending.nextAt) + interval)
                    update.state[kind].pending = pending
                case .due:
                    update.events.append(BreakEvent(name: .missed, at: pending.nextAt, kind: kind, dueAt: pending.dueAt,
                                                    outcome: .missed, snoozeCount: pending.snoozes, sittingMs: sitting))
                    reset(&update.state, kind, at: Self.ms(pending.nextAt), includingPosture: false)
                }
            }
        }
        guard update.state.breaksOff == nil else { return }
        for kind in BreakKind.allCases {
            let settings = config.breaks.settings(kind)
            guard settings.enabled, update.state[kind].pending == nil,
                  update.state[kind].sittingMs >= settings.everyMs else { continue }
            let due = Self.date(at)
            update.state[kind].pending = BreakState.PendingBreak(
                dueAt: due, status: .due, remindersSent: 0, snoozes: 0,
                nextAt: Self.date(at + config.breaks.reminderIntervalMs))
            update.events.append(BreakEvent(name: .due, at: due, kind: kind, dueAt: due, session: settings.session,
                                            sittingMs: update.state[kind].sittingMs))
        }
    }
}
