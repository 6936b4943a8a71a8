/// A bar a week, stacked by series, bottom first: minutes by kind, breaks by outcome.
public struct StackedBarChart: Sendable {
    public struct Series: Sendable, Hashable {
        public var label: String
        public var fill: Fill
        /// One value a bar.
        public var values: [Double]

        public init(label: String, fill: Fill, values: [Double]) {
            self.label = label
            self.fill = fill
            self.values = values
        }
    }

    /// Identifies the `<svg>` and prefixes its pattern ids (ids are shared by the whole page).
    public var id: String
    public var title: String
    public var description: String
    /// Under each bar, e.g. `2 Nov`; empty for none (months between quarters or years).
    public var barLabels: [String]
    public var series: [Series]
    /// The y axis's unit, after the tick values (`min`, ``).
    public var unit: String
    /// The view box's width: ``halfWidth`` for half a page.
    public var width: Double

    public static let halfWidth = 340.0
    /// Legend rows to leave room for at least, so that two charts side by side have their
    /// plots level even when one legend wraps.
    public var minimumLegendRows = 1

    public init(
        id: String, title: String, description: String, barLabels: [String], series: [Series], unit: String, width: Double = halfWidth
    ) {
        self.width = width
        self.id = id
        self.title = title
        self.description = description
        self.barLabels = barLabels
        self.series = series
        self.unit = unit
    }

    /// Each bar's total.
    public var totals: [Double] {
        barLabels.indices.map { bar in series.reduce(0) { $0 + ($1.values.indices.contains(bar) ? $1.values[bar] : 0) } }
    }

    /// The rows its legend takes.
    public var legendRows: Int {
        Set(ChartFrame(width: width, height: 0, slots: 1, yMax: 1).legendPlaces(series.map(\.label)).map(\.y)).count
    }

    /// Totals are printed over the bars while they fit (up to 10 bars).
    static let labelledBars = 10

    public func render(into svg: inout Markup) {
        let totals = totals
        let ticks = ChartFrame.ticks(upTo: totals.max() ?? 0)
        let rows = max(legendRows, minimumLegendRows)
        let frame = ChartFrame(width: width, height: 170 + 14 * Double(rows - 1), top: 16 + 14 * Double(rows), slots: barLabels.count, yMax: ticks.last ?? 1)
        frame.begin(&svg, id: id, title: title, description: description)
        svg.wrap("defs") { defs in
            for (index, entry) in series.enumerated() { entry.fill.define("\(id)-\(index)", into: &defs) }
        }
        frame.legend(&svg, series.enumerated().map { index, entry in (entry.label, ChartFrame.swatch(entry.fill, id: "\(id)-\(index)")) })
        frame.grid(&svg, ticks: ticks) { Number.svg($0) + (unit.isEmpty ? "" : " " + unit) }
        let barWidth = min(ChartFrame.widestBar, max(1, frame.slotWidth * 0.7))
        for (index, entry) in series.enumerated() {
            // One path a series: its segments share the fill.
            let bars = barLabels.indices.compactMap { bar -> (x: Double, top: Double, width: Double, height: Double)? in
                let value = entry.values.indices.contains(bar) ? entry.values[bar] : 0
                guard value > 0 else { return nil }
                let below = series[..<index].reduce(0) { $0 + ($1.values.indices.contains(bar) ? $1.values[bar] : 0) }
                let top = frame.y(below + value)
                return (frame.x(bar) - barWidth / 2, top, barWidth, frame.y(below) - top)
            }
            if !bars.isEmpty { svg.element("path", ["d": ChartFrame.barPath(bars), "fill": entry.fill.paint("\(id)-\(index)"), "class": "segment"]) }
        }
        if barLabels.count <= Self.labelledBars {
            for (bar, total) in totals.enumerated() where total > 0 {
                svg.element("text", ["x": Number.svg(frame.x(bar)), "y": Number.svg(frame.y(total) - 3), "class": "value"], text: Number.whole(total))
            }
        }
        frame.xLabels(&svg, barLabels.enumerated().filter { !$0.element.isEmpty }.map { (x: frame.x($0.offset), text: $0.element) })
        svg.close()
    }
}
