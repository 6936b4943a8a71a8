/// The user's configuration, `$XDG_CONFIG_HOME/limber/config.yaml`, with every default filled in.
///
/// Every key of the file is optional; `LimberConfig()` is the configuration of an empty
/// file. Durations are integer milliseconds, like everywhere else in LimberCore.
public struct LimberConfig: Sendable, Codable, Equatable {
    public var breaks: Breaks
    /// When sitting time counts; empty means always (no `working-hours` key).
    public var workingHours: [WorkingHoursRule]
    /// Sessions started at fixed local times (`mon,wed,fri 07:30 morning-mobility`).
    public var schedule: [ScheduledSession]
    public var audio: Audio
    /// Spoken guidance (docs/speech.md).
    public var voice: Voice
    /// Event → argv, run without a shell.
    public var hooks: [HookEvent: [String]]
    /// Desktop notifications (org.freedesktop.Notifications on the session bus).
    public var notifications: Notifications
    /// How the daemon tells you are away from the desk.
    public var presence: Presence

    public init(breaks: Breaks = Breaks(), workingHours: [WorkingHoursRule] = [], schedule: [ScheduledSession] = [],
                audio: Audio = Audio(), voice: Voice = Voice(), hooks: [HookEvent: [String]] = [:],
                notifications: Notifications = Notifications(), presence: Presence = Presence()) {
        self.breaks = breaks
        self.workingHours = workingHours
        self.schedule = schedule
        self.audio = audio
        self.voice = voice
        self.hooks = hooks
        self.notifications = notifications
        self.presence = presence
    }

    /// The `notifications:` section.
    public struct Notifications: Sendable, Codable, Equatable {
        /// `notifications.breaks`: a due break shows a notification you can answer. Default true.
        public var breaks: Bool
        /// `notifications.sessions`: a notification when a session starts and ends. Default false.
        public var sessions: Bool

        public init(breaks: Bool = true, sessions: Bool = false) {
            self.breaks = breaks
            self.sessions = sessions
        }
    }

    /// The `presence:` section.
    public struct Presence: Sendable, Codable, Equatable {
        /// `presence.idle-after`: how long without input (logind's IdleHint, counted from
        /// IdleSinceHint) makes you away. Default 2m.
        public var idleAfterMs: Int64
        /// `presence.logind`: follow the session's lock, idle and suspend through logind. Default true.
        public var logind: Bool

        public init(idleAfterMs: Int64 = 120_000, logind: Bool = true) {
            self.idleAfterMs = idleAfterMs
            self.logind = logind
        }
    }

    /// The `voice:` section: how session texts are spoken.
    public struct Voice: Sendable, Codable, Equatable {
        /// `voice.enabled`. Default true: the point of Limber is following with eyes closed.
        public var enabled: Bool
        /// `voice.name`: an espeak-ng voice. Default `en-us`, the voice every espeak-ng-data has.
        public var name: String
        /// `voice.rate`: words per minute, 80–450. Default 160: espeak-ng's own 175 is brisk
        /// for instructions heard while moving; 160 is near unhurried conversational speech.
        public var rate: Int
        /// `voice.volume`: 0…1, multiplying `audio.volume`. Default 0.8: speech normalised to
        /// the cues' loudness sits a little under them, so the tones stay the timing reference.
        public var volume: Double
        /// `voice.command`: another engine, run without a shell, text on stdin, WAV on stdout.
        public var command: [String]?

        public init(enabled: Bool = true, name: String = "en-us", rate: Int = 160, volume: Double = 0.8,
                    command: [String]? = nil) {
            self.enabled = enabled
            self.name = name
            self.rate = rate
            self.volume = volume
            self.command = command
        }
    }

    /// The `breaks:` section.
    public struct Breaks: Sendable, Codable, Equatable {
        /// `breaks.movement`: get up and move. Default every 45m of sitting, 3m, session `desk-reset`.
        public var movement: BreakKindConfig
        /// `breaks.posture`: a short posture check. Default every 20m, 20s, off.
        public var posture: BreakKindConfig
        /// `breaks.snooze`: how long a snooze postpones a due break. Default 5m.
        public var snoozeMs: Int64
        /// `breaks.max-snoozes`: snoozes allowed per break before snoozing is refused. Default 2.
        public var maxSnoozes: Int
        /// `breaks.reminders`: reminders after the first `due` before the break counts as missed. Default 3.
        public var reminders: Int
        /// `breaks.reminder-interval`: time between reminders. Default 1m.
        public var reminderIntervalMs: Int64
        /// `breaks.natural-break`: an absence at least this long resets sitting clocks.
        /// nil means the movement break's duration.
        public var naturalBreakMs: Int64?
        /// `breaks.sessions-count`: which completed sessions count as a break. Default `long-enough`.
        public var sessionsCount: SessionsCount

