import LimberHistory

/// The longest sitting stretch of each day, a bar a day; days without movement-break
/// records have none (nothing is known about them).
public struct SittingChart: Sendable {
    public var id = "sitting"
    public var days: [ReportDay]
    public var weekStarts: [(day: Int, label: String)]

    public init(report: HistoryReport) {
        days = report.days
        weekStarts = PainChart.weekStarts(report)
    }

    static let bar = "#5b5b5b"

    /// Days with a figure.
    public var recordedDays: Int { days.filter { $0.stats.longestSittingMinutes != nil }.count }

    public var description: String {
        let known = days.compactMap { day in day.stats.longestSittingMinutes.map { (day.stats.date, $0) } }
        guard let longest = known.max(by: { $0.1 < $1.1 }) else {
            return "No movement-break records in this period, so nothing is known about sitting."
        }
        let sorted = known.map(\.1).sorted()
        return "Longest sitting stretch per day, as far as the break records show: \(known.count) of \(days.count) days have records. "
            + "The longest was \(Number.clock(longest.1)) (hours:minutes) on \(HistoryDate.medium(longest.0)); the middle day's was \(Number.clock(sorted[sorted.count / 2]))."
    }

    public func render(into svg: inout Markup) {
        let highest = Double(days.compactMap(\.stats.longestSittingMinutes).max() ?? 0)
        // Hours on the axis from 90 minutes up; minutes below that.
        let inHours = highest >= 90
        let ticks = ChartFrame.ticks(upTo: inHours ? highest / 60 : highest).map { inHours ? $0 * 60 : $0 }
        let frame = ChartFrame(height: 140, top: 14, slots: days.count, yMax: ticks.last ?? 60)
        frame.begin(&svg, id: id, title: "Longest sitting stretch by day", description: description)
        frame.grid(&svg, ticks: ticks) { inHours ? Number.svg($0 / 60) + " h" : Number.whole($0) + " min" }
        let width = max(1, frame.slotWidth * 0.7)
        svg.wrap("g", ["fill": Self.bar]) { group in
            for (index, day) in days.enumerated() {
                guard let minutes = day.stats.longestSittingMinutes, minutes > 0 else { continue }
                let top = frame.y(Double(minutes))
                group.element(
                    "rect",
                    [
                        "x": Number.svg(frame.x(index) - width / 2), "y": Number.svg(top), "width": Number.svg(width),
                        "height": Number.svg(frame.plotBottom - top),
                    ])
            }
        }
        frame.xLabels(&svg, weekStarts.map { (x: frame.left + Double($0.day) * frame.slotWidth, text: $0.label) })
        svg.close()
    }
}
