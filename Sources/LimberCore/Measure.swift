/// Segments, cues and duration of part of a script, saturating instead of overflowing.
struct Measure: Sendable {
    var segments: Int64
    var cues: Int64
    var durationMs: Int64

    static let zero = Measure(segments: 0, cues: 0, durationMs: 0)

    static func + (a: Measure, b: Measure) -> Measure {
        Measure(segments: add(a.segments, b.segments), cues: add(a.cues, b.cues),
                durationMs: add(a.durationMs, b.durationMs))
    }

    static func * (a: Measure, count: Int) -> Measure {
        let n = Int64(count)
        return Measure(segments: multiply(a.segments, n), cues: multiply(a.cues, n),
                       durationMs: multiply(a.durationMs, n))
    }

    static func add(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int64.max : sum
    }

    static func multiply(_ a: Int64, _ b: Int64) -> Int64 {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? Int64.max : product
    }

    func exceeds(_ limits: CompileLimits) -> String? {
        if durationMs > limits.maximumTotalMs {
            return "the session would last more than \(DurationText.format(limits.maximumTotalMs)) (counting repeats and includes up to this step): lower the `repeat` counts or durations"
        }
        if segments > limits.maximumSegments {
            return "the session would expand to more than \(limits.maximumSegments) timed segments (counting repeats, sides and includes up to this step): lower the `repeat` counts"
        }
        if cues > limits.maximumCues {
            return "the session would hold more than \(limits.maximumCues) cues (counting repeats, countdowns and interval cues up to this step): use fewer or longer intervals"
        }
        return nil
    }
}
