import Foundation
import GRDB
import Synchronization

/// Why the history database could not be opened, read or written; the message names the file
/// and what to do.
public struct HistoryError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// Another process holds a lock longer than the busy timeout.
        case locked
        /// The file or its directory is not writable.
        case readOnly
        /// The file is not a SQLite database, or is damaged.
        case corrupt
        /// Anything else SQLite or the file system reported.
        case io
    }

    public var code: Code
    public var path: String
    public var message: String

    public init(_ code: Code, path: String, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var description: String { message }

    /// Classifies an error thrown by GRDB into a message that says what to do.
    public static func from(_ error: any Error, path: String) -> HistoryError {
        if let error = error as? HistoryError { return error }
        guard let database = error as? DatabaseError else {
            return HistoryError(.io, path: path, "cannot use the history database \(path): \(error)")
        }
        switch database.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return HistoryError(
                .locked, path: path,
                "the history database \(path) is locked by another process; close whatever holds it (an open sqlite3 shell?)")
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN, .SQLITE_AUTH:
            return HistoryError(
                .readOnly, path: path,
                "cannot open or write the history database \(path) (\(database.message ?? "read-only")); it must be a regular file, and it and its directory writable by you: chmod u+w \((path as NSString).deletingLastPathComponent) \(path)")
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return HistoryError(
                .corrupt, path: path,
                "the history database \(path) is damaged (\(database.message ?? "corrupt")); move it aside (mv \(path) \(path).broken) and limberd starts a new one")
        default:
            return HistoryError(.io, path: path, "cannot use the history database \(path): \(database.message ?? "\(database.resultCode)")")
        }
    }
}

/// The history database file: `<state>/history.sqlite`, WAL, migrated by ``migrator``.
///
/// Durability: WAL with `synchronous = FULL`, so every commit fsyncs the WAL before it
/// returns. A record is reported written only after its transaction commits, and then it
/// survives kill -9 and power loss alike. Writes are a handful an hour, so the fsync costs
/// nothing that matters, and they never run on the session's timing path.
public enum HistoryDatabase {
    /// The file name inside the state directory.
    public static let fileName = "history.sqlite"

    /// `<stateDirectory>/history.sqlite`.
    public static func path(stateDirectory: String) -> String {
        stateDirectory + "/" + fileName
    }

    /// `$XDG_STATE_HOME/limber`, else `~/.local/state/limber`, as limberd resolves it.
    public static func defaultStateDirectory(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        let stateHome = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.local/state"
        return stateHome + "/limber"
    }

