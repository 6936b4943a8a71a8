import Foundation
import GRDB
import Testing

@testable import LimberHistory

/// A fresh temporary directory, removed by the caller.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("limber-history-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite struct HistoryDatabaseTests {
    @Test func migratesFromEmptyToTheDocumentedSchema() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("history.sqlite").path
        let queue = try HistoryDatabase.openForWriting(path: path)
        try queue.read { (db: Database) throws in
            #expect(try HistoryDatabase.migrator.appliedIdentifiers(db) == [
                "v1: session_runs, breaks, pain", "v2: session runs in progress (running, interrupted)",
                "v3: check-ins, programs, red flags", "v4: what a natural break was (locked, idle, suspend, manual)",
            ])
            #expect(try db.columns(in: "session_runs").map(\.name) == [
                "id", "session", "name", "kind", "started", "ended", "planned_ms", "actual_ms", "steps_completed",
                "steps", "steps_skipped", "outcome", "reason",
            ])
            #expect(try db.columns(in: "breaks").map(\.name) == ["id", "kind", "due", "outcome", "snooze_count", "ended", "source"])
            #expect(try db.columns(in: "pain").map(\.name) == ["id", "level", "note", "area", "time", "session", "moment", "flags"])
            #expect(try db.columns(in: "checkins").map(\.name) == ["id", "time", "pain", "stiffness", "note"])
            #expect(try db.columns(in: "program_runs").map(\.name) == ["id", "program", "name", "started", "start_day", "ended", "outcome"])
            #expect(try db.columns(in: "program_decisions").map(\.name) == [
                "id", "run", "day", "decision", "from_stage", "to_stage", "reason", "time",
            ])
            #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal")
            #expect(try Int.fetchOne(db, sql: "PRAGMA synchronous") == 2)  // FULL
        }
        // Opening again migrates nothing and keeps the data.
        try queue.write { db in try PainEntry(level: 3, time: "2026-11-29T10:00:00.000Z").insert(db) }
        let again = try HistoryDatabase.openForWriting(path: path)
        #expect(try again.read { try PainEntry.fetchCount($0) } == 1)
        #expect(try HistoryDatabase.integrityCheck(again) == ["ok"])
    }

    /// v3 only adds: a v2 database keeps every row, and its ratings have no flags.
    @Test func migrationThreeKeepsAVersionTwoDatabase() throws {
        let queue = try DatabaseQueue()
        try HistoryDatabase.migrator.migrate(queue, upTo: "v2: session runs in progress (running, interrupted)")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO pain (level, time) VALUES (4, '2026-11-29T10:00:00.000Z')")
        }
        try HistoryDatabase.migrator.migrate(queue)
        let pain = try queue.read { try PainEntry.fetchAll($0) }
        #expect(pain.map(\.level) == [4])
        #expect(pain.first?.flags == nil)
        try queue.write { db in
            try PainEntry(level: 5, time: "2026-11-30T10:00:00.000Z", flags: "numbness,fall").insert(db)
            try CheckinEntry(time: "2026-11-30T07:00:00.000Z", pain: 3, stiffness: 4).insert(db)
        }
        #expect(try queue.read { try PainEntry.fetchAll($0) }.map { SymptomFlag.parse(column: $0.flags) } == [[], [.numbness, .fall]])
        #expect(throws: DatabaseError.self) {
            try queue.write { db in try CheckinEntry(time: "2026-11-30T07:00:00.000Z", pain: 3, stiffness: 11).insert(db) }
        }
    }

    @Test func checkConstraintsRejectOutOfRangeValues() throws {
        let queue = try DatabaseQueue()
        try HistoryDatabase.migrator.migrate(queue)
        #expect(throws: DatabaseError.self) {
            try queue.write { db in try PainEntry(level: 11, time: "2026-11-29T10:00:00.000Z").insert(db) }
        }
        #expect(throws: DatabaseError.self) {
            try queue.write { db in try db.execute(sql: "INSERT INTO breaks (kind, due, outcome) VALUES ('movement', 'x', 'ignored')") }
        }
    }

    @Test func theSnapshotReadsActivityOnlyBackToTheStreaksStart() throws {
        let queue = try DatabaseQueue()
        try HistoryDatabase.migrator.migrate(queue)
        let days = ["2026-11-20", "2026-11-24", "2026-11-25", "2026-11-26"]
        try queue.write { db in
            for day in days {
                try BreakEntry(kind: .movement, due: day + "T10:00:00.000Z", outcome: .taken).insert(db)
                try BreakEntry(kind: .movement, due: day + "T11:00:00.000Z", outcome: .skipped).insert(db)
            }
        }
        let from = try #require(HistoryTime.parse("2026-11-25T00:00:00Z"))
        let to = try #require(HistoryTime.parse("2026-11-27T00:00:00Z"))
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = .gmt
        let today = try #require(HistoryTime.parse("2026-11-26T20:00:00Z"))
        let snapshot = try queue.read { try HistoryReader.snapshot($0, from: from, to: to, today: today, calendar: utc) }
        #expect(snapshot.breaks.count == 4)
        // The 23rd is empty: reading stops at the 20th, the first instant beyond the streak.
        #expect(snapshot.activity == [
            "2026-11-26T10:00:00.000Z", "2026-11-25T10:00:00.000Z", "2026-11-24T10:00:00.000Z", "2026-11-20T10:00:00.000Z",
        ])
        #expect(HistoryStats.compute(snapshot, first: from, last: today, today: today, calendar: utc).streakDays == 3)
    }

    @Test func readingAMissingDatabaseIsNoHistory() throws {
        #expect(try HistoryDatabase.openForReading(path: "/nonexistent-limber/history.sqlite") == nil)
    }

    @Test func aFileThatIsNotADatabaseIsReportedAsDamagedWithTheFix() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("history.sqlite").path
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try HistoryDatabase.openForWriting(path: path)
        } throws: { error in
            guard let error = error as? HistoryError else { return false }
            return error.code == .corrupt && error.message.contains(path) && error.message.contains("mv ")
        }
    }

    @Test func timestampsRoundTrip() {
        let date = Date(timeIntervalSince1970: 1_795_960_987.25)
        let text = HistoryTime.iso8601(date)
        #expect(text == "2026-11-29T14:03:07.250Z")
        #expect(HistoryTime.parse(text) == date)
        #expect(HistoryTime.parseMilliseconds("1970-01-01T00:00:00Z") == 0)
        #expect(HistoryTime.parseMilliseconds("2024-02-29T23:59:59.999Z") == 1_709_251_199_999)
        #expect(HistoryTime.parseMilliseconds("2026-13-01T00:00:00Z") == nil)
        #expect(HistoryTime.parseMilliseconds("yesterday") == nil)
    }
}
