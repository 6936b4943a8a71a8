import LimberCore

/// One instant the runner acts on: a segment starts, a cue is due, the session ends.
enum TimelineMark: Sendable {
    case segment(Int)
    case cue(Int)
    case end

    /// At the same offset: segment starts before their cues, the end last.
    var order: Int {
        switch self {
        case .segment: 0
        case .cue: 1
        case .end: 2
        }
    }

    /// Every mark of `timeline` in the order the runner meets them (stable within an order).
    static func marks(of timeline: Timeline) -> [(offset: Int64, mark: TimelineMark)] {
        var marks: [(offset: Int64, mark: TimelineMark)] = []
        marks.reserveCapacity(timeline.segments.count + timeline.cues.count + 1)
        for segment in timeline.segments { marks.append((segment.offsetMs, .segment(segment.index))) }
        for (index, cue) in timeline.cues.enumerated() { marks.append((cue.offsetMs, .cue(index))) }
        marks.append((timeline.totalMs, .end))
        return marks.enumerated().sorted {
            ($0.element.offset, $0.element.mark.order, $0.offset) < ($1.element.offset, $1.element.mark.order, $1.offset)
        }.map(\.element)
    }
}
