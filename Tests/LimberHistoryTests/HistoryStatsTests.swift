import Foundation
import Testing

@testable import LimberHistory

/// November 2026 in Berlin (UTC+1 all month; the 1st is a Sunday), built by hand so that
/// every figure below can be worked out on paper:
/// - weekdays: exercise 08:00–08:10 completed (10 min); Mon/Wed/Fri also mindfulness
///   12:00–12:05 completed (5 min); movement breaks 10:00 taken (ended 10:03), 11:00 skipped,
///   12:30 missed, 14:00 taken after 1 snooze (ended 14:10), 16:00 natural (ended 16:30);
/// - Saturdays: heat 10:00–10:20 completed (heat never resets the sitting clock);
/// - Tue 10th: an exercise run stopped after 3 min at 18:00;
/// - Fri 20th: a movement break at 17:00 snoozed twice and never taken;
/// - Sun 29th: a posture break taken at 11:00;
/// - pain every day at 21:00, level = day % 5; Mondays also 7 at 07:55; 10 at 00:30 on
///   Sun 15th (still the 14th in UTC).
@Suite struct HistoryStatsTests {
    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Berlin") ?? .gmt
        return calendar
    }()

    static func at(_ day: Int, _ hour: Int, _ minute: Int) -> Date {
        calendar.date(from: DateComponents(year: 2026, month: 11, day: day, hour: hour, minute: minute)) ?? .distantPast
    }

    static func iso(_ day: Int, _ hour: Int, _ minute: Int) -> String { HistoryTime.iso8601(at(day, hour, minute)) }

    static func run(_ day: Int, _ hour: Int, _ kind: String, minutes: Int, outcome: String = "completed") -> SessionRunEntry {
        SessionRunEntry(
            session: kind + "-session", name: kind, kind: kind, started: iso(day, hour, 0), ended: iso(day, hour, minutes),
            plannedMs: Int64(minutes) * 60_000, actualMs: Int64(minutes) * 60_000, stepsCompleted: 3, steps: 3,
            stepsSkipped: 0, outcome: outcome, reason: outcome == "stopped" ? "user" : nil)
    }

    static func movement(_ day: Int, _ hour: Int, _ minute: Int, _ outcome: BreakEntry.Outcome, snoozes: Int = 0, ended: (Int, Int)? = nil) -> BreakEntry {
        BreakEntry(kind: .movement, due: iso(day, hour, minute), outcome: outcome, snoozeCount: snoozes, ended: ended.map { iso(day, $0.0, $0.1) })
    }

    static let month: HistorySnapshot = {
        var runs: [SessionRunEntry] = []
        var breaks: [BreakEntry] = []
        var pain: [PainEntry] = []
        for day in 1...30 {
            let weekday = calendar.component(.weekday, from: at(day, 12, 0))  // 1 = Sunday
            if (2...6).contains(weekday) {
                runs.append(run(day, 8, "exercise", minutes: 10))
                if [2, 4, 6].contains(weekday) { runs.append(run(day, 12, "mindfulness", minutes: 5)) }
                breaks += [
                    movement(day, 10, 0, .taken, ended: (10, 3)), movement(day, 11, 0, .skipped),
                    movement(day, 12, 30, .missed), movement(day, 14, 0, .taken, snoozes: 1, ended: (14, 10)),
                    movement(day, 16, 0, .natural, ended: (16, 30)),
                ]
            }
            if weekday == 7 { runs.append(run(day, 10, "heat", minutes: 20)) }
            if weekday == 2 { pain.append(PainEntry(level: 7, time: iso(day, 7, 55))) }
            pain.append(PainEntry(level: day % 5, time: iso(day, 21, 0)))
        }
        runs.append(run(10, 18, "exercise", minutes: 3, outcome: "stopped"))
        breaks.append(movement(20, 17, 0, .snoozed, snoozes: 2))
        breaks.append(BreakEntry(kind: .posture, due: iso(29, 11, 0), outcome: .taken, ended: iso(29, 11, 1)))
        pain.append(PainEntry(level: 10, time: iso(15, 0, 30)))
        return HistorySnapshot(runs: runs, breaks: breaks, pain: pain)
    }()

    static let stats = HistoryStats.compute(month, first: at(1, 0, 0), last: at(30, 0, 0), today: at(30, 22, 0), calendar: calendar)

    static func day(_ number: Int) -> DayStats { stats.days[number - 1] }

    @Test func periodAndTotals() {
        let stats = Self.stats
        #expect(stats.days.count == 30)
        #expect(stats.from == "2026-11-01" && stats.to == "2026-11-30")
        // 21 weekdays × 10 + 3 stopped = 213 exercise; 13 MWF × 5 = 65; 4 Saturdays × 20 = 80.
        #expect(stats.totalMinutes == 358)
        #expect(stats.breaks == BreakCounts(taken: 43, natural: 21, snoozed: 1, skipped: 21, missed: 21))
        // Σ day%5 over 30 days = 60, + 5 Mondays × 7 + 10 = 105 over 36 ratings.
        #expect(stats.painAverage == 2.9)
        // Mon 30 back to Mon 23 (Sat heat, Sun 29 posture break); Sun 22 has nothing.
        #expect(stats.streakDays == 8)
    }

    @Test func aMondayWithMindfulness() {
        let day = Self.day(2)
        #expect(day.date == "2026-11-02")
        #expect(day.sessionMinutes == ["exercise": 10, "mindfulness": 5])
        #expect(day.totalMinutes == 15 && day.sessions == 2)
        #expect(day.breaks == BreakCounts(taken: 2, natural: 1, snoozed: 0, skipped: 1, missed: 1))
        // Resets 08:10, 10:03, 12:05, 14:10, 16:30: the longest run is 14:10 → 16:30.
        #expect(day.longestSittingMinutes == 140)
        #expect(day.painAverage == 4.5 && day.painEntries == 2)
    }

    @Test func aTuesdayWithoutTheMiddayReset() {
        // 10:03 → 14:10 through the skipped 11:00 and the missed 12:30: 247 min.
        #expect(Self.day(3).longestSittingMinutes == 247)
        #expect(Self.day(3).painAverage == 3)
        // The stopped run adds its minutes but resets nothing.
        #expect(Self.day(10).sessionMinutes == ["exercise": 13])
        #expect(Self.day(10).sessions == 2)
        #expect(Self.day(10).longestSittingMinutes == 247)
    }

    @Test func weekendsAndTimeZoneBoundaries() {
        let saturday = Self.day(7)
        #expect(saturday.sessionMinutes == ["heat": 20])
        #expect(saturday.breaks == BreakCounts())
        #expect(saturday.longestSittingMinutes == nil)
        // The 00:30 rating on the 15th is 23:30 UTC on the 14th: it belongs to the 15th.
        #expect(Self.day(14).painAverage == 4 && Self.day(14).painEntries == 1)
        #expect(Self.day(15).painAverage == 5 && Self.day(15).painEntries == 2)
        // A posture break is counted but is not a movement reset.
        #expect(Self.day(29).breaks.taken == 1 && Self.day(29).longestSittingMinutes == nil)
        #expect(Self.day(20).breaks.snoozed == 1 && Self.day(20).longestSittingMinutes == 140)
    }

    @Test func sessionsWithoutBreakRecordsSayNothingAboutSitting() {
        let snapshot = HistorySnapshot(runs: [Self.run(7, 8, "exercise", minutes: 10), Self.run(7, 12, "exercise", minutes: 10)])
        let stats = HistoryStats.compute(snapshot, first: Self.at(7, 0, 0), last: Self.at(7, 0, 0), today: Self.at(7, 20, 0), calendar: Self.calendar)
        #expect(stats.days.count == 1 && stats.days[0].totalMinutes == 20)
        #expect(stats.days[0].longestSittingMinutes == nil)
    }

    @Test func streakAllowsTodayToBeStillEmpty() {
        let runs = [Self.run(27, 8, "exercise", minutes: 10), Self.run(28, 8, "exercise", minutes: 10)]
        let snapshot = HistorySnapshot(runs: runs)
        #expect(HistoryStats.streak(activity: snapshot.activity, today: Self.at(29, 9, 0), calendar: Self.calendar) == 2)
        #expect(HistoryStats.streak(activity: snapshot.activity, today: Self.at(30, 9, 0), calendar: Self.calendar) == 0)
    }

    @Test func csvShape() {
        let lines = HistoryText.csv(Self.stats).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first.map(String.init) == HistoryText.csvHeader)
        #expect(lines.count == 32)  // header, 30 days, trailing newline
        #expect(lines[2] == "2026-11-02,10,0,5,0,15,2,2,1,0,1,1,140,4.5,2")
        #expect(lines[7] == "2026-11-07,0,20,0,0,20,1,0,0,0,0,0,,2,1")
        for line in lines.dropLast() { #expect(line.split(separator: ",", omittingEmptySubsequences: false).count == 15) }
    }

    @Test func jsonShape() throws {
        let data = try HistoryText.json(Self.stats)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["from", "to", "time_zone", "streak_days", "days", "total_minutes", "breaks", "pain_average"])
        #expect(object["time_zone"] as? String == "Europe/Berlin")
        #expect(object["streak_days"] as? Int == 8)
        let days = try #require(object["days"] as? [[String: Any]])
        #expect(days.count == 30)
        let monday = days[1]
        #expect(Set(monday.keys) == [
            "date", "session_minutes", "total_minutes", "sessions", "breaks", "longest_sitting_minutes", "pain_average",
            "pain_entries",
        ])
        #expect(monday["session_minutes"] as? [String: Double] == ["exercise": 10, "mindfulness": 5])
        #expect(monday["breaks"] as? [String: Int] == ["taken": 2, "natural": 1, "snoozed": 0, "skipped": 1, "missed": 1])
        #expect(monday["longest_sitting_minutes"] as? Int == 140)
        // A day without movement breaks has no sitting figure and no key.
        #expect(days[6]["longest_sitting_minutes"] == nil)
    }

    @Test func chartHasOneColumnPerDayAndBlankForNoPain() {
        let chart = HistoryText.chart(Self.stats).split(separator: "\n")
        #expect(chart.count == 3)
        let sessions = chart[0].split(separator: "│")[1]
        #expect(sessions.count == 30)
        // The busiest days (Saturdays, 20 min) get full blocks.
        #expect(Array(sessions)[6] == "█")
        let empty = HistoryStats.compute(HistorySnapshot(), first: Self.at(1, 0, 0), last: Self.at(3, 0, 0), today: Self.at(3, 0, 0), calendar: Self.calendar)
        #expect(HistoryText.chart(empty).contains("pain     │   │"))
        #expect(HistoryText.chart(Self.stats, width: 10).contains("one column per 3 days"))
    }
}
