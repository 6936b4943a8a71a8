import LimberHistory

/// Pain over the period: a point a rated day (its average), the 7-day average as a line,
/// a triangle on days with a rating of 8 or more, and a square above the plot on days with a
/// session. A long period (``ReportScale/weeks``) draws weeks instead: the week's average,
/// a 4-week line, a triangle on weeks with an 8 or more, and a bar above the plot as tall as
/// the share of the week's days with a session.
public struct PainChart: Sendable {
    public var id = "pain"
    public var scale: ReportScale
    public var days: [ReportDay]
    public var slots: [ChartSlot]
    /// Labels under the plot: the first slot of each week (by day) or of each month, quarter
    /// or year (by week).
    public var marks: [(slot: Int, text: String)]

    public init(report: HistoryReport, scale: ReportScale) {
        self.scale = scale
        days = report.days
        slots = ChartSlot.slots(report, scale: scale)
        marks = Self.marks(report, scale: scale, slots: slots)
    }

    static let line = "#1f4e79"
    static let point = "#4d4d4d"
    static let flag = "#c0392b"
    static let session = "#2a7f62"

    /// The labels under a chart of `slots`: by day, the first day of each week, labelled
    /// `3 Nov`; by week, months, quarters or years.
    static func marks(_ report: HistoryReport, scale: ReportScale, slots: [ChartSlot]) -> [(slot: Int, text: String)] {
        guard scale == .days else { return AxisMarks.calendar(slots.map(\.from), width: ChartFrame(height: 0, slots: 1, yMax: 1).plotWidth) }
        var day = 0
        return report.weeks.map { week in
            defer { day += week.days }
            return (day, HistoryDate.short(week.from))
        }
    }

    /// The text alternative: what the chart shows, in numbers.
    public var description: String {
        let rated = slots.compactMap(\.pain)
        guard let first = days.first?.stats.date, let last = days.last?.stats.date, !rated.isEmpty else {
            return "No pain ratings in this period."
        }
        let slot = scale.slot
        var text = "Pain from 0 (none) to 10 (worst), \(rated.count) rated \(slot)s between \(HistoryDate.medium(first)) and \(HistoryDate.medium(last)). "
        text += "\(slot == "day" ? "Daily" : "Weekly") averages from \(Number.tenth(rated.min() ?? 0)) to \(Number.tenth(rated.max() ?? 0))"
        let line = slots.compactMap(\.line)
        if let start = line.first, let end = line.last {
            text += "; the \(scale.lineName) average went from \(Number.tenth(start)) to \(Number.tenth(end))"
        }
        let severe = days.filter { ($0.painMax ?? 0) >= ProfessionalAdvice.severeLevel }.count
        text += ". \(severe) day\(severe == 1 ? "" : "s") with a rating of \(ProfessionalAdvice.severeLevel) or more"
        let sessionDays = days.filter { $0.stats.sessions > 0 }.count
        text += "; \(sessionDays) day\(sessionDays == 1 ? "" : "s") with a session."
        return text
    }

    public func render(into svg: inout Markup) {
        let frame = ChartFrame(height: 200, top: 48, slots: slots.count, yMax: 10)
        let byDay = scale == .days
        frame.begin(&svg, id: id, title: "Pain, 0 to 10, by \(scale.slot)", description: description)
        frame.legend(
            &svg,
            [
                (byDay ? "daily average" : "weekly average", { $0.element("circle", ["cx": Number.svg($1 + 5), "cy": Number.svg($2), "r": "3", "fill": Self.point]) }),
                ("\(scale.lineName) average", { $0.element("line", ["x1": Number.svg($1), "x2": Number.svg($1 + 12), "y1": Number.svg($2), "y2": Number.svg($2), "class": "trend"]) }),
                ("a rating of 8 or more", { $0.element("path", ["d": Self.triangle($1 + 5, $2), "class": "flag"]) }),
                (byDay ? "a day with a session" : "share of days with a session", { $0.element("rect", ["x": Number.svg($1 + 1), "y": Number.svg($2 - 4), "width": "8", "height": "8", "fill": Self.session]) }),
            ])
        // The severe band, 8 to 10.
        svg.element(
            "rect",
            [
                "x": Number.svg(frame.left), "y": Number.svg(frame.y(10)), "width": Number.svg(frame.plotWidth),
                "height": Number.svg(frame.y(8) - frame.y(10)), "fill": "#fbe4e1",
            ])
        frame.grid(&svg, ticks: [0, 2, 4, 6, 8, 10]) { Number.svg($0) }
        // The session strip: a square a day, or a bar a week as tall as its share of session days.
        let stripY = frame.top - 12
        svg.element("text", ["x": Number.svg(frame.left - 5), "y": Number.svg(stripY + 4), "class": "tick", "text-anchor": "end"], text: "sessions")
        let mark = min(8, max(1.5, frame.slotWidth * 0.8))
        let bars = slots.indices.compactMap { index -> (x: Double, top: Double, width: Double, height: Double)? in
            let share = slots[index].sessionShare
            guard share > 0 else { return nil }
            let height = byDay ? mark : 8 * share
            return (frame.x(index) - mark / 2, stripY + (byDay ? -mark / 2 : 4 - height), mark, height)
        }
        if !bars.isEmpty { svg.element("path", ["d": ChartFrame.barPath(bars), "fill": Self.session]) }
        svg.element("path", ["d": linePath(frame), "class": "trend"])
        let radius = slots.count > 120 ? "1.5" : "3"
        svg.wrap("g", ["fill": Self.point]) { group in
            for (index, slot) in slots.enumerated() {
                guard let average = slot.pain else { continue }
                group.element("circle", ["cx": Number.svg(frame.x(index)), "cy": Number.svg(frame.y(average)), "r": radius])
            }
        }
        var flags = ""
        for (index, slot) in slots.enumerated() {
            guard let highest = slot.highest, highest >= ProfessionalAdvice.severeLevel else { continue }
            flags += Self.triangle(frame.x(index), frame.y(Double(highest)))
        }
        if !flags.isEmpty { svg.element("path", ["d": flags, "class": "flag"]) }
        frame.slotLabels(&svg, marks)
        svg.close()
    }

    /// The 7-day (4-week) average as one path, broken where it has no value.
    func linePath(_ frame: ChartFrame) -> String {
        var path = ""
        var drawing = false
        for (index, slot) in slots.enumerated() {
            guard let value = slot.line else {
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
