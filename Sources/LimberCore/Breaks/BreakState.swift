import Foundation

/// "Now" on the three clocks the break policy needs.
public struct PolicyNow: Sendable, Equatable {
    /// The wall clock (local calendar decisions, event times).
    public var wall: Date
    /// CLOCK_MONOTONIC: time since boot, not counting suspend.
    public var monotonic: Duration
    /// CLOCK_BOOTTIME: time since boot, counting suspend.
    public var boottime: Duration

    public init(wall: Date, monotonic: Duration, boottime: Duration) {
        self.wall = wall
        self.monotonic = monotonic
        self.boottime = boottime
    }
}

/// The break scheduler's persisted state (`$XDG_STATE_HOME/limber/state.json`).
///
/// Only ``BreakPolicy`` changes it; the daemon stores it after every change and hands it
/// back after a restart.
public struct BreakState: Sendable, Codable, Equatable {
    /// The format version of this file.
    public var version: Int
    /// The local date (`2026-03-29`) the counters belong to.
    public var day: String?
    public var movement: KindState
    public var posture: KindState
    /// Whether breaks are switched off, and until when.
    public var breaksOff: BreaksOff?
    /// The clocks when the policy last ran, to detect suspend and daemon-down gaps.
    public var lastSeen: Seen?
    /// Scheduled sessions already fired today, as `HH:MM session-id`.
    public var firedToday: [String]
    /// The user is away (locked, idle, suspended, `limber away`), since when and why; nil
    /// when present. While away the sitting clocks and break timers stand still.
    public var away: Away?

    public init() {
        version = 1
        day = nil
        movement = KindState()
        posture = KindState()
        breaksOff = nil
        lastSeen = nil
        firedToday = []
        away = nil
    }

    /// The state of one kind of break.
    public subscript(kind: BreakKind) -> KindState {
        get { kind == .movement ? movement : posture }
        set { if kind == .movement { movement = newValue } else { posture = newValue } }
    }

    /// Sitting time and the pending break of one kind.
    public struct KindState: Sendable, Codable, Equatable {
        /// Sitting time inside working hours since the last reset, in milliseconds.
        public var sittingMs: Int64
        /// When the sitting clock was last reset (break taken, skipped, missed, natural, new day).
        public var lastResetAt: Date?
        /// The end of the last stretch of counted sitting time; a long enough stretch
        /// without counting (outside working hours, breaks off) resets the clock.
        public var lastCountedAt: Date?
        /// The break that is due or snoozed, if any.
        public var pending: PendingBreak?
        /// Time away since the last reset, in milliseconds (nil: none): a session shorter than
        /// the break still counts when it covers the break together with this.
        public var awayMs: Int64?

        public init(sittingMs: Int64 = 0, lastResetAt: Date? = nil, lastCountedAt: Date? = nil, pending: PendingBreak? = nil,
                    awayMs: Int64? = nil) {
            self.sittingMs = sittingMs
            self.lastResetAt = lastResetAt
            self.lastCountedAt = lastCountedAt
            self.pending = pending
            self.awayMs = awayMs
        }
    }

    /// A break that came due and has not been taken, skipped or missed yet.
    public struct PendingBreak: Sendable, Codable, Equatable {
        public enum Status: String, Sendable, Codable {
            /// Due: reminders are running.
            case due
            /// Snoozed: due again at `nextAt`.
            case snoozed
        }

        /// When the break first came due.
        public var dueAt: Date
        public var status: Status
        /// Reminders sent since it last came due (0 right after `due`).
        public var remindersSent: Int
        /// Times snoozed.
        public var snoozes: Int
        /// The next reminder, the missed instant, or the end of the snooze.
        public var nextAt: Date

        public init(dueAt: Date, status: Status, remindersSent: Int, snoozes: Int, nextAt: Date) {
            self.dueAt = dueAt
            self.status = status
            self.remindersSent = remindersSent
            self.snoozes = snoozes
            self.nextAt = nextAt
        }
    }

    /// An absence: when it began, what began it, and every source still reporting it.
    public struct Away: Sendable, Codable, Equatable {
        public var since: Date
        /// The source that began the absence (reported in status and on the natural break).
        public var source: PresenceSource
        /// The sources saying "away" now; the user is back when the last one says "back".
        public var sources: [PresenceSource]

        public init(since: Date, source: PresenceSource, sources: [PresenceSource]) {
            self.since = since
            self.source = source
            self.sources = sources
        }
    }

    /// Breaks switched off.
    public enum BreaksOff: Sendable, Codable, Equatable {
        case until(Date)
        case indefinitely
    }

    /// The clocks at the policy's last run.
    public struct Seen: Sendable, Codable, Equatable {
        public var wall: Date
        public var monotonicMs: Int64
        public var boottimeMs: Int64

        public init(wall: Date, monotonicMs: Int64, boottimeMs: Int64) {
            self.wall = wall
            self.monotonicMs = monotonicMs
            self.boottimeMs = boottimeMs
        }
    }
}
