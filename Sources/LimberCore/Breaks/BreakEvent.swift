import Foundation

/// Something the break policy decided, with what the daemon needs for cues, hooks and history.
public struct BreakEvent: Sendable, Codable, Equatable {
    public enum Name: String, Sendable, Codable {
        /// A break came due (also again when a snooze ends). Play `break`, run `break-due`.
        case due
        /// A due break is still unanswered: remind again (`break` cue).
        case reminder
        /// Unanswered after every reminder: counted as missed, sitting clock restarts.
        case missed
        /// The user snoozed the break until `until`.
        case snoozed
        /// The user skipped the break.
        case skipped
        /// The user started the break (`limber break now`); start `session` if any.
        case started
        /// A completed guided session counted as a movement break.
        case sessionCounted
        /// Suspend or a stopped daemon lasted at least a break: sitting clocks restart.
        case natural
        /// Breaks switched off (until `until`, or indefinitely when nil).
        case breaksOff
        /// Breaks back on (by the user, or the off period ended).
        case breaksOn
        /// A new local day began: counters restart.
        case dayStarted
        /// A scheduled session's time has come: start `session` (or, when `program` is set,
        /// offer the program's sessions still to do today).
        case scheduledSession
        /// The user went away (`source` says how); sitting clocks and break timers stop.
        case away
        /// The user is back after `gapMs` away (`source`: what began the absence).
        case back
    }

    /// How a break ended, for history.
    public enum Outcome: String, Sendable, Codable {
        case taken, natural, snoozed, skipped, missed
    }

    public var name: Name
    /// When it happened (may be before the policy call's `now` when the call was late).
    public var at: Date
    public var kind: BreakKind?
    /// When the break concerned first came due, if it had.
    public var dueAt: Date?
    public var outcome: Outcome?
    /// Times the break had been snoozed.
    public var snoozeCount: Int
    /// For `reminder`, which one (1…`reminders`).
    public var reminder: Int
    /// The session to run or that ran.
    public var session: String?
    /// Sitting time counted when the event happened, in milliseconds.
    public var sittingMs: Int64
    /// For `natural`, how long the gap was, in milliseconds.
    public var gapMs: Int64?
    /// For `snoozed` and `breaksOff`, until when.
    public var until: Date?
    /// For `scheduledSession`, the program whose day's sessions are offered.
    public var program: String?
    /// For `away`, `back` and `natural`: what the absence was (nil for a stopped daemon).
    public var source: PresenceSource?

    public init(name: Name, at: Date, kind: BreakKind? = nil, dueAt: Date? = nil, outcome: Outcome? = nil,
                snoozeCount: Int = 0, reminder: Int = 0, session: String? = nil, sittingMs: Int64 = 0,
                gapMs: Int64? = nil, until: Date? = nil, source: PresenceSource? = nil, program: String? = nil) {
        self.name = name
        self.at = at
        self.kind = kind
        self.dueAt = dueAt
        self.outcome = outcome
        self.snoozeCount = snoozeCount
        self.reminder = reminder
        self.session = session
        self.sittingMs = sittingMs
        self.gapMs = gapMs
        self.until = until
        self.program = program
        self.source = source
    }

    /// The hook this event runs, if any.
    public var hookEvent: HookEvent? {
        switch name {
        case .due: .breakDue
        case .started: .breakStarted
        case .missed: .breakMissed
        case .snoozed: .breakSnoozed
        case .skipped: .breakSkipped
        default: nil
        }
    }

    /// The cue to play, if any: `break` when a break comes due and at each reminder.
    public var cue: Cue? { name == .due || name == .reminder ? .break : nil }
}

/// Why a user action on breaks was refused.
public struct BreakActionError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        case nothingDue, snoozeLimit, badDuration, timeInPast
    }
    public var code: Code
    public var message: String
    public var description: String { message }

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }
}
