import Foundation

/// How time passing is played out: event instants, sitting clocks, and what happens at each.
extension BreakPolicy {
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
            state[kind].awayMs = nil
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
    func gapBreak(_ update: inout Update, at nowMs: Int64, gapMs: Int64, source: PresenceSource?) {
        if update.state.day == dayKey(nowMs) {
            for kind in BreakKind.allCases where config.breaks.settings(kind).enabled {
                let pending = update.state[kind].pending
                update.events.append(BreakEvent(name: .natural, at: Self.date(nowMs), kind: kind, dueAt: pending?.dueAt,
                                                outcome: .natural, snoozeCount: pending?.snoozes ?? 0,
                                                sittingMs: update.state[kind].sittingMs, gapMs: gapMs, source: source))
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

    /// Adds working time in [from, to) to both sitting clocks (nothing while breaks are off
    /// or the user is away).
    func accumulate(_ state: inout BreakState, from: Int64, to: Int64) {
        guard to > from, state.breaksOff == nil, state.away == nil else { return }
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
        // Away, break timers stand still: nothing due, no reminder, no missed.
        for kind in BreakKind.allCases where config.breaks.settings(kind).enabled && state.away == nil {
            if let pending = state[kind].pending {
                result.append(Candidate(at: Self.ms(pending.nextAt), wakes: true))
            } else if state.breaksOff == nil, let at = thresholdInstant(state[kind], kind: kind, after: after) {
                result.append(Candidate(at: at, wakes: true))
            }
        }
        if let fire = nextScheduled(state, after: after) { result.append(Candidate(at: fire.at, wakes: true)) }
        return result.filter { $0.at > after }
    }

    static func scheduleKey(_ entry: ScheduledSession) -> String {
        entry.program.map { "\(entry.time) program \($0)" } ?? "\(entry.time) \(entry.session)"
    }

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
                update.events.append(
                    BreakEvent(name: .scheduledSession, at: Self.date(fire), session: entry.session, program: entry.program))
            }
        }
        guard update.state.away == nil else { return }
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
