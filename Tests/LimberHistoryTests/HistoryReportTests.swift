import Foundation
import Testing

@testable import LimberHistory

/// 10 days, 2026-11-01 (Sun) to 2026-11-10, in UTC: a first week of 3 days, then one of 7.
@Suite struct HistoryReportTests {
    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        return calendar
    }()

    static func iso(_ day: Int, _ hour: Int, _ minute: Int = 0, second: Int = 0) -> String {
        HistoryTime.iso8601(
            calendar.date(from: DateComponents(year: 2026, month: 11, day: day, hour: hour, minute: minute, second: second))
                ?? .distantPast)
    }

    static func run(_ day: Int, _ hour: Int, _ session: String, kind: String = "exercise", minutes: Int = 10) -> SessionRunEntry {
        SessionRunEntry(
            session: session, name: session, kind: kind, started: iso(day, hour), ended: iso(day, hour, minutes),
            plannedMs: Int64(minutes) * 60_000, actualMs: Int64(minutes) * 60_000, stepsCompleted: 4, steps: 4,
            stepsSkipped: 0, outcome: "completed")
    }

    static func report(_ snapshot: HistorySnapshot) -> HistoryReport {
        let first = calendar.date(from: DateComponents(year: 2026, month: 11, day: 1)) ?? .distantPast
        let last = calendar.date(from: DateComponents(year: 2026, month: 11, day: 10)) ?? .distantPast
        return HistoryReport.make(snapshot, first: first, last: last, today: last, calendar: calendar)
    }

    @Test func weeksEndOnTheLastDayAndSumTheDays() throws {
        let snapshot = HistorySnapshot(
            runs: [
                Self.run(2, 8, "mobility"), Self.run(3, 8, "mobility"), Self.run(4, 8, "mobility"),
                Self.run(4, 20, "heat", kind: "heat", minutes: 20), Self.run(9, 8, "breathe", kind: "mindfulness", minutes: 5),
            ],
            breaks: [
                BreakEntry(kind: .movement, due: Self.iso(3, 10), outcome: .taken, ended: Self.iso(3, 10, 3)),
                BreakEntry(kind: .movement, due: Self.iso(4, 11), outcome: .skipped),
                BreakEntry(kind: .movement, due: Self.iso(5, 11), outcome: .missed),
            ])
        let report = Self.report(snapshot)
        #expect(report.weeks.map(\.from) == ["2026-11-01", "2026-11-04"])
        #expect(report.weeks.map(\.to) == ["2026-11-03", "2026-11-10"])
        #expect(report.weeks.map(\.days) == [3, 7])
        let (first, second) = (report.weeks[0], report.weeks[1])
        #expect(first.sessionMinutes == ["exercise": 20] && first.totalMinutes == 20 && first.sessions == 2)
        #expect(second.sessionMinutes == ["exercise": 10, "heat": 20, "mindfulness": 5] && second.totalMinutes == 35)
        #expect(first.breaks == BreakCounts(taken: 1) && second.breaks == BreakCounts(skipped: 1, missed: 1))
        // 3 Nov: the 08:10 session end resets, the break ends 10:03: 113 min.
        #expect(first.longestSittingMinutes == 113)
        #expect(!report.isEmpty)
        // The weeks add up to the period's totals.
        #expect(report.weeks.map(\.totalMinutes).reduce(0, +) == report.stats.totalMinutes)
    }

    @Test func painMaximumSevenDayAverageAndSevereDays() {
        var pain: [PainEntry] = []
        for day in 1...10 { pain.append(PainEntry(level: day < 5 ? 2 : 4, time: Self.iso(day, 21))) }
        pain += [PainEntry(level: 9, time: Self.iso(6, 7)), PainEntry(level: 8, time: Self.iso(8, 7))]
        let report = Self.report(HistorySnapshot(pain: pain))
        #expect(report.days[5].painMax == 9 && report.days[5].stats.painAverage == 6.5)
        #expect(report.days[0].painSevenDayAverage == nil && report.days[1].painSevenDayAverage == nil)
        #expect(report.days[2].painSevenDayAverage == 2)
        // Days 4–10: 2, 4, 6.5, 4, 6, 4, 4 → 30.5 / 7.
        #expect(report.days[9].painSevenDayAverage == 4.4)
        #expect(report.weeks[1].pain.severeDays == ["2026-11-06", "2026-11-08"])
        #expect(report.weeks[1].pain.ratedDays == 7 && report.weeks[1].pain.average == 4.4)
        #expect(report.advice.map(\.rule) == ["severe-pain-twice-in-a-week"])
    }

    @Test func ratingsArePairedWithTheirRuns() {
        let runs = [Self.run(2, 8, "mobility"), Self.run(2, 12, "mobility"), Self.run(2, 9, "breathe", kind: "mindfulness")]
        let pain = [
            // Recorded just after the start (the client rates, then the run starts).
            PainEntry(level: 5, time: Self.iso(2, 8, 0, second: 1), session: "mobility", moment: .before),
            PainEntry(level: 3, time: Self.iso(2, 8, 12), session: "mobility", moment: .after),
            // A few seconds before the recorded start: the two clocks differ.
            PainEntry(level: 6, time: Self.iso(2, 11, 59, second: 50), session: "mobility", moment: .before),
            PainEntry(level: 4, time: Self.iso(2, 8, 30), session: "mindfulness-x", moment: .after),
            PainEntry(level: 1, time: Self.iso(2, 9, 30)),
        ]
        let sessions = Self.report(HistorySnapshot(runs: runs.sorted { $0.started < $1.started }, pain: pain)).sessions
        #expect(sessions.map(\.run.started) == [Self.iso(2, 8), Self.iso(2, 9), Self.iso(2, 12)])
        #expect(sessions.map(\.before) == [5, nil, 6])
        #expect(sessions.map(\.after) == [3, nil, nil])
    }

    @Test func anEmptyPeriodIsEmpty() {
        let report = Self.report(HistorySnapshot())
        #expect(report.isEmpty && report.days.count == 10 && report.weeks.count == 2 && report.advice.isEmpty)
        #expect(report.weeks.allSatisfy { $0.longestSittingMinutes == nil && $0.pain.average == nil })
    }

    @Test func monthsAreCalendarMonthsCutToThePeriod() {
        let first = Self.calendar.date(from: DateComponents(year: 2026, month: 10, day: 30)) ?? .distantPast
        let last = Self.calendar.date(from: DateComponents(year: 2026, month: 12, day: 2)) ?? .distantPast
        var october31 = Self.run(2, 8, "mobility")
        october31.started = HistoryTime.iso8601(Self.calendar.date(from: DateComponents(year: 2026, month: 10, day: 31, hour: 8)) ?? .distantPast)
        october31.ended = october31.started
        let snapshot = HistorySnapshot(
            runs: [october31, Self.run(2, 8, "mobility"), Self.run(2, 20, "heat", kind: "heat")],
            pain: [PainEntry(level: 3, time: Self.iso(2, 21)), PainEntry(level: 8, time: Self.iso(9, 7))])
        let report = HistoryReport.make(snapshot, first: first, last: last, today: last, calendar: Self.calendar)
        #expect(report.months.map(\.from) == ["2026-10-30", "2026-11-01", "2026-12-01"])
        #expect(report.months.map(\.to) == ["2026-10-31", "2026-11-30", "2026-12-02"])
        #expect(report.months.map(\.days) == [2, 30, 2])
        #expect(report.months.map(\.sessions) == [1, 2, 0] && report.months.map(\.sessionDays) == [1, 1, 0])
        #expect(report.months[1].painMax == 8 && report.months[1].pain.severeDays == ["2026-11-09"] && report.months[0].painMax == nil)
        #expect(report.months.map(\.totalMinutes).reduce(0, +) == report.stats.totalMinutes)
        #expect(report.weeks.map(\.sessionDays).reduce(0, +) == 2)
    }
}

