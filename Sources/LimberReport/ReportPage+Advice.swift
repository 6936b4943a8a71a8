import LimberHistory

extension ReportPage {
    /// Findings listed at most; older ones are counted.
    static let listedFindings = 6

    /// The see-a-professional section: what the rules found, then the symptoms no record can
    /// show, which always need a doctor.
    func advice(_ page: inout Markup) {
        page.wrap("section", ["id": "advice"]) { section in
            section.element("h2", text: "When to see a professional")
            let findings = report.advice.sorted { $0.week > $1.week }
            if findings.isEmpty {
                section.element(
                    "p", ["class": "advice none"],
                    text: "In this period your ratings show none of the patterns Limber looks for: pain of 8/10 or more on two days of one week, pain rising three weeks running, or no improvement over six weeks.")
            }
            for finding in findings.prefix(Self.listedFindings) {
                section.wrap("div", ["class": "advice", "data-rule": finding.rule]) {
                    $0.element("p", text: finding.seen)
                    $0.element("p", text: finding.advice)
                }
            }
            if findings.count > Self.listedFindings {
                section.element("p", ["class": "note"], text: "\(findings.count - Self.listedFindings) earlier finding\(findings.count - Self.listedFindings == 1 ? "" : "s") of this kind in the period are not listed: make a report of a shorter period to see them.")
            }
            section.element(
                "p",
                text: "Get medical help urgently (in the UK: an urgent GP appointment or NHS 111; call 999 in an emergency) if you have back pain with any of these, whatever the charts show:")
            section.wrap("ul", ["class": "urgent"]) { list in
                for symptom in [
                    "numbness or tingling around your genitals or buttocks, or in a leg",
                    "difficulty peeing, or loss of bladder or bowel control",
                    "weakness in a leg or foot, or a foot that drags",
                    "a high temperature, or weight loss you cannot explain",
                    "pain after a fall or an accident, or pain that is worse at night and does not ease with rest",
                ] { list.element("li", text: symptom) }
            }
            section.element("p", ["class": "note"], text: "Limber only counts what you record. It cannot tell why you have pain or diagnose anything; if you are worried, ask a GP or a physiotherapist.")
        }
    }

    /// A short guide to the report, for the person and their physiotherapist.
    func howToRead(_ page: inout Markup) {
        page.wrap("section", ["id": "how-to-read"]) { section in
            section.element("h2", text: "How to read this")
            section.wrap("ul") { list in
                for line in [
                    scale == .days
                        ? "Pain is your own rating from 0 (none) to 10 (worst imaginable), from limber log pain and limber start --rate. A day's point is the average of that day's ratings; the 7-day line evens out single bad or good days. Look at the direction over weeks more than at any one day."
                        : "Pain is your own rating from 0 (none) to 10 (worst imaginable), from limber log pain and limber start --rate. A period longer than 26 weeks is drawn by week: a week's point is the average of its rated days; the 4-week line evens out single bad or good weeks. Look at the direction over months more than at any one week; a report of the last 6 weeks (limber report) shows each day.",
                    scale == .days
                        ? "Weeks are 7-day blocks that end on the last day of the period, so the last bar is always the most recent seven days."
                        : "Weeks are 7-day blocks that end on the last day of the period; the bars and the table are calendar months, the first and last cut to the period.",
                    "Breaks: taken means you took the break (or a session counted as one); natural means you were away or the computer slept for at least a break's length; snoozed, skipped and missed breaks were not taken.",
                    "Longest sitting is a lower bound worked out from the break records: time before the first reminder of a day and after the last is not recorded.",
                    "The same daily figures are printed by limber stats --since \(report.stats.from) (with --csv or --json for a spreadsheet).",
                ] { list.element("li", text: line) }
            }
        }
    }
}
