import LimberHistory

/// The longest sitting stretch of each day (of each week, in a long period), a bar a slot;
/// slots without movement-break records have none (nothing is known about them).
public struct SittingChart: Sendable {
    public var id = "sitting"
    public var scale: ReportScale
    public var days: [ReportDay]
    public var slots: [ChartSlot]
    public var marks: [(slot: Int, text: String)]

    public init(report: HistoryReport, scale: ReportScale) {
        self.scale = scale
        days = report.days
        slots = ChartSlot.slots(report, scale: scale)
        marks = PainChart.marks(report, scale: scale, slots: slots)
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
        let drawn = scale == .days ? "" : " Each bar is the longest of a week."
        return "Longest sitting stretch per day, as far as the break records show: \(known.count) of \(days.count) days have records. "
            + "The longest was \(Number.clock(longest.1)) (hours:minutes) on \(HistoryDate.medium(longest.0)); the middle day's was \(Number.clock(sorted[sorted.count / 2]))."
            + drawn
    }

    public func render(into svg: inout Markup) {
        let highest = Double(slots.compactMap(\.sitting).max() ?? 0)
        // Hours on the axis from 90 minutes up; minutes below that.
        let inHours = highest >= 90
        let ticks = ChartFrame.ticks(upTo: inHours ? highest / 60 : highest).map { inHours ? $0 * 60 : $0 }
        let frame = ChartFrame(height: 140, top: 14, slots: slots.count, yMax: ticks.last ?? 60)
        frame.begin(&svg, id: id, title: "Longest sitting stretch by \(scale.slot)", description: description)
        frame.grid(&svg, ticks: ticks) { inHours ? Number.svg($0 / 60) + " h" : Number.whole($0) + " min" }
        let width = min(ChartFrame.widestBar, max(1, frame.slotWidth * 0.7))
        let bars = slots.indices.compactMap { index -> (x: Double, top: Double, width: Double, height: Double)? in
            guard let minutes = slots[index].sitting, minutes > 0 else { return nil }
            let top = frame.y(Double(minutes))
            return (frame.x(index) - width / 2, top, width, frame.plotBottom - top)
        }
        svg.element("path", ["d": ChartFrame.barPath(bars), "fill": Self.bar])
        frame.slotLabels(&svg, marks)
        svg.close()
    }
}
