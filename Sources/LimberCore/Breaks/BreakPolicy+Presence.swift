import Foundation

/// What says the user is away from the desk.
public enum PresenceSource: String, Sendable, Codable, Hashable, CaseIterable {
    /// `limber away` (swayidle, hypridle, xss-lock, or by hand).
    case manual
    /// The session's screen is locked (logind LockedHint, Lock/Unlock).
    case locked
    /// No input for a while (logind IdleHint).
    case idle
    /// The machine is suspended (logind PrepareForSleep, or CLOCK_BOOTTIME).
    case suspend
}

/// Away and back: the sitting clock stops while away, and a long enough absence is a break.
extension BreakPolicy {
    /// `source` says the user went away (`away: true`) or came back.
    ///
    /// The user is away while any source says so. Coming back after at least a natural break
    /// (`breaks.natural-break`) settles each kind as a natural break, pending or not; after a
    /// shorter absence the clocks go on where they stopped, and a pending break's reminders
    /// resume as far from now as they were from the moment the user left.
    public func presence(_ state: BreakState, source: PresenceSource, away: Bool, at now: PolicyNow) -> Update {
        var update = advance(state, to: now)
        if away {
            if var current = update.state.away {
                if !current.sources.contains(source) { current.sources.append(source) }
                update.state.away = current
            } else {
                update.state.away = BreakState.Away(since: now.wall, source: source, sources: [source])
                update.events.append(BreakEvent(name: .away, at: now.wall, source: source))
            }
            return update
        }
        guard var current = update.state.away, current.sources.contains(source) else { return update }
        current.sources.removeAll { $0 == source }
        guard current.sources.isEmpty else {
            update.state.away = current
            return update
        }
        back(&update, from: current, at: Self.ms(now.wall))
        return update
    }

    /// The end of an absence.
    func back(_ update: inout Update, from absence: BreakState.Away, at nowMs: Int64) {
        update.state.away = nil
        let sinceMs = Self.ms(absence.since)
        let gap = max(0, nowMs - sinceMs)
        update.events.append(BreakEvent(name: .back, at: Self.date(nowMs), gapMs: gap, source: absence.source))
        var settled: [BreakKind] = []
        for kind in BreakKind.allCases {
            // A suspend or a new day during the absence already reset this clock.
            let resetAt = update.state[kind].lastResetAt.map(Self.ms) ?? Int64.min
            let awayFrom = max(sinceMs, resetAt)
            if gap >= naturalMs, resetAt < sinceMs {
                settled.append(kind)
            } else {
                update.state[kind].awayMs = (update.state[kind].awayMs ?? 0) + max(0, nowMs - awayFrom)
                // Frozen timers resume: a reminder that was 40 s off when the user left is 40 s off now.
                if var pending = update.state[kind].pending, resetAt < sinceMs {
                    pending.nextAt = Self.date(Self.ms(pending.nextAt) + gap)
                    update.state[kind].pending = pending
                }
            }
        }
        for kind in settled {
            if config.breaks.settings(kind).enabled {
                let pending = update.state[kind].pending
                update.events.append(BreakEvent(name: .natural, at: Self.date(nowMs), kind: kind, dueAt: pending?.dueAt,
                                                outcome: .natural, snoozeCount: pending?.snoozes ?? 0,
                                                sittingMs: update.state[kind].sittingMs, gapMs: gap, source: absence.source))
            }
            reset(&update.state, kind, at: nowMs, includingPosture: false)
            update.state[kind].lastCountedAt = nil
        }
        settle(&update, at: nowMs, after: nowMs)
    }

    /// After a restart, only `limber away` is still known to hold: the other sources report
    /// again once the daemon listens, so their absence ends here.
    func dropStaleSources(_ update: inout Update, at nowMs: Int64) {
        guard var current = update.state.away else { return }
        current.sources.removeAll { $0 != .manual }
        if current.sources.isEmpty {
            back(&update, from: current, at: nowMs)
        } else {
            update.state.away = current
        }
    }

    /// A guided session ran to its end, `durationMs` long. What counts is `breaks.sessions-count`:
    /// by default an exercise or posture session counts as a break of each kind whose duration
    /// it covers, alone or together with time away since that kind's clock last restarted
    /// (movement also resets posture); mindfulness and heat never count.
    public func sessionCompleted(_ state: BreakState, kind: SessionKind, session: String, durationMs: Int64,
                                 at now: PolicyNow) -> Update {
        var update = advance(state, to: now)
        let counted: [BreakKind]
        switch config.breaks.sessionsCount {
        case .never:
            counted = []
        case .any:
            counted = kind == .heat ? [] : [.movement]
        case .longEnough:
            guard kind == .exercise || kind == .posture else { return update }
            counted = BreakKind.allCases.filter { breakKind in
                config.breaks.settings(breakKind).enabled
                    && durationMs + (update.state[breakKind].awayMs ?? 0) >= config.breaks.settings(breakKind).durationMs
            }
        }
        // Movement first: it resets posture as well, so posture is not counted twice.
        guard let breakKind = counted.first else { return update }
        let pending = update.state[breakKind].pending
        update.events.append(BreakEvent(name: .sessionCounted, at: now.wall, kind: breakKind, dueAt: pending?.dueAt,
                                        outcome: .taken, snoozeCount: pending?.snoozes ?? 0, session: session,
                                        sittingMs: update.state[breakKind].sittingMs))
        reset(&update.state, breakKind, at: Self.ms(now.wall), includingPosture: true)
        return update
    }
}
