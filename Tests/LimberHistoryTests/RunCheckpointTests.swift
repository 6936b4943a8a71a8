import Foundation
import GRDB
import Logging
import Testing

@testable import LimberHistory

/// Runs written while they are in progress, and what a crash leaves of them.
@Suite struct RunCheckpointTests {
    static func run(outcome: String, actualMs: Int64 = 0, steps: Int = 0, ended: String = "2026-11-29T10:00:00.000Z") -> SessionRunEntry {
        SessionRunEntry(
            session: "desk-reset", name: "Desk reset", kind: "exercise", started: "2026-11-29T10:00:00.000Z",
            ended: ended, plannedMs: 180_000, actualMs: actualMs, stepsCompleted: steps, steps: 6, stepsSkipped: 0,
            outcome: outcome)
    }

    static func rows(_ path: String) throws -> [SessionRunEntry] {
        let queue = try #require(try HistoryDatabase.openForReading(path: path))
        return try queue.read { try SessionRunEntry.order(Column("id")).fetchAll($0) }
    }

    @Test func aV1DatabaseKeepsItsRowsAndGainsRunningAndInterrupted() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("history.sqlite").path
        do {
            let old = try DatabaseQueue(path: path)
            try HistoryDatabase.migrator.migrate(old, upTo: "v1: session_runs, breaks, pain")
            try old.write { db in
                var entry = Self.run(outcome: "stopped", actualMs: 5000, steps: 2)
                entry.id = 7
                entry.reason = "user"
                try entry.insert(db)
                #expect(throws: DatabaseError.self) { try Self.run(outcome: "running").insert(db) }
            }
        }
        let queue = try HistoryDatabase.openForWriting(path: path)
        try queue.write { db in
            try Self.run(outcome: "running").insert(db)
            try Self.run(outcome: "interrupted").insert(db)
            #expect(throws: DatabaseError.self) { try Self.run(outcome: "lost").insert(db) }
            let indexes = try db.indexes(on: "session_runs").map(\.name)
            #expect(Set(indexes).isSuperset(of: ["session_runs_started", "session_runs_running"]))
        }
        let rows = try Self.rows(path)
        #expect(rows.map(\.outcome) == ["stopped", "running", "interrupted"])
        #expect(rows.first?.id == 7 && rows.first?.reason == "user" && rows.first?.actualMs == 5000)
        #expect(try HistoryDatabase.integrityCheck(queue) == ["ok"])
    }

    @Test func aRunsStatesUpdateOneRowAndACheckpointNeverReopensAnEndedRun() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("history.sqlite").path
        let queue = try HistoryDatabase.openForWriting(path: path)
        var runRows: [UInt64: Int64] = [:]
        try queue.write { db in
            try HistoryDatabase.write([.runState(key: 1, Self.run(outcome: "running"))], into: db, runRows: &runRows)
            try HistoryDatabase.write(
                [.runState(key: 1, Self.run(outcome: "running", actualMs: 30_000, steps: 1, ended: "2026-11-29T10:00:30.000Z"))],
                into: db, runRows: &runRows)
        }
        #expect(try Self.rows(path).map(\.actualMs) == [30_000])
        try queue.write { db in
            try HistoryDatabase.write(
                [
                    .runState(key: 1, Self.run(outcome: "completed", actualMs: 180_000, steps: 6)),
                    .runState(key: 1, Self.run(outcome: "running", actualMs: 60_000, steps: 2)),
                    .runState(key: 2, Self.run(outcome: "running")),
                ], into: db, runRows: &runRows)
        }
        let rows = try Self.rows(path)
        #expect(rows.map(\.outcome) == ["completed", "running"])
        #expect(rows.first?.actualMs == 180_000 && rows.first?.stepsCompleted == 6)
        #expect(try queue.write { try HistoryDatabase.interruptRunningRuns($0) } == 1)
        #expect(try Self.rows(path).map(\.outcome) == ["completed", "interrupted"])
    }

    @Test func aRecorderWritesDurablyAndTheNextOneMarksWhatTheLastLeftRunningInterrupted() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("history.sqlite").path
        // The first daemon: a run started and checkpointed, then it dies (nothing drains).
        let first = HistoryRecorder(path: path, logger: Logger(label: "test"))
        first.recordDurably(.runState(key: 1, Self.run(outcome: "running")))
        #expect(try Self.rows(path).map(\.outcome) == ["running"])
        first.recordDurably(.runState(key: 1, Self.run(outcome: "running", actualMs: 42_000, steps: 2, ended: "2026-11-29T10:00:42.000Z")))
        // The same settled break twice (a crash between history and state file): one row.
        let settled = BreakEntry(kind: .movement, due: "2026-11-29T11:00:00.000Z", outcome: .skipped, ended: "2026-11-29T11:01:00.000Z")
        first.recordDurably(.breakEnded(settled))
        first.recordDurably(.breakEnded(settled))

        let (second, events) = HistoryRecorderTests.recorder(path: path)
        async let writer: Void = second.run()
        second.record(.runState(key: 1, Self.run(outcome: "running")))
        for await event in events {
            if case .written = event { break }
        }
        second.finish()
        await writer
        let rows = try Self.rows(path)
        #expect(rows.map(\.outcome) == ["interrupted", "running"])
        #expect(rows.first?.actualMs == 42_000 && rows.first?.stepsCompleted == 2 && rows.first?.ended == "2026-11-29T10:00:42.000Z")
        let queue = try #require(try HistoryDatabase.openForReading(path: path))
        #expect(try await queue.read { try BreakEntry.fetchCount($0) } == 1)
    }

    @Test func runningAndInterruptedRunsCountTheirMinutesButNeverAsCompleted() throws {
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = .gmt
        let day = try #require(HistoryTime.parse("2026-11-29T00:00:00Z"))
        let snapshot = HistorySnapshot(runs: [
            Self.run(outcome: "interrupted", actualMs: 60_000, steps: 2), Self.run(outcome: "running", actualMs: 30_000),
        ])
        let stats = HistoryStats.compute(snapshot, first: day, last: day, today: day, calendar: utc)
        #expect(stats.streakDays == 0)
        #expect(stats.totalMinutes == 1.5 && stats.days.first?.sessions == 2)
        #expect(stats.days.first?.longestSittingMinutes == nil)
        let line = HistoryItem.run(Self.run(outcome: "interrupted", actualMs: 60_000, steps: 2)).line(calendar: utc)
        #expect(line.contains("interrupted, 1.0 min, 2/6 steps (limberd stopped unexpectedly"))
    }
}