    /// The schema, from empty. Never edit a shipped migration: add a new one.
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: session_runs, breaks, pain") { db in
            try db.create(table: "session_runs") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("session", .text).notNull()
                t.column("name", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("started", .text).notNull()
                t.column("ended", .text).notNull()
                t.column("planned_ms", .integer).notNull()
                t.column("actual_ms", .integer).notNull()
                t.column("steps_completed", .integer).notNull()
                t.column("steps", .integer).notNull()
                t.column("steps_skipped", .integer).notNull().defaults(to: 0)
                t.column("outcome", .text).notNull().check(sql: "outcome IN ('completed', 'stopped')")
                t.column("reason", .text)
            }
            try db.create(index: "session_runs_started", on: "session_runs", columns: ["started"])
            try db.create(table: "breaks") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("kind", .text).notNull().check(sql: "kind IN ('movement', 'posture')")
                t.column("due", .text).notNull()
                t.column("outcome", .text).notNull()
                    .check(sql: "outcome IN ('taken', 'natural', 'snoozed', 'skipped', 'missed')")
                t.column("snooze_count", .integer).notNull().defaults(to: 0)
                t.column("ended", .text)
            }
            try db.create(index: "breaks_due", on: "breaks", columns: ["due"])
            try db.create(table: "pain") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("level", .integer).notNull().check(sql: "level BETWEEN 0 AND 10")
                t.column("note", .text)
                t.column("area", .text)
                t.column("time", .text).notNull()
                t.column("session", .text)
                t.column("moment", .text).check(sql: "moment IS NULL OR moment IN ('before', 'after')")
            }
            try db.create(index: "pain_time", on: "pain", columns: ["time"])
        }
        migrator.registerMigration("v2: session runs in progress (running, interrupted)") { db in
            // SQLite cannot change a CHECK constraint in place: rebuild the table with every
            // row and id. Spelled out, not shared with v1, because a shipped migration is frozen.
            try db.create(table: "session_runs_v2") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("session", .text).notNull()
                t.column("name", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("started", .text).notNull()
                t.column("ended", .text).notNull()
                t.column("planned_ms", .integer).notNull()
                t.column("actual_ms", .integer).notNull()
                t.column("steps_completed", .integer).notNull()
                t.column("steps", .integer).notNull()
                t.column("steps_skipped", .integer).notNull().defaults(to: 0)
                t.column("outcome", .text).notNull()
                    .check(sql: "outcome IN ('completed', 'stopped', 'running', 'interrupted')")
                t.column("reason", .text)
            }
            try db.execute(
                sql: """
                    INSERT INTO session_runs_v2 (id, session, name, kind, started, ended, planned_ms, actual_ms,
                        steps_completed, steps, steps_skipped, outcome, reason)
                    SELECT id, session, name, kind, started, ended, planned_ms, actual_ms,
                        steps_completed, steps, steps_skipped, outcome, reason FROM session_runs
                    """)
            try db.drop(table: "session_runs")
            try db.rename(table: "session_runs_v2", to: "session_runs")
            try db.create(index: "session_runs_started", on: "session_runs", columns: ["started"])
            // Nearly always empty: finds the runs a crash left `running` without a scan.
            try db.execute(sql: "CREATE INDEX session_runs_running ON session_runs (outcome) WHERE outcome = 'running'")
        }
        migrator.registerMigration("v3: check-ins, programs, red flags") { db in
            // Additive only: new tables and a nullable column, so an older limber still reads
            // the file, and the whole migration commits or rolls back as one transaction.
            try db.alter(table: "pain") { t in t.add(column: "flags", .text) }
            try db.create(table: "checkins") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("time", .text).notNull()
                t.column("pain", .integer).notNull().check(sql: "pain BETWEEN 0 AND 10")
                t.column("stiffness", .integer).notNull().check(sql: "stiffness BETWEEN 0 AND 10")
                t.column("note", .text)
            }
            try db.create(index: "checkins_time", on: "checkins", columns: ["time"])
            try db.create(table: "program_runs") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("program", .text).notNull()
                t.column("name", .text).notNull()
                t.column("started", .text).notNull()
                t.column("start_day", .text).notNull()
                t.column("ended", .text)
                t.column("outcome", .text).notNull().check(sql: "outcome IN ('active', 'stopped', 'completed')")
            }
            try db.execute(sql: "CREATE INDEX program_runs_active ON program_runs (outcome) WHERE outcome = 'active'")
            try db.create(table: "program_decisions") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("run", .integer).notNull().references("program_runs", onDelete: .cascade)
                t.column("day", .text).notNull()
                t.column("decision", .text).notNull()
                    .check(sql: "decision IN ('advance', 'hold', 'step-back', 'complete')")
                t.column("from_stage", .integer).notNull()
                t.column("to_stage", .integer).notNull()
                t.column("reason", .text).notNull()
                t.column("time", .text).notNull()
                // One decision a day: limberd and limber may both decide the same day; the
                // second write is dropped.
                t.uniqueKey(["run", "day"])
            }
        }
        migrator.registerMigration("v4: what a natural break was (locked, idle, suspend, manual)") { db in
            try db.alter(table: "breaks") { t in t.add(column: "source", .text) }
        }
        return migrator
    }

    /// Serialises migrations within the process: limberd's writers must not race to create
    /// the schema (the loser of such a race fails with SQLITE_BUSY_SNAPSHOT).
    private static let migrating = Mutex(())

    /// Opens (creating and migrating) the database for writing.
    public static func openForWriting(path: String) throws(HistoryError) -> DatabaseQueue {
        var configuration = Configuration()
        configuration.busyMode = .timeout(2)
        configuration.prepareDatabase { db in
            // journal_mode=WAL persists in the file; synchronous is per connection.
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try migrating.withLock { _ in try migrator.migrate(queue) }
            return queue
        } catch {
            throw HistoryError.from(error, path: path)
        }
    }

    /// Opens an existing database read-only (for `limber stats` and `limber history`), or
    /// returns nil when there is no database yet.
    public static func openForReading(path: String) throws(HistoryError) -> DatabaseQueue? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(2)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            let hasSchema = try queue.read { try $0.tableExists("session_runs") }
            return hasSchema ? queue : nil
        } catch {
            throw HistoryError.from(error, path: path)
        }
    }

    /// Inserts `records` (call inside a write transaction); a run's state is a new row here.
    public static func insert(_ records: [HistoryRecord], into db: Database) throws {
        var runRows: [UInt64: Int64] = [:]
        try write(records, into: db, runRows: &runRows)
    }

    /// Writes `records` (call inside a write transaction). `runRows` maps the runner's keys to
    /// the rows of runs already written, so that a run's later states update its row.
    ///
    /// A break already present (same kind and due time) is not written again: limberd writes
    /// a settled break before it saves the state that settles it, so a crash between the two
    /// settles the same break again after the restart.
    public static func write(_ records: [HistoryRecord], into db: Database, runRows: inout [UInt64: Int64]) throws {
        for record in records {
            switch record {
            case .run(let entry): try entry.insert(db)
            case .runState(let key, let entry):
                if let id = runRows[key] {
                    try updateRun(id: id, to: entry, in: db)
                } else {
                    try entry.insert(db)
                    runRows[key] = db.lastInsertedRowID
                }
            case .breakEnded(let entry):
                let present = try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM breaks WHERE due = ? AND kind = ?)",
                    arguments: [entry.due, entry.kind.rawValue]) ?? false
                if !present { try entry.insert(db) }
            case .pain(let entry): try entry.insert(db)
            case .checkin(let entry): try entry.insert(db)
            }
        }
    }

    /// Brings a run's row to `entry`: a checkpoint, or its end. Only a row still `running`
    /// changes, so a checkpoint queued behind the run's end never reopens it.
    private static func updateRun(id: Int64, to entry: SessionRunEntry, in db: Database) throws {
        let statement = try db.cachedStatement(
            sql: """
                UPDATE session_runs SET ended = ?, actual_ms = ?, steps_completed = ?, steps_skipped = ?, outcome = ?,
                    reason = ? WHERE id = ? AND outcome = 'running'
                """)
        try statement.execute(arguments: [
            entry.ended, entry.actualMs, entry.stepsCompleted, entry.stepsSkipped, entry.outcome, entry.reason, id,
        ])
    }

    /// Turns the runs a crash left `running` into `interrupted`, keeping the progress of their
    /// last checkpoint; returns how many. limberd calls it once, when it first opens the
    /// database and before it writes a run of its own.
    public static func interruptRunningRuns(_ db: Database) throws -> Int {
        try db.execute(sql: "UPDATE session_runs SET outcome = 'interrupted' WHERE outcome = 'running'")
        return db.changesCount
    }

    /// Opens the database at `path` (creating its directory, owner-only, and its schema),
    /// writes `records` in one transaction, and closes it: for `limber log pain`, which works
    /// with or without limberd running.
    public static func append(_ records: [HistoryRecord], path: String) throws(HistoryError) {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw HistoryError(
                .readOnly, path: path, "cannot create the directory \(directory) for the history database: \(error.localizedDescription)")
        }
        let queue = try openForWriting(path: path)
        do {
            try queue.write { db in try insert(records, into: db) }
        } catch {
            throw HistoryError.from(error, path: path)
        }
    }

    /// `PRAGMA integrity_check`: `["ok"]` for a sound file.
    public static func integrityCheck(_ reader: some DatabaseReader) throws -> [String] {
        try reader.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
    }
}
