extension DurationText {
    /// An offset as a clock reading: `0:05`, `12:30`, `1:02:03`, with `.250` when not whole seconds.
    public static func clock(_ milliseconds: Int64) -> String {
        let ms = max(0, milliseconds)
        let hours = ms / 3_600_000
        let minutes = ms / 60_000 % 60
        let seconds = ms / 1_000 % 60
        let fraction = ms % 1_000
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        var text = hours > 0 ? "\(hours):\(two(minutes)):\(two(seconds))" : "\(minutes):\(two(seconds))"
        if fraction > 0 {
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: 3 - digits.count) + digits
        }
        return text
    }
}

extension Timeline {
    /// The timeline as `limber show` prints it: a header, one row per segment
    /// (offset, duration, step, cues), and the exact total.
    public func table() -> String {
        var rows: [[String]] = [["OFFSET", "DURATION", "STEP", "CUES"]]
        var cueIndex = 0
        for segment in segments {
            var events: [CueEvent] = []
            while cueIndex < cues.count, cues[cueIndex].segmentIndex == segment.index,
                  cues[cueIndex].cue != .end || cues[cueIndex].offsetMs < totalMs {
                events.append(cues[cueIndex])
                cueIndex += 1
            }
            var text = segment.text
            if let reps = segment.reps { text += " ×\(reps)" }
            rows.append([DurationText.clock(segment.offsetMs), DurationText.format(segment.durationMs),
                         text, Self.describe(events, segmentStart: segment.offsetMs)])
        }
        let widths = (0..<3).map { column in rows.map { $0[column].count }.max() ?? 0 }
        var out = "\(name) (\(id), \(kind.rawValue))\n"
        for row in rows {
            var line = ""
            for column in 0..<3 {
                line += row[column] + String(repeating: " ", count: widths[column] - row[column].count) + "  "
            }
            line += row[3]
            out += line.trimmingSpaces() + "\n"
        }
        out += "\(DurationText.clock(totalMs))  end  total \(DurationText.format(totalMs)) (\(totalMs) ms), \(segments.count) segments, \(cues.count) cues\n"
        return out
    }

    /// `go`, `halfway@0:32.500`, `tick×3@0:42…0:44`, `check@5:00 "Check your skin"`.
    static func describe(_ events: [CueEvent], segmentStart: Int64) -> String {
        var parts: [String] = []
        var index = 0
        while index < events.count {
            let event = events[index]
            var last = index
            while last + 1 < events.count, events[last + 1].cue == event.cue,
                  events[last + 1].text == event.text, event.offsetMs != segmentStart {
                last += 1
            }
            var part = event.cue.rawValue
            if last > index {
                part += "×\(last - index + 1)@\(DurationText.clock(event.offsetMs))…\(DurationText.clock(events[last].offsetMs))"
            } else if event.offsetMs != segmentStart {
                part += "@\(DurationText.clock(event.offsetMs))"
            }
            if let text = event.text { part += " \"\(text)\"" }
            parts.append(part)
            index = last + 1
        }
        return parts.joined(separator: ", ")
    }
}
