import GRDB

/// One guided session as the history keeps it: a row of `session_runs`.
///
/// Times are UTC ISO 8601 with milliseconds (`2026-11-29T14:03:07.250Z`), as the daemon's
/// records and events carry them; the fixed width makes text order time order.
public struct SessionRunEntry: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "session_runs"

    public var id: Int64?
    public var session: String
    public var name: String
    /// `exercise`, `heat`, `mindfulness`, `posture`.
    public var kind: String
    public var started: String
    public var ended: String
    public var plannedMs: Int64
    /// Pauses excluded.
    public var actualMs: Int64
    public var stepsCompleted: Int
    public var steps: Int
    public var stepsSkipped: Int
    /// `completed` or `stopped`; `running` while limberd runs it (the row is written at its
    /// start and checkpointed at each step); `interrupted` when limberd died during it (kill -9,
    /// crash, power cut), with the progress of its last checkpoint.
    public var outcome: String
    /// Why a stopped run stopped: `user`, `replaced`, `shutdown`.
    public var reason: String?

    public init(
        id: Int64? = nil, session: String, name: String, kind: String, started: String, ended: String,
        plannedMs: Int64, actualMs: Int64, stepsCompleted: Int, steps: Int, stepsSkipped: Int,
        outcome: String, reason: String? = nil
    ) {
        self.id = id
        self.session = session
        self.name = name
        self.kind = kind
        self.started = started
        self.ended = ended
        self.plannedMs = plannedMs
        self.actualMs = actualMs
        self.stepsCompleted = stepsCompleted
        self.steps = steps
        self.stepsSkipped = stepsSkipped
        self.outcome = outcome
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case id, session, name, kind, started, ended
        case plannedMs = "planned_ms"
        case actualMs = "actual_ms"
        case stepsCompleted = "steps_completed"
        case steps
        case stepsSkipped = "steps_skipped"
        case outcome, reason
    }

    /// Decodes by hand: Codable decoding of rows is most of the cost of `limber stats`.
    public init(row: Row) throws {
        id = row["id"]
        session = row["session"]
        name = row["name"]
        kind = row["kind"]
        started = row["started"]
        ended = row["ended"]
        plannedMs = row["planned_ms"]
        actualMs = row["actual_ms"]
        stepsCompleted = row["steps_completed"]
        steps = row["steps"]
        stepsSkipped = row["steps_skipped"]
        outcome = row["outcome"]
        reason = row["reason"]
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// What `limber history` adds to the outcomes that need saying in words.
    public static let outcomeNotes = [
        "running": "in progress, or limberd was killed and has not started since",
        "interrupted": "limberd stopped unexpectedly; progress as of the last step reached",
    ]
}

/// One movement or posture break: a row of `breaks`.
public struct BreakEntry: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "breaks"

    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case movement
        case posture
    }

    public enum Outcome: String, Sendable, Hashable, Codable, CaseIterable {
        /// The user took the break (started it, or a session that counts as one).
        case taken
        /// Time away (suspend, daemon stopped) longer than a break reset the sitting clock.
        case natural
        /// Snoozed and never answered afterwards (a snooze that ended in a taken break is `taken`
        /// with a snooze count).
        case snoozed
        case skipped
        /// Unanswered after every reminder.
        case missed
    }

    public var id: Int64?
    public var kind: Kind
    /// When the break fell due (for a natural break: when the time away began).
    public var due: String
    public var outcome: Outcome
    public var snoozeCount: Int
    /// When the break was settled: taken break finished, skipped, counted missed, or the
    /// natural break's return.
    public var ended: String?
    /// For a natural break, what the absence was: `locked`, `idle`, `suspend`, `manual`
    /// (`limber away`); nil for a stopped daemon and for rows before it was recorded.
    public var source: String?

    public init(
        id: Int64? = nil, kind: Kind, due: String, outcome: Outcome, snoozeCount: Int = 0, ended: String? = nil,
        source: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.due = due
        self.outcome = outcome
        self.snoozeCount = snoozeCount
        self.ended = ended
        self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, due, outcome
        case snoozeCount = "snooze_count"
        case ended, source
    }

    /// Decodes by hand: Codable decoding of rows is most of the cost of `limber stats`.
    public init(row: Row) throws {
        let kindText: String = row["kind"]
        let outcomeText: String = row["outcome"]
        guard let kind = Kind(rawValue: kindText), let outcome = Outcome(rawValue: outcomeText) else {
            throw DatabaseError(message: "breaks row has an unknown kind '\(kindText)' or outcome '\(outcomeText)'")
        }
        id = row["id"]
        self.kind = kind
        due = row["due"]
        self.outcome = outcome
        snoozeCount = row["snooze_count"]
        ended = row["ended"]
        source = row["source"]
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// One pain rating: a row of `pain`.
public struct PainEntry: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "pain"

    /// When a rating was asked around a session (`limber start --rate`).
    public enum Moment: String, Sendable, Hashable, Codable {
        case before
        case after
    }

    public var id: Int64?
    /// 0 (none) to 10 (worst imaginable).
    public var level: Int
    public var note: String?
    /// Free text such as `lower-back`.
    public var area: String?
    public var time: String
    /// The session id when rated around a session.
    public var session: String?
    public var moment: Moment?
    /// Red-flag symptoms logged with the rating (`limber log pain --flag`), comma-separated
    /// ``SymptomFlag`` names; nil for none. Added by migration v3.
    public var flags: String?

    public init(
        id: Int64? = nil, level: Int, note: String? = nil, area: String? = nil, time: String,
        session: String? = nil, moment: Moment? = nil, flags: String? = nil
    ) {
        self.id = id
        self.level = level
        self.note = note
        self.area = area
        self.time = time
        self.session = session
        self.moment = moment
        self.flags = flags
    }

    /// Decodes by hand: Codable decoding of rows is most of the cost of `limber stats`.
    public init(row: Row) throws {
        let momentText: String? = row["moment"]
        id = row["id"]
        level = row["level"]
        note = row["note"]
        area = row["area"]
        time = row["time"]
        session = row["session"]
        // A database read-only and not yet migrated has no `flags` column: nil.
        flags = row.hasColumn("flags") ? row["flags"] : nil
        moment = try momentText.map { text in
            guard let moment = Moment(rawValue: text) else { throw DatabaseError(message: "pain row has an unknown moment '\(text)'") }
            return moment
        }
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// The valid range of `level`.
    public static let levels = 0...10
}
