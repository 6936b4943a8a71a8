/// How a series is painted so that it can be told apart in greyscale too: a solid fill, or
/// a pattern (hatching, dots, cross-hatching, lines) of a colour over a pale ground.
public enum Fill: Sendable, Hashable {
    case solid(String)
    case hatch(String, ground: String)
    case dots(String, ground: String)
    case cross(String, ground: String)
    case lines(String, ground: String)
    /// White, outlined only.
    case outline

    /// The `fill` attribute value; patterns refer to their `<pattern>` by `id`.
    func paint(_ id: String) -> String {
        switch self {
        case .solid(let colour): colour
        case .outline: "#ffffff"
        default: "url(#\(id))"
        }
    }

    /// Writes the `<pattern>` this fill needs (nothing for solid fills).
    func define(_ id: String, into svg: inout Markup) {
        let size = "6"
        switch self {
        case .solid, .outline:
            return
        case .hatch(let colour, let ground):
            svg.wrap("pattern", ["id": id, "width": size, "height": size, "patternUnits": "userSpaceOnUse", "patternTransform": "rotate(45)"]) {
                $0.element("rect", ["width": size, "height": size, "fill": ground])
                $0.element("line", ["x1": "0", "y1": "0", "x2": "0", "y2": size, "stroke": colour, "stroke-width": "3"])
            }
        case .dots(let colour, let ground):
            svg.wrap("pattern", ["id": id, "width": "5", "height": "5", "patternUnits": "userSpaceOnUse"]) {
                $0.element("rect", ["width": "5", "height": "5", "fill": ground])
                $0.element("circle", ["cx": "2.5", "cy": "2.5", "r": "1.5", "fill": colour])
            }
        case .cross(let colour, let ground):
            svg.wrap("pattern", ["id": id, "width": size, "height": size, "patternUnits": "userSpaceOnUse"]) {
                $0.element("rect", ["width": size, "height": size, "fill": ground])
                $0.element("path", ["d": "M0 0L6 6M6 0L0 6", "stroke": colour, "stroke-width": "1.2"])
            }
        case .lines(let colour, let ground):
            svg.wrap("pattern", ["id": id, "width": "4", "height": "4", "patternUnits": "userSpaceOnUse"]) {
                $0.element("rect", ["width": "4", "height": "4", "fill": ground])
                $0.element("line", ["x1": "0", "y1": "1", "x2": "4", "y2": "1", "stroke": colour, "stroke-width": "1.5"])
            }
        }
    }
}

/// The geometry shared by the report's charts: a plot area inside the view box (680 wide for
/// a full-width chart, so that 10 units of text print at about 7.5 pt on A4), a y scale from
/// 0, slots along x (one a day or one a week).
struct ChartFrame {
    let width: Double
    let height: Double
    /// Room for the longest y label, `sessions` or `1500 min`, at 10 px in any sans font
    /// (DejaVu Sans, Debian's default, draws `sessions` 42 units wide).
    let left = 54.0
    let right = 10.0
    let top: Double
    let bottom: Double
    let slots: Int
    let yMax: Double

    init(width: Double = 680, height: Double, top: Double = 30, bottom: Double = 28, slots: Int, yMax: Double) {
        self.width = width
        self.height = height
        self.top = top
        self.bottom = bottom
        self.slots = max(1, slots)
        self.yMax = yMax > 0 ? yMax : 1
    }

    var plotWidth: Double { width - left - right }
    var plotBottom: Double { height - bottom }
    var plotHeight: Double { plotBottom - top }
    var slotWidth: Double { plotWidth / Double(slots) }

    /// The y coordinate of `value` (0 at the bottom of the plot).
    func y(_ value: Double) -> Double { plotBottom - min(value, yMax) / yMax * plotHeight }

    /// The centre of slot `index`.
    func x(_ index: Int) -> Double { left + (Double(index) + 0.5) * slotWidth }

    /// Opens `<svg>` with its `<title>` and `<desc>` (named by `aria-labelledby`).
    func begin(_ svg: inout Markup, id: String, title: String, description: String) {
        svg.open(
            "svg",
            [
                "xmlns": "http://www.w3.org/2000/svg", "viewBox": "0 0 \(Number.svg(width)) \(Number.svg(height))",
                "role": "img", "aria-labelledby": "\(id)-title \(id)-desc", "class": "chart", "id": id,
            ])
        svg.element("title", ["id": "\(id)-title"], text: title)
        svg.element("desc", ["id": "\(id)-desc"], text: description)
    }

