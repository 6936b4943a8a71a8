import LimberHistory

/// Pain over the period: a point a rated day (its average), the 7-day average as a line,
/// a triangle on days with a rating of 8 or more, and a square above the plot on days with a
/// session.
public struct PainChart: Sendable {
    public var id = "pain"
    public var days: [ReportDay]
    /// Where each week starts (day index) and its label.
    public var weekStarts: [(day: Int, label: String)]

    public init(report: HistoryReport) {
        days = report.days
        weekStarts = Self.weekStarts(report)
    }

    static let line = "#1f4e79"
    static let point = "#4d4d4d"
    static let flag = "#c0392b"
    static let session = "#2a7f62"

    /// The first day of each week, labelled `3 Nov`.
    static func weekStarts(_ report: HistoryReport) -> [(day: Int, label: String)] {
        var day = 0
        return report.weeks.map { week in
            defer { day += week.days }
            return (day, HistoryDate.short(week.from))
        }
    }

    /// The text alternative: what the chart shows, in numbers.
    public var description: String {
        let rated = days.filter { $0.stats.painAverage != nil }
        guard let first = days.first?.stats.date, let last = days.last?.stats.date, !rated.isEmpty else {
            return "No pain ratings in this period."
        }
        let averages = rated.compactMap(\.stats.painAverage)
        var text = "Pain from 0 (none) to 10 (worst), \(rated.count) rated days between \(HistoryDate.medium(first)) and \(HistoryDate.medium(last)). "
        text += "Daily averages from \(Number.tenth(averages.min() ?? 0)) to \(Number.tenth(averages.max() ?? 0))"
        let weekly = days.compactMap(\.painSevenDayAverage)
        if let start = weekly.first, let end = weekly.last {
            text += "; the 7-day average went from \(Number.tenth(start)) to \(Number.tenth(end))"
        }
        let severe = days.filter { ($0.painMax ?? 0) >= ProfessionalAdvice.severeLevel }.count
        text += ". \(severe) day\(severe == 1 ? "" : "s") with a rating of \(ProfessionalAdvice.severeLevel) or more"
        let sessionDays = days.filter { $0.stats.sessions > 0 }.count
        text += "; \(sessionDays) day\(sessionDays == 1 ? "" : "s") with a session."
        return text
    }

    public func render(into svg: inout Markup) {
        let frame = ChartFrame(height: 200, top: 48, slots: days.count, yMax: 10)
        frame.begin(&svg, id: id, title: "Pain, 0 to 10, by day", description: description)
        frame.legend(
            &svg,
            [
                ("daily average", { $0.element("circle", ["cx": Number.svg($1 + 5), "cy": Number.svg($2), "r": "3", "fill": Self.point]) }),
                ("7-day average", { $0.element("line", ["x1": Number.svg($1), "x2": Number.svg($1 + 12), "y1": Number.svg($2), "y2": Number.svg($2), "stroke": Self.line, "stroke-width": "2.5"]) }),
                ("a rating of 8 or more", { $0.element("path", ["d": Self.triangle($1 + 5, $2), "class": "flag"]) }),
                ("a day with a session", { $0.element("rect", ["x": Number.svg($1 + 1), "y": Number.svg($2 - 4), "width": "8", "height": "8", "fill": Self.session]) }),
            ])
        // The severe band, 8 to 10.
        svg.element(
            "rect",
            [
                "x": Number.svg(frame.left), "y": Number.svg(frame.y(10)), "width": Number.svg(frame.plotWidth),
                "height": Number.svg(frame.y(8) - frame.y(10)), "fill": "#fbe4e1",
            ])
        frame.grid(&svg, ticks: [0, 2, 4, 6, 8, 10]) { Number.svg($0) }
        let stripY = frame.top - 12
        svg.element("text", ["x": Number.svg(frame.left - 5), "y": Number.svg(stripY + 4), "class": "tick", "text-anchor": "end"], text: "sessions")
        let mark = min(8, max(1.5, frame.slotWidth * 0.8))
        svg.wrap("g", ["fill": Self.session]) { group in
            for (index, day) in days.enumerated() where day.stats.sessions > 0 {
                group.element("rect", ["x": Number.svg(frame.x(index) - mark / 2), "y": Number.svg(stripY - mark / 2), "width": Number.svg(mark), "height": Number.svg(mark)])
            }
        }
        svg.element("path", ["d": sevenDayPath(frame), "fill": "none", "stroke": Self.line, "stroke-width": "2.5", "stroke-linejoin": "round"])
        let radius = days.count > 120 ? "1.5" : "3"
        svg.wrap("g", ["fill": Self.point]) { group in
            for (index, day) in days.enumerated() {
                guard let average = day.stats.painAverage else { continue }
                group.element("circle", ["cx": Number.svg(frame.x(index)), "cy": Number.svg(frame.y(average)), "r": radius])
            }
        }
        var flags = ""
        for (index, day) in days.enumerated() {
            guard let highest = day.painMax, highest >= ProfessionalAdvice.severeLevel else { continue }
            flags += Self.triangle(frame.x(index), frame.y(Double(highest)))
        }
        if !flags.isEmpty { svg.element("path", ["d": flags, "class": "flag"]) }
        frame.xLabels(&svg, weekStarts.map { (x: frame.left + Double($0.day) * frame.slotWidth, text: $0.label) })
        svg.close()
    }

    /// The 7-day average as one path, broken where it has no value.
    func sevenDayPath(_ frame: ChartFrame) -> String {
        var path = ""
        var drawing = false
        for (index, day) in days.enumerated() {
            guard let value = day.painSevenDayAverage else {
                drawing = false
                continue
            }
            path += (drawing ? "L" : "M") + Number.svg(frame.x(index)) + " " + Number.svg(frame.y(value))
            drawing = true
        }
        return path.isEmpty ? "M0 0" : path
    }

    /// A triangle pointing up around (x, y), as a path.
    static func triangle(_ x: Double, _ y: Double) -> String {
        "M\(Number.svg(x)) \(Number.svg(y - 5))L\(Number.svg(x + 5)) \(Number.svg(y + 4))L\(Number.svg(x - 5)) \(Number.svg(y + 4))Z"
    }
}
