import Foundation
import LimberHistory

/// The HTML report: one self-contained file (inline CSS and SVG, no script, nothing fetched),
/// for the screen and for A4 paper.
public struct ReportPage: Sendable {
    public var report: HistoryReport
    /// When it was made, in words (`2 December 2026 at 10:31`).
    public var made: String
    /// Where the records came from, for the footer.
    public var source: String
    public var version: String
    /// The calendar whose time zone the days are in (session times are shown in it).
    public var calendar: Calendar

    /// Sessions listed at most; a longer period lists its latest ones and says so.
    public static let listedSessions = 120

    /// By day and week, or (a period of more than 26 weeks) by week and month.
    public var scale: ReportScale { ReportScale(days: report.days.count) }

    /// The bars of the bar charts and the rows of the table: weeks, or months.
    var spans: [ReportSpan] { scale == .days ? report.weeks : report.months }

    public init(report: HistoryReport, made: Date, source: String, version: String, calendar: Calendar) {
        self.report = report
        self.made = Self.words(made, calendar: calendar)
        self.source = source
        self.version = version
        self.calendar = calendar
    }

    /// `2 December 2026 at 10:31`.
    static func words(_ date: Date, calendar: Calendar) -> String {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return HistoryDate.long(dayLabel(parts)) + String(format: " at %02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }

    /// `YYYY-MM-DD` of a date's components.
    static func dayLabel(_ parts: DateComponents) -> String {
        String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 1, parts.day ?? 1)
    }

    /// `22 October – 2 December 2026`.
    var period: String { HistoryDate.range(report.stats.from, report.stats.to) }

    /// The whole document.
    public func render() -> String {
        var page = Markup()
        page.raw("<!DOCTYPE html>\n")
        page.open("html", ["lang": "en"])
        page.wrap("head") { head in
            head.raw("<meta charset=\"utf-8\">")
            head.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            head.element("title", text: "Limber report, \(period)")
            head.open("style")
            head.raw(ReportStyle.css)
            head.close()
        }
        page.open("body")
        header(&page)
        if report.isEmpty {
            page.wrap("section", ["id": "empty"]) {
                $0.element("h2", text: "Nothing recorded yet")
                $0.element(
                    "p", ["class": "empty"],
                    text: "Limber has no sessions, breaks or pain ratings between \(HistoryDate.medium(report.stats.from)) and \(HistoryDate.medium(report.stats.to)), so there is nothing to chart. Run a session (limber start desk-reset), answer your break reminders, or record your pain (limber log pain 3), then make the report again; or choose a longer period with --days or --since.")
            }
            advice(&page)
        } else {
            summary(&page)
            advice(&page)
            charts(&page)
            weeklyTable(&page)
            programs(&page)
            sessionsTable(&page)
        }
        howToRead(&page)
        page.wrap("footer") {
            $0.element("p", text: "Made by limber report \(version) from \(source). Days are local days in the time zone \(report.stats.timeZone). limber stats --since \(report.stats.from) prints the same figures.")
        }
        return page.result
    }

    func header(_ page: inout Markup) {
        page.wrap("header") {
            $0.element("h1", text: "Limber report")
            let days = report.stats.days.count
            $0.element("p", ["class": "period"], text: "\(period): \(days) day\(days == 1 ? "" : "s"), time zone \(report.stats.timeZone). Made on \(made).")
        }
    }

    func summary(_ page: inout Markup) {
        let stats = report.stats
        let b = stats.breaks
        let sessions = stats.days.reduce(0) { $0 + $1.sessions }
        let sessionDays = stats.days.filter { $0.sessions > 0 }.count
        let ratings = stats.days.reduce(0) { $0 + $1.painEntries }
        page.wrap("section", ["id": "summary"]) { section in
            section.element("h2", text: "The period in figures")
            section.wrap("dl", ["class": "figures"]) { list in
                // The figure and its unit on one line, the detail on the next: boxes of one height.
                func figure(_ name: String, _ key: String, _ value: String, unit: String = "", _ detail: String) {
                    list.wrap("div") {
                        $0.element("dt", text: name)
                        $0.wrap("dd") {
                            $0.element("span", ["data-figure": key], text: value)
                            if !unit.isEmpty { $0.element("span", ["class": "unit"], text: unit) }
                            $0.element("small", text: detail)
                        }
                    }
                }
                figure("Guided sessions", "sessions", String(sessions), "on \(sessionDays) day\(sessionDays == 1 ? "" : "s")")
                figure("Session time", "total-minutes", Number.whole(stats.totalMinutes), unit: "minutes", "in guided sessions")
                figure("Breaks taken", "breaks-taken", String(b.taken), "and \(b.natural) natural")
                figure("Breaks not taken", "breaks-not-taken", String(b.snoozed + b.skipped + b.missed), "\(b.snoozed) snoozed, \(b.skipped) skipped, \(b.missed) missed")
                figure("Average pain", "pain-average", stats.painAverage.map(Number.tenth) ?? "–", unit: ratings == 0 ? "" : "/10", ratings == 0 ? "no ratings" : "over \(ratings) rating\(ratings == 1 ? "" : "s")")
                figure("Streak", "streak", String(stats.streakDays), unit: stats.streakDays == 1 ? "day" : "days", "in a row, to today")
            }
        }
    }

    func charts(_ page: inout Markup) {
        page.wrap("section", ["id": "pain"]) { section in
            section.element("h2", text: "Pain over time")
            if report.days.contains(where: { $0.stats.painAverage != nil }) {
                figure(&section, caption: painCaption) {
                    PainChart(report: report, scale: scale).render(into: &$0)
                }
            } else {
                section.element("p", ["class": "empty"], text: "No pain ratings in this period. Record one with limber log pain N (0 none, 10 worst), or rate sessions with limber start ID --rate.")
            }
        }
        page.wrap("section", ["id": "weekly"]) { section in
            section.element("h2", text: "\(scale.span.capitalized) by \(scale.span)")
            var (minutes, breaks) = (minutesChart, breaksChart)
            minutes.minimumLegendRows = breaks.legendRows
            breaks.minimumLegendRows = minutes.legendRows
            section.wrap("div", ["class": "pair"]) { pair in
                figure(&pair, caption: "Minutes of guided sessions a \(scale.span), by kind.") { minutes.render(into: &$0) }
                figure(&pair, caption: "Movement and posture breaks a \(scale.span), by what happened to them.") { breaks.render(into: &$0) }
            }
            if let note = partialSpansNote { section.element("p", ["class": "note"], text: note) }
        }
        page.wrap("section", ["id": "sitting"]) { section in
            section.element("h2", text: "Longest sitting stretch a \(scale.slot)")
            let chart = SittingChart(report: report, scale: scale)
            if chart.recordedDays > 0 {
                figure(&section, caption: "The longest time between two movement breaks (taken or natural) or completed sessions, as far as the records show: a lower bound, since sitting before the first reminder of a day and after the last is not recorded. \(scale == .days ? "Days" : "Each bar is a week's longest day; weeks") without break records have no bar.") {
                    chart.render(into: &$0)
                }
            } else {
                section.element("p", ["class": "empty"], text: "No movement-break records in this period, so Limber cannot tell how long you sat. limberd records breaks while it runs: start it with systemctl --user start limberd.")
            }
        }
    }

    func figure(_ page: inout Markup, caption: String, _ chart: (inout Markup) -> Void) {
        page.wrap("figure") {
            chart(&$0)
            $0.element("figcaption", text: caption)
        }
    }

    /// The pain chart's caption, by day or by week.
    var painCaption: String {
        guard scale == .weeks else {
            return "Each point is a day's average rating; the line is the average of the last 7 days (drawn where at least \(HistoryReport.sevenDayMinimum) of them are rated). Triangles mark a rating of 8 or more; squares along the top, days with a guided session."
        }
        return "A period this long is drawn by week: each point is a week's average rating (the mean of its days' averages); the line is the average of the last 4 weeks (drawn where at least 2 of them are rated). Triangles mark the highest rating of a week with an 8 or more; the bars along the top are as tall as the share of the week's days with a guided session."
    }

    /// Says which bars stand for fewer days than the others: a short first week, or the
    /// first and last months cut to the period.
    var partialSpansNote: String? {
        guard let first = spans.first, let last = spans.last else { return nil }
        if scale == .days {
            guard first.days < 7 else { return nil }
            return "The first week, \(HistoryDate.range(first.from, first.to)), has only \(first.days) day\(first.days == 1 ? "" : "s") in this period."
        }
        let cut = (first == last ? [first] : [first, last]).filter { !Self.isWholeMonth($0) }.map { HistoryDate.range($0.from, $0.to) }
        guard !cut.isEmpty else { return "Bars are calendar months." }
        return "Bars are calendar months; \(cut.joined(separator: " and ")) \(cut.count == 1 ? "is only part of its month" : "are only parts of their months") in this period."
    }

    /// Under the bars: every week's first day, or months, quarters or years.
    var spanLabels: [String] {
        guard scale == .weeks else { return spans.map { HistoryDate.short($0.from) } }
        var labels = [String](repeating: "", count: spans.count)
        let width = ChartFrame(width: StackedBarChart.halfWidth, height: 0, slots: 1, yMax: 1).plotWidth
        for mark in AxisMarks.calendar(spans.map(\.from), width: width) { labels[mark.slot] = mark.text }
        return labels
    }

    var minutesChart: StackedBarChart {
        let fills: [Fill] = [
            .solid("#1f4e79"), .hatch("#d9822b", ground: "#fbe6d0"), .dots("#2a7f62", ground: "#dcefe7"),
            .cross("#6c3483", ground: "#eee1f3"),
        ]
        let series = zip(HistoryStats.kinds, fills).map { kind, fill in
            StackedBarChart.Series(label: kind, fill: fill, values: spans.map { $0.sessionMinutes[kind] ?? 0 })
        }
        let totals = spans.map(\.totalMinutes)
        let busiest = totals.indices.max { totals[$0] < totals[$1] }
        var description = "Session minutes per \(scale.span), stacked by kind (exercise, heat, mindfulness, posture), \(spans.count) \(scale.span)s; \(Number.whole(report.stats.totalMinutes)) minutes in all."
        if let busiest, totals[busiest] > 0 {
            let week = spans[busiest]
            description += " The most was \(Number.whole(totals[busiest])) minutes in the \(scale.span) \(HistoryDate.range(week.from, week.to))."
        }
        return StackedBarChart(id: "minutes", title: "Minutes of sessions per \(scale.span), by kind", description: description, barLabels: spanLabels, series: series, unit: "min")
    }

    var breaksChart: StackedBarChart {
        let outcomes: [(String, Fill, (BreakCounts) -> Int)] = [
            ("taken", .solid("#1f4e79"), \.taken), ("natural", .dots("#2a7f62", ground: "#dcefe7"), \.natural),
            ("snoozed", .lines("#7d6608", ground: "#f7efc8"), \.snoozed), ("skipped", .hatch("#d9822b", ground: "#fbe6d0"), \.skipped),
            ("missed", .cross("#c0392b", ground: "#ffffff"), \.missed),
        ]
        let series = outcomes.map { label, fill, count in
            StackedBarChart.Series(label: label, fill: fill, values: spans.map { Double(count($0.breaks)) })
        }
        let b = report.stats.breaks
        let description = "Breaks per \(scale.span), stacked by outcome, \(spans.count) \(scale.span)s: \(b.taken) taken, \(b.natural) natural, \(b.snoozed) snoozed, \(b.skipped) skipped and \(b.missed) missed in all."
        return StackedBarChart(id: "breaks", title: "Breaks per \(scale.span), by outcome", description: description, barLabels: spanLabels, series: series, unit: "")
    }
}
