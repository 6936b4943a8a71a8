import Foundation
import GRDB
import Testing

@testable import LimberHistory

/// Which programs and decisions a report of a period reads.
@Suite struct ProgramPeriodTests {
    @Test func programsOverlappingThePeriodWithTheirDecisionsForItsDays() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let queue = try HistoryDatabase.openForWriting(path: directory.appendingPathComponent("history.sqlite").path)
        let periods = try queue.write { db -> [ProgramPeriod] in
            // Ended before the period: left out.
            let old = ProgramRunEntry(program: "desk-day", name: "Desk day", started: "2026-10-01T07:00:00.000Z", startDay: "2026-10-01",
                                      ended: "2026-10-20T07:00:00.000Z", outcome: "stopped")
            _ = try old.inserted(db)
            let current = try ProgramRunEntry(program: "back-on-track", name: "Back on track", started: "2026-10-25T07:00:00.000Z", startDay: "2026-10-25").inserted(db)
            let run = try #require(current.id)
            for (day, kind) in [("2026-11-01", "hold"), ("2026-11-08", "advance"), ("2026-11-15", "hold"), ("2026-11-22", "hold")] {
                let decision = ProgramDecisionEntry(run: run, day: day, decision: kind, fromStage: 0, toStage: kind == "advance" ? 1 : 0,
                                                    reason: kind, time: day + "T06:00:00.000Z")
                _ = try decision.inserted(db)
            }
            return try ProgramPeriod.read(db, from: "2026-11-05T00:00:00.000Z", to: "2026-11-19T00:00:00.000Z",
                                          firstDay: "2026-11-05", lastDay: "2026-11-18")
        }
        #expect(periods.map(\.run.program) == ["back-on-track"])
        #expect(periods.first?.decisions.map(\.day) == ["2026-11-08", "2026-11-15"])
    }
}
