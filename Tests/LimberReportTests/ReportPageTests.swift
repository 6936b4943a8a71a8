import Foundation
import FoundationXML
import LimberHistory
import Testing

@testable import LimberReport

/// Three weeks, 2026-11-09 to 2026-11-29, in UTC: a session on weekdays, breaks, pain
/// (two days of 8+ in the last week), and one session rated before and after.
@Suite struct ReportPageTests {
    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        return calendar
    }()

    static func date(_ day: Int, _ hour: Int = 0, _ minute: Int = 0) -> Date {
        calendar.date(from: DateComponents(year: 2026, month: 11, day: day, hour: hour, minute: minute)) ?? .distantPast
    }

    static func iso(_ day: Int, _ hour: Int, _ minute: Int = 0) -> String { HistoryTime.iso8601(date(day, hour, minute)) }

    static let snapshot: HistorySnapshot = {
        var runs: [SessionRunEntry] = []
        var breaks: [BreakEntry] = []
        var pain: [PainEntry] = []
        for day in 9...29 {
            let weekday = calendar.component(.weekday, from: date(day))
            guard (2...6).contains(weekday) else { continue }
            runs.append(
                SessionRunEntry(
                    session: "morning-mobility", name: "Morning <mobility>", kind: "exercise", started: iso(day, 8),
                    ended: iso(day, 8, 12), plannedMs: 720_000, actualMs: 720_000, stepsCompleted: 18, steps: 18,
                    stepsSkipped: 0, outcome: "completed"))
            breaks.append(BreakEntry(kind: .movement, due: iso(day, 10), outcome: .taken, ended: iso(day, 10, 3)))
            breaks.append(BreakEntry(kind: .movement, due: iso(day, 14), outcome: day % 2 == 0 ? .skipped : .missed))
            pain.append(PainEntry(level: day >= 23 && day % 3 == 0 ? 8 : 4, time: iso(day, 21)))
        }
        pain.append(PainEntry(level: 6, time: iso(10, 8, 0), session: "morning-mobility", moment: .before))
        pain.append(PainEntry(level: 3, time: iso(10, 8, 15), session: "morning-mobility", moment: .after))
        return HistorySnapshot(runs: runs, breaks: breaks, pain: pain.sorted { $0.time < $1.time })
    }()

    static func page(_ snapshot: HistorySnapshot) -> String {
        let report = HistoryReport.make(snapshot, first: date(9), last: date(29), today: date(29, 22), calendar: calendar)
        return ReportPage(report: report, made: date(29, 22, 5), source: "/tmp/history.sqlite", version: "test", calendar: calendar).render()
    }

    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    /// Each `<svg>…</svg>` of the page.
    static func svgs(_ html: String) -> [String] {
        html.components(separatedBy: "<svg").dropFirst().compactMap { part in
            part.range(of: "</svg>").map { "<svg" + part[..<$0.upperBound] }
        }
    }

    @Test func theFiguresAreOnThePage() {
        let html = Self.page(Self.snapshot)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"))
        #expect(html.contains("<title>Limber report, 9–29 Nov 2026</title>"))
        #expect(html.contains("Made on 29 November 2026 at 22:05."))
        // 15 weekdays × 12 minutes.
        #expect(html.contains("<span data-figure=\"sessions\">15</span>"))
        #expect(html.contains("<span data-figure=\"total-minutes\">180</span>"))
        #expect(html.contains("<span data-figure=\"breaks-taken\">15</span>"))
        #expect(html.contains("<tr data-from=\"2026-11-23\" data-to=\"2026-11-29\">"))
        #expect(html.contains("<td data-figure=\"exercise\">60</td>"))
        // The rated session, and names escaped.
        #expect(html.contains("<td class=\"text\"><span class=\"weekday\">Tue </span>10 Nov 08:00</td><td class=\"text\">Morning &lt;mobility&gt;</td>"))
        #expect(html.contains("<td data-figure=\"before\">6</td><td data-figure=\"after\">3</td>"))
        #expect(html.contains("the rating after was 3 points lower than the rating before"))
        // 24 and 27 Nov are rated 8: the severe-pain finding.
        #expect(html.contains("data-rule=\"severe-pain-twice-in-a-week\""))
        #expect(html.contains("on 2 days in the week 23–29 Nov 2026 (24 Nov, 27 Nov)"))
        #expect(html.contains("How to read this"))
        // 15 sessions are kept on one printed page; no program has run.
        #expect(html.contains("<section id=\"sessions\" class=\"keep\">"))
        #expect(html.contains("No program ran in this period"))
    }

    @Test func selfContainedAndAccessible() throws {
        let html = Self.page(Self.snapshot)
        #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("<img"))
        #expect(!html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http"))
        let svgs = Self.svgs(html)
        #expect(svgs.count == 4)
        for svg in svgs {
            #expect(svg.contains("role=\"img\""))
            let id = try #require(svg.firstMatch(of: #/id="([a-z]+)"/#)?.output.1)
            #expect(svg.contains("aria-labelledby=\"\(id)-title \(id)-desc\""))
            #expect(Self.count("<title id=\"\(id)-title\">", in: svg) == 1 && Self.count("<desc id=\"\(id)-desc\">", in: svg) == 1)
            // Every chart is well-formed XML.
            let parser = XMLParser(data: Data(svg.utf8))
            #expect(parser.parse(), "\(id): \(parser.parserError.map { "\($0)" } ?? "")")
        }
        // Series told apart without colour: patterns in the bar charts, triangles for 8+.
        #expect(Self.count("<pattern", in: html) == 7)
        #expect(html.contains("class=\"flag\""))
    }

    @Test func theDescriptionsSayWhatTheChartsShow() {
        let html = Self.page(Self.snapshot)
        #expect(html.contains("15 rated days between 9 Nov 2026 and 29 Nov 2026. Daily averages from 4 to 8"))
        #expect(html.contains("2 days with a rating of 8 or more; 15 days with a session."))
        #expect(html.contains("3 weeks; 180 minutes in all."))
        #expect(html.contains("15 taken, 0 natural, 0 snoozed, 7 skipped and 8 missed in all."))
        // From the 10:03 break end through the 14:00 break not taken: 3:57 every weekday.
        #expect(html.contains("15 of 21 days have records. The longest was 3:57 (hours:minutes) on 9 Nov 2026"))
    }

    @Test func anEmptyHistorySaysSoWithoutCharts() {
        let html = Self.page(HistorySnapshot())
        #expect(html.contains("Nothing recorded yet"))
        #expect(html.contains("Limber has no sessions, breaks or pain ratings between 9 Nov 2026 and 29 Nov 2026"))
        #expect(!html.contains("<svg"))
        #expect(html.contains("When to see a professional") && html.contains("How to read this"))
    }

    @Test func aPeriodWithoutRatingsOrBreaksSaysWhatIsMissing() {
        let html = Self.page(HistorySnapshot(runs: Self.snapshot.runs))
        #expect(html.contains("No pain ratings in this period"))
        #expect(html.contains("No movement-break records in this period, so Limber cannot tell how long you sat."))
        #expect(Self.svgs(html).count == 2)
        #expect(html.contains("your ratings show none of the patterns Limber looks for"))
    }

    @Test func longPeriodsListTheLatestSessions() {
        var runs: [SessionRunEntry] = []
        for index in 0..<150 {
            let start = Self.date(9).addingTimeInterval(Double(index) * 3_000)
            runs.append(
                SessionRunEntry(
                    session: "s", name: "S\(index)", kind: "posture", started: HistoryTime.iso8601(start),
                    ended: HistoryTime.iso8601(start.addingTimeInterval(60)), plannedMs: 60_000, actualMs: 60_000,
                    stepsCompleted: 1, steps: 1, stepsSkipped: 0, outcome: "completed"))
        }
        let html = Self.page(HistorySnapshot(runs: runs))
        #expect(html.contains("The latest 120 of 150 sessions") && html.contains("<section id=\"sessions\"><h2>"))
        #expect(!html.contains(">S29<") && html.contains(">S30<") && html.contains(">S149<"))
    }
}
