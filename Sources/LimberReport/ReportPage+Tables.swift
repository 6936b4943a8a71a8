import Foundation
import LimberHistory

extension ReportPage {
    /// One row a week (a month, in a long period): every figure the bar charts draw, and the
    /// span's pain and sitting.
    func weeklyTable(_ page: inout Markup) {
        page.wrap("section", ["id": "weeks"]) { section in
            section.element("h2", text: "The \(scale.span)s in figures")
            section.wrap("table", ["class": "weeks"]) { table in
                table.wrap("thead") {
                    $0.wrap("tr") { row in
                        for heading in [
                            scale.span.capitalized, "Exercise min", "Heat min", "Mindful\u{AD}ness min", "Posture min", "All min", "Sessions",
                            "Breaks taken", "Natural", "Snoozed", "Skipped", "Missed", "Longest sitting", "Pain avg",
                        ] { row.element("th", ["scope": "col"], text: heading) }
                    }
                }
                table.wrap("tbody") { body in
                    for week in spans {
                        body.wrap("tr", ["data-from": week.from, "data-to": week.to]) { row in
                            row.element("th", ["scope": "row", "class": "text week"], text: scale == .days ? Self.weekLabel(week) : Self.monthLabel(week))
                            for kind in HistoryStats.kinds {
                                row.element("td", ["data-figure": kind], text: Number.whole(week.sessionMinutes[kind] ?? 0))
                            }
                            row.element("td", ["data-figure": "total"], text: Number.whole(week.totalMinutes))
                            row.element("td", ["data-figure": "sessions"], text: String(week.sessions))
                            let b = week.breaks
                            for (key, count) in [("taken", b.taken), ("natural", b.natural), ("snoozed", b.snoozed), ("skipped", b.skipped), ("missed", b.missed)] {
                                row.element("td", ["data-figure": key], text: String(count))
                            }
                            row.element("td", ["data-figure": "sitting"], text: week.longestSittingMinutes.map(Number.clock) ?? "–")
                            row.element("td", ["data-figure": "pain"], text: week.pain.average.map(Number.tenth) ?? "–")
                        }
                    }
                }
            }
            section.element("p", ["class": "note"], text: "Minutes are rounded to whole minutes; longest sitting is hours:minutes; pain is the average of the rated days' averages.")
        }
    }

    /// The sessions of the period (the latest ``listedSessions`` of a longer one), oldest
    /// first, with the ratings given around them.
    func sessionsTable(_ page: inout Markup) {
        let all = report.sessions
        // A list that fits on a page is kept together on paper (`keep`), rather than starting
        // as a row or two at the foot of one; a longer one flows on from where it starts.
        let attributes: KeyValuePairs<String, String> = all.count <= Self.keptSessions ? ["id": "sessions", "class": "keep"] : ["id": "sessions"]
        page.wrap("section", attributes) { section in
            section.element("h2", text: "Sessions")
            guard !all.isEmpty else {
                section.element("p", ["class": "empty"], text: "No guided sessions in this period. limber sessions lists them; limber start desk-reset runs one.")
                return
            }
            let listed = all.suffix(Self.listedSessions)
            if listed.count < all.count {
                section.element("p", ["class": "note"], text: "The latest \(listed.count) of \(all.count) sessions; limber history --limit \(all.count) lists them all.")
            }
            // Two columns on paper: a table of short rows would otherwise fill a page with margins.
            section.open("div", ["class": "columns"])
            section.wrap("table", ["class": "sessions"]) { table in
                table.wrap("thead") {
                    $0.wrap("tr") { row in
                        for (heading, style) in [
                            ("Started", "text"), ("Session", "text"), ("Kind", "text kind"), ("Minutes", ""), ("Steps", ""),
                            ("Pain before", ""), ("Pain after", ""),
                        ] { row.element("th", ["scope": "col", "class": style], text: heading) }
                    }
                }
                table.wrap("tbody") { body in
                    for session in listed {
                        let run = session.run
                        body.wrap("tr") { row in
                            row.wrap("td", ["class": "text"]) { cell in
                                let time = startTime(run.started)
                                // The weekday gives way on paper, where two columns are narrow.
                                cell.element("span", ["class": "weekday"], text: time.weekday + " ")
                                cell.text(time.day)
                            }
                            row.element("td", ["class": "text"], text: run.name)
                            row.element("td", ["class": "text kind"], text: run.kind)
                            row.element("td", text: Number.tenth(Double(run.actualMs) / 60_000))
                            // stopped, interrupted (limberd died during it) or running
                            let ended = run.outcome == "completed" ? "" : " \(run.outcome)"
                            row.element("td", ["class": "steps"], text: "\(run.stepsCompleted)/\(run.steps)\(ended)")
                            row.element("td", ["data-figure": "before"], text: session.before.map(String.init) ?? "–")
                            row.element("td", ["data-figure": "after"], text: session.after.map(String.init) ?? "–")
                        }
                    }
                }
            }
            section.close()
            let rated = all.filter { $0.before != nil && $0.after != nil }
            if !rated.isEmpty {
                let change = Double(rated.reduce(0) { $0 + (($1.after ?? 0) - ($1.before ?? 0)) }) / Double(rated.count)
                let direction = abs(change) < 0.05 ? "the same as" : "\(Number.tenth(abs(change))) points \(change < 0 ? "lower" : "higher") than"
                section.element(
                    "p", ["class": "note"],
                    text: "\(rated.count) session\(rated.count == 1 ? " was" : "s were") rated before and after: on average the rating after was \(direction) the rating before.")
            }
        }
    }

    /// Sessions that print on one page in two columns, with the heading.
    static let keptSessions = 80

    /// `22–28 Oct`, `29 Oct – 4 Nov`: the year is in the heading.
    static func weekLabel(_ week: ReportSpan) -> String {
        week.from == week.to ? HistoryDate.short(week.from) : HistoryDate.range(week.from, week.to).replacingOccurrences(of: #" \d{4}"#, with: "", options: .regularExpression)
    }

    /// `Nov 2026`; `30–31 Oct 2026` for a month cut by the period's ends.
    static func monthLabel(_ month: ReportSpan) -> String {
        guard isWholeMonth(month), let date = HistoryDate.parts(month.from) else { return HistoryDate.range(month.from, month.to) }
        return "\(HistoryDate.months[date.month - 1]) \(date.year)"
    }

    /// Whether a span runs from the first to the last day of one month (Gregorian).
    static func isWholeMonth(_ span: ReportSpan) -> Bool {
        guard let from = HistoryDate.parts(span.from), let to = HistoryDate.parts(span.to), from.day == 1,
            (from.year, from.month) == (to.year, to.month)
        else { return false }
        let leap = to.year % 4 == 0 && (to.year % 100 != 0 || to.year % 400 == 0)
        let length = to.month == 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].contains(to.month) ? 30 : 31
        return to.day == length
    }

    /// `Mon`, `2 Nov 08:03`, local.
    func startTime(_ iso: String) -> (weekday: String, day: String) {
        guard let date = HistoryTime.parse(iso) else { return ("", iso) }
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: date)
        let weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][((parts.weekday ?? 1) - 1) % 7]
        return (weekday, "\(HistoryDate.short(Self.dayLabel(parts))) " + String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0))
    }
}
