import Foundation
import LimberHistory
import Testing

@testable import LimberReport

/// Long periods: the scale, the weekly slots, the calendar marks under the axis, and a page
/// of 400 days.
@Suite struct ChartSlotsTests {
    static let calendar = ReportPageTests.calendar

    static func day(_ offset: Int) -> Date {
        calendar.date(byAdding: .day, value: offset, to: ReportPageTests.date(1)) ?? .distantPast
    }

    /// `days` days from 2026-11-01: a 10-minute session on even days, a rating a day rising
    /// by a point a week from 1 (capped at 9), and a skipped break on odd days.
    static func report(days: Int) -> HistoryReport {
        var runs: [SessionRunEntry] = []
        var breaks: [BreakEntry] = []
        var pain: [PainEntry] = []
        for offset in 0..<days {
            let start = day(offset).addingTimeInterval(8 * 3600)
            if offset % 2 == 0 {
                runs.append(
                    SessionRunEntry(
                        session: "s", name: "S", kind: "exercise", started: HistoryTime.iso8601(start),
                        ended: HistoryTime.iso8601(start.addingTimeInterval(600)), plannedMs: 600_000, actualMs: 600_000,
                        stepsCompleted: 1, steps: 1, stepsSkipped: 0, outcome: "completed"))
            } else {
                breaks.append(BreakEntry(kind: .movement, due: HistoryTime.iso8601(start), outcome: .skipped))
            }
            pain.append(PainEntry(level: min(9, 1 + offset / 7), time: HistoryTime.iso8601(start.addingTimeInterval(3600))))
        }
        return HistoryReport.make(
            HistorySnapshot(runs: runs, breaks: breaks, pain: pain), first: day(0), last: day(days - 1), today: day(days - 1),
            calendar: calendar)
    }

    @Test func upTo26WeeksByDayLongerByWeek() {
        #expect(ReportScale(days: 42) == .days && ReportScale(days: 182) == .days)
        #expect(ReportScale(days: 183) == .weeks && ReportScale(days: 1825) == .weeks)
        #expect(ReportScale.days.slot == "day" && ReportScale.weeks.span == "month")
    }

    @Test func weeklySlotsAverageFourWeeks() {
        let report = Self.report(days: 28)
        let slots = ChartSlot.slots(report, scale: .weeks)
        #expect(slots.map(\.from) == ["2026-11-01", "2026-11-08", "2026-11-15", "2026-11-22"])
        #expect(slots.map(\.pain) == [1, 2, 3, 4])
        // One rated week is not enough for the line; then the mean of up to four.
        #expect(slots.map(\.line) == [nil, 1.5, 2, 2.5])
        #expect(slots.map(\.highest) == [1, 2, 3, 4])
        // 1, 3, 5, 7 … of 7 days: 4 session days in the first week, 3 in the second.
        #expect(slots[0].sessionShare == 4.0 / 7 && slots[1].sessionShare == 3.0 / 7)
        let daily = ChartSlot.slots(report, scale: .days)
        #expect(daily.count == 28 && daily[0].sessionShare == 1 && daily[1].sessionShare == 0)
        #expect(daily[6].line == report.days[6].painSevenDayAverage)
    }

    @Test func marksOpenMonthsAndCarryTheYear() {
        // Weeks from 29 Dec 2025: the first opens December, 5 Jan opens January.
        let weeks = [
            "2025-12-29", "2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26", "2026-02-02", "2026-02-09", "2026-02-16",
            "2026-02-23", "2026-03-02",
        ]
        let marks = AxisMarks.calendar(weeks, width: 600)
        #expect(marks.map(\.slot) == [0, 1, 5, 9])
        #expect(marks.map(\.text) == ["Dec 2025", "Jan 2026", "Feb", "Mar"])
    }

    @Test func crowdedMonthsBecomeQuartersThenYears() {
        let months = (0..<24).map { String(format: "%04d-%02d-01", 2025 + $0 / 12, $0 % 12 + 1) }
        #expect(AxisMarks.calendar(months, width: 24 * AxisMarks.labelWidth).count == 24)
        let quarters = AxisMarks.calendar(months, width: 400)
        #expect(quarters.map(\.text) == ["Jan 2025", "Apr", "Jul", "Oct", "Jan 2026", "Apr", "Jul", "Oct"])
        let years = AxisMarks.calendar(months, width: 100)
        #expect(years.map(\.text) == ["2025", "2026"] && years.map(\.slot) == [0, 12])
    }

    @Test func aLongPeriodIsDrawnByWeekAndMonth() throws {
        let report = Self.report(days: 400)
        let html = ReportPage(report: report, made: Self.day(399), source: "/tmp/h.sqlite", version: "test", calendar: Self.calendar).render()
        #expect(html.contains("<title id=\"pain-title\">Pain, 0 to 10, by week</title>"))
        #expect(html.contains("<h2>Month by month</h2>") && html.contains("<h2>The months in figures</h2>"))
        // 1 Nov 2026 to 5 Dec 2027: 14 months, the last cut to five days.
        #expect(ReportPageTests.count("<tr data-from=", in: html) == 14)
        #expect(html.contains("<th scope=\"row\" class=\"text week\">Nov 2026</th>") && html.contains(">Feb 2027</th>"))
        #expect(html.contains("<th scope=\"row\" class=\"text week\">1–5 Dec 2027</th>"))
        #expect(html.contains("Bars are calendar months; 1–5 Dec 2027 is only part of its month in this period."))
        // 58 weekly points, not 400 daily ones; bars are paths, not a rect each.
        let pain = try #require(ReportPageTests.svgs(html).first { $0.contains("id=\"pain\"") })
        #expect(ReportPageTests.count("<circle", in: pain) == 58 + 1)
        #expect(ReportPageTests.count("<rect", in: html) < 20)
        // The first week is 1 Nov alone (1), the second 1.1: their mean, 1.05, to 0.1.
        #expect(html.contains("the 4-week average went from 1.1 to 9"))
        // A guard against the file growing with the period: 120 listed sessions are most of it.
        #expect(html.utf8.count < 80_000)
    }
}