        public init(movement: BreakKindConfig = .defaultMovement, posture: BreakKindConfig = .defaultPosture,
                    snoozeMs: Int64 = 300_000, maxSnoozes: Int = 2, reminders: Int = 3,
                    reminderIntervalMs: Int64 = 60_000, naturalBreakMs: Int64? = nil,
                    sessionsCount: SessionsCount = .longEnough) {
            self.movement = movement
            self.posture = posture
            self.snoozeMs = snoozeMs
            self.maxSnoozes = maxSnoozes
            self.reminders = reminders
            self.reminderIntervalMs = reminderIntervalMs
            self.naturalBreakMs = naturalBreakMs
            self.sessionsCount = sessionsCount
        }

        /// The natural-break threshold in force: `natural-break`, else the movement duration.
        public var effectiveNaturalBreakMs: Int64 { naturalBreakMs ?? movement.durationMs }

        /// The settings of one kind of break.
        public func settings(_ kind: BreakKind) -> BreakKindConfig {
            switch kind {
            case .movement: movement
            case .posture: posture
            }
        }
    }

    /// `breaks.sessions-count`: which completed sessions count as a break (docs/config.md).
    public enum SessionsCount: String, Sendable, Codable, Equatable, CaseIterable {
        /// Exercise and posture sessions that cover the break's duration, alone or with time away.
        case longEnough = "long-enough"
        /// Every session but heat counts as a movement break, however short (before 0.2).
        case any
        /// No session counts; only `limber break now` and natural breaks reset sitting.
        case never
    }

    /// `breaks.movement` or `breaks.posture`.
    public struct BreakKindConfig: Sendable, Codable, Equatable {
        /// `every`: sitting time (inside working hours) after which the break is due.
        public var everyMs: Int64
        /// `duration`: how long the break lasts when it has no session.
        public var durationMs: Int64
        /// `session`: the session id that guides the break, if any.
        public var session: String?
        /// `enabled`.
        public var enabled: Bool

        public init(everyMs: Int64, durationMs: Int64, session: String? = nil, enabled: Bool = true) {
            self.everyMs = everyMs
            self.durationMs = durationMs
            self.session = session
            self.enabled = enabled
        }

        public static let defaultMovement = BreakKindConfig(everyMs: 45 * 60_000, durationMs: 3 * 60_000,
                                                            session: "desk-reset", enabled: true)
        public static let defaultPosture = BreakKindConfig(everyMs: 20 * 60_000, durationMs: 20_000,
                                                           session: nil, enabled: false)
    }

    /// The `audio:` section.
    public struct Audio: Sendable, Codable, Equatable {
        /// `audio.device`: the ALSA PCM name. Default `default`.
        public var device: String
        /// `audio.volume`: 0…1. Default 0.5.
        public var volume: Double
        /// `audio.cues`: per-cue volume 0…1 multiplying `volume`; 0 mutes. Absent cues play at 1.
        public var cues: [Cue: Double]

        public init(device: String = "default", volume: Double = 0.5, cues: [Cue: Double] = [:]) {
            self.device = device
            self.volume = volume
            self.cues = cues
        }

        /// The volume a cue plays at: `volume` times the cue's own level.
        public func volume(for cue: Cue) -> Double { volume * (cues[cue] ?? 1) }
    }
}

/// The two kinds of break reminder.
public enum BreakKind: String, Sendable, Codable, CaseIterable, Hashable, CodingKeyRepresentable {
    /// Get up and move (default every 45 minutes of sitting).
    case movement
    /// A short posture check (off by default).
    case posture
}

/// Events a hook can run on (`hooks:` keys).
public enum HookEvent: String, Sendable, Codable, CaseIterable, Hashable, CodingKeyRepresentable {
    case breakDue = "break-due"
    case breakStarted = "break-started"
    case breakMissed = "break-missed"
    case breakSnoozed = "break-snoozed"
    case breakSkipped = "break-skipped"
    case sessionStarted = "session-started"
    case sessionFinished = "session-finished"
    /// A program's time has come with sessions still to do today (`LIMBER_PROGRAM`,
    /// `LIMBER_SESSION`: the first of them, `LIMBER_SESSIONS`: all, space-separated).
    case programDue = "program-due"
}

extension Cue: CodingKeyRepresentable {}

/// A scheduled session: `mon,wed,fri 07:30 morning-mobility`, or the daily offer of a
/// program's sessions at its `time:` (then `program` is set and nothing starts by itself).
public struct ScheduledSession: Sendable, Codable, Equatable, Hashable {
    public var days: Set<Weekday>
    public var time: LocalTime
    /// The session to start; for a program's offer, the one planned when the entry was made
    /// (the daemon offers whatever is still to do today when the time comes).
    public var session: String
    /// The program whose day's sessions are offered at `time`; nil for a `schedule:` entry.
    public var program: String?

    public init(days: Set<Weekday>, time: LocalTime, session: String, program: String? = nil) {
        self.days = days
        self.time = time
        self.session = session
        self.program = program
    }

    /// The entry as written in `schedule:`, normalised (`mon,wed,fri 07:30 morning-mobility`).
    public var text: String { "\(Weekday.text(days)) \(time) \(session)" }
}