    /// Horizontal grid lines with their labels at `ticks`, and the axis.
    func grid(_ svg: inout Markup, ticks: [Double], label: (Double) -> String) {
        for tick in ticks {
            let y = Number.svg(y(tick))
            svg.element("line", ["x1": Number.svg(left), "x2": Number.svg(width - right), "y1": y, "y2": y, "class": tick == 0 ? "axis" : "grid"])
            svg.element("text", ["x": Number.svg(left - 5), "y": y, "class": "tick", "text-anchor": "end", "dy": "3"], text: label(tick))
        }
    }

    /// Labels under the plot at `labels` (x, text), thinned so that they never crowd: at
    /// most one per 45 units of width.
    func xLabels(_ svg: inout Markup, _ labels: [(x: Double, text: String)]) {
        let step = max(1, Int((Double(labels.count) * 45 / plotWidth).rounded(.up)))
        for (position, label) in labels.enumerated() where position % step == 0 {
            // A label centred on its tick that would run off the view box is left out, not
            // clipped (the last week's, under a bar at the right edge).
            let half = Self.textWidth(label.text) / 2
            guard label.x - half >= 0, label.x + half <= width else { continue }
            let x = Number.svg(label.x)
            svg.element("line", ["x1": x, "x2": x, "y1": Number.svg(plotBottom), "y2": Number.svg(plotBottom + 4), "class": "axis"])
            svg.element("text", ["x": x, "y": Number.svg(plotBottom + 15), "class": "tick", "text-anchor": "middle"], text: label.text)
        }
    }

    /// Marks under the plot at slot boundaries (`slot` × slot width from the left).
    func slotLabels(_ svg: inout Markup, _ marks: [(slot: Int, text: String)]) {
        xLabels(&svg, marks.map { (x: left + Double($0.slot) * slotWidth, text: $0.text) })
    }

    /// Bars as one path, `M x y h w v h h -w z` each: a third of the size of `<rect>`s, which
    /// counts when a long period draws hundreds of them.
    static func barPath(_ bars: [(x: Double, top: Double, width: Double, height: Double)]) -> String {
        var path = ""
        for bar in bars where bar.height > 0 {
            let width = Number.svg(bar.width)
            path += "M" + Number.svg(bar.x) + " " + Number.svg(bar.top) + "h" + width + "v" + Number.svg(bar.height) + "h-" + width + "z"
        }
        return path
    }

    /// Legend entries above the plot, in rows 14 units apart: a swatch drawn by `swatch` at
    /// (x, y), then the label.
    func legend(_ svg: inout Markup, _ entries: [(label: String, swatch: (inout Markup, Double, Double) -> Void)]) {
        for (entry, place) in zip(entries, legendPlaces(entries.map(\.label))) {
            entry.swatch(&svg, place.x, place.y)
            svg.element("text", ["x": Number.svg(place.x + 16), "y": Number.svg(place.y + 4), "class": "legend"], text: entry.label)
        }
    }

    /// Where each legend entry goes, wrapping to a new row at the right edge.
    func legendPlaces(_ labels: [String]) -> [(x: Double, y: Double)] {
        var x = left
        var y = 12.0
        return labels.map { label in
            let entryWidth = 16 + Self.textWidth(label)
            if x > left, x + entryWidth > width - right {
                x = left
                y += 14
            }
            defer { x += entryWidth + 14 }
            return (x, y)
        }
    }

    /// The widest a bar is drawn, so that a period of a day or two does not fill the chart
    /// with one slab.
    static let widestBar = 40.0

    /// An estimate of the width of `text` at 10 px (DejaVu Sans averages about 5.6 units a
    /// character): good enough to keep labels apart and inside the view box.
    static func textWidth(_ text: String) -> Double { Double(text.count) * 5.6 }

    /// A 10×10 swatch of `fill` with its outline, for ``legend(_:_:)``.
    static func swatch(_ fill: Fill, id: String) -> (inout Markup, Double, Double) -> Void {
        { svg, x, y in
            svg.element(
                "rect", ["x": Number.svg(x), "y": Number.svg(y - 5), "width": "10", "height": "10", "fill": fill.paint(id), "class": "segment"])
        }
    }

    /// Round steps for a y axis from 0 to at least `maximum`: about four of 1, 2 or 5 × 10ⁿ.
    static func ticks(upTo maximum: Double, count: Int = 4) -> [Double] {
        guard maximum > 0 else { return [0, 1] }
        let rough = maximum / Double(count)
        var magnitude = 1.0
        while magnitude * 10 <= rough { magnitude *= 10 }
        while magnitude > rough { magnitude /= 10 }
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? magnitude * 10
        var ticks: [Double] = [0]
        while let last = ticks.last, last < maximum - 1e-9 { ticks.append(last + step) }
        return ticks
    }
}
