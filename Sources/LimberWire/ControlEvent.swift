import LimberVocabulary

/// One line of a `watch` stream: a state change or a cue.
///
/// `mono` is seconds on the daemon's monotonic clock (since the daemon started);
/// `due` is when the event was scheduled on the same clock, so `mono - due` is the
/// lateness. `wall` is the wall-clock time in ISO 8601 with milliseconds.
public struct ControlEvent: Sendable, Hashable, Codable {
    /// Names of events (docs/protocol.md describes each).
    public enum Kind: String, Sendable, Hashable, Codable {
        case sessionStarted = "session-started"
        case step
        case cue
        case paused
        case resumed
        case sessionFinished = "session-finished"
        case sessionStopped = "session-stopped"
        case breakDue = "break-due"
        case breakReminder = "break-reminder"
        case breakStarted = "break-started"
        case breakSnoozed = "break-snoozed"
        case breakSkipped = "break-skipped"
        case breakMissed = "break-missed"
        case breakNatural = "break-natural"
        case breakCounted = "break-counted"
        case breaksOff = "breaks-off"
        case breaksOn = "breaks-on"
        case scheduledSession = "scheduled-session"
        case programDue = "program-due"
        case reloaded
        case audio
        case presenceChanged = "presence-changed"
    }

    public var event: Kind
    public var mono: Double
    public var due: Double?
    /// For `cue` events: when the cue reaches the listener, on the same clock as `mono`
    /// (its instant as placed on the audio stream: `due` when on time, later when late).
    public var heard: Double?
    public var wall: String
    public var session: String?
    /// The session's name (session-started).
    public var name: String?
    /// Segment index, for step and cue events.
    public var step: Int?
    /// Number of segments (session-started).
    public var steps: Int?
    public var text: String?
    public var cue: Cue?
    /// Position in the session timeline, milliseconds.
    public var offsetMs: Int64?
    public var durationMs: Int64?
    /// Why a session stopped (`user`, `replaced`, `shutdown`), or other detail.
    public var reason: String?
    /// The session's kind (session events).
    public var sessionKind: SessionKind?
    /// `movement` or `posture` (break events).
    public var breakKind: String?
    /// Wall-clock time a break is (or was) due, ISO 8601 (break events).
    public var dueWall: String?
    /// Wall-clock end of a snooze or of breaks-off, ISO 8601.
    public var until: String?
    /// How many times this break has been snoozed; which reminder this is.
    public var snoozes: Int?
    public var reminder: Int?
    /// The program id (program-due).
    public var program: String?
    /// The program's sessions still to do today, in plan order (program-due).
    public var sessions: [String]?
    /// `present` or `away` (presence-changed).
    public var presence: String?
    /// What says so: `manual`, `locked`, `idle`, `suspend` (presence-changed, break-natural).
    public var source: String?
    /// Since when, ISO 8601 (presence-changed to away).
    public var since: String?

    public init(
        event: Kind, mono: Double, due: Double? = nil, heard: Double? = nil, wall: String, session: String? = nil,
        name: String? = nil, step: Int? = nil, steps: Int? = nil, text: String? = nil, cue: Cue? = nil, offsetMs: Int64? = nil,
        durationMs: Int64? = nil, reason: String? = nil, sessionKind: SessionKind? = nil, breakKind: String? = nil,
        dueWall: String? = nil, until: String? = nil, snoozes: Int? = nil, reminder: Int? = nil,
        program: String? = nil, sessions: [String]? = nil,
        presence: String? = nil, source: String? = nil, since: String? = nil
    ) {
        self.event = event
        self.mono = mono
        self.due = due
        self.heard = heard
        self.wall = wall
        self.session = session
        self.name = name
        self.step = step
        self.steps = steps
        self.text = text
        self.cue = cue
        self.offsetMs = offsetMs
        self.durationMs = durationMs
        self.reason = reason
        self.sessionKind = sessionKind
        self.breakKind = breakKind
        self.dueWall = dueWall
        self.until = until
        self.snoozes = snoozes
        self.reminder = reminder
        self.program = program
        self.sessions = sessions
        self.presence = presence
        self.source = source
        self.since = since
    }
}
