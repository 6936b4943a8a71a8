import GRDB

/// One morning check-in (`limber checkin`): a row of `checkins`.
public struct CheckinEntry: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "checkins"

    public var id: Int64?
    public var time: String
    /// Pain now, 0–10.
    public var pain: Int
    /// Stiffness now, 0–10.
    public var stiffness: Int
    public var note: String?

    public init(id: Int64? = nil, time: String, pain: Int, stiffness: Int, note: String? = nil) {
        self.id = id
        self.time = time
        self.pain = pain
        self.stiffness = stiffness
        self.note = note
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// One program followed from its start (`limber program start`): a row of `program_runs`.
public struct ProgramRunEntry: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "program_runs"

    public var id: Int64?
    /// The program id.
    public var program: String
    public var name: String
    /// When it was started, UTC ISO 8601.
    public var started: String
    /// The local day it started, `YYYY-MM-DD`: its weeks count from this day.
    public var startDay: String
    /// When it was stopped or completed.
    public var ended: String?
    /// `active`, `stopped` or `completed`.
    public var outcome: String

    public init(id: Int64? = nil, program: String, name: String, started: String, startDay: String, ended: String? = nil, outcome: String = "active") {
        self.id = id
        self.program = program
        self.name = name
        self.started = started
        self.startDay = startDay
        self.ended = ended
        self.outcome = outcome
    }

    enum CodingKeys: String, CodingKey {
        case id, program, name, started
        case startDay = "start_day"
        case ended, outcome
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// One progression decision and its reason: a row of `program_decisions`.
public struct ProgramDecisionEntry: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "program_decisions"

    public var id: Int64?
    public var run: Int64
    /// The local day it was made for, `YYYY-MM-DD`; it judges the days before it.
    public var day: String
    /// `advance`, `hold`, `step-back` or `complete`.
    public var decision: String
    /// 0-based stage indices before and after.
    public var fromStage: Int
    public var toStage: Int
    public var reason: String
    /// When it was written, UTC ISO 8601.
    public var time: String

    public init(id: Int64? = nil, run: Int64, day: String, decision: String, fromStage: Int, toStage: Int, reason: String, time: String) {
        self.id = id
        self.run = run
        self.day = day
        self.decision = decision
        self.fromStage = fromStage
        self.toStage = toStage
        self.reason = reason
        self.time = time
    }

    enum CodingKeys: String, CodingKey {
        case id, run, day, decision
        case fromStage = "from_stage"
        case toStage = "to_stage"
        case reason, time
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A program followed during a period, with the decisions made for the period's days.
public struct ProgramPeriod: Sendable, Hashable {
    public var run: ProgramRunEntry
    /// Oldest first.
    public var decisions: [ProgramDecisionEntry]

    public init(run: ProgramRunEntry, decisions: [ProgramDecisionEntry]) {
        self.run = run
        self.decisions = decisions
    }

    /// The programs followed at some point of `from..<to` (a database older than programs has
    /// none), with their decisions for the local days `firstDay...lastDay` (`YYYY-MM-DD`).
    public static func read(_ db: Database, from: String, to: String, firstDay: String, lastDay: String) throws -> [ProgramPeriod] {
        guard try db.tableExists(ProgramRunEntry.databaseTableName) else { return [] }
        let runs = try ProgramRunEntry.fetchAll(
            db, sql: "SELECT * FROM program_runs WHERE started < ? AND (ended IS NULL OR ended >= ?) ORDER BY started",
            arguments: [to, from])
        return try runs.map { run in
            let decisions = try ProgramDecisionEntry.fetchAll(
                db, sql: "SELECT * FROM program_decisions WHERE run = ? AND day >= ? AND day <= ? ORDER BY day, id",
                arguments: [run.id, firstDay, lastDay])
            return ProgramPeriod(run: run, decisions: decisions)
        }
    }
}
