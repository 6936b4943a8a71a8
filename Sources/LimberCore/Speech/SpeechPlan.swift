/// One phrase of a session's spoken guidance, at an exact offset of its timeline.
public struct SpokenLine: Sendable, Hashable, Codable {
    /// Why it is spoken (docs/speech.md lists the defaults).
    public enum Kind: String, Sendable, Hashable, Codable {
        case name, step, side, halfway, interval, rest, breath, count, end
    }

    public var kind: Kind
    public var text: String
    /// Where speech starts: just after the cue it follows has sounded.
    public var offsetMs: Int64
    /// The next cue's offset: the phrase must be silent before it (faded out 20 ms ahead).
    public var untilMs: Int64?
    /// The segment it belongs to.
    public var segmentIndex: Int

    public init(kind: Kind, text: String, offsetMs: Int64, untilMs: Int64?, segmentIndex: Int) {
        self.kind = kind
        self.text = text
        self.offsetMs = offsetMs
        self.untilMs = untilMs
        self.segmentIndex = segmentIndex
    }

    /// How long the phrase may sound: up to 20 ms before the next cue.
    public var availableMs: Int64? { untilMs.map { $0 - SpeechPlan.clearanceMs - offsetMs } }
}

/// What is spoken in a session, and where: pure, from the compiled timeline.
///
/// Each phrase follows the cue it belongs to, starting ``gapMs`` after that cue's sound (at
/// most ``longestWaitMs`` after its onset, so a ringing bell is talked over only in its
/// tail; the end chord, with nothing after it, always rings out first), and must be silent
/// ``clearanceMs`` before the next cue: speech never masks a cue.
public enum SpeechPlan {
    /// Silence between a cue's sound and the words after it.
    public static let gapMs: Int64 = 60
    /// The longest wait after a cue's onset before speaking (a bell rings for seconds).
    public static let longestWaitMs: Int64 = 600
    /// Speech is silent this long before the next cue.
    public static let clearanceMs: Int64 = 20
    /// Breathing phases are named for this many cycles, then the tones guide alone.
    public static let namedBreaths = 2

    /// The phrases of `timeline`; `cueLengthMs` is how long each cue sounds.
    public static func lines(for timeline: Timeline, cueLengthMs: (Cue) -> Int64) -> [SpokenLine] {
        guard timeline.voice ?? true else { return [] }
        var lines: [SpokenLine] = []
        var breaths: [Segment.Role: Int] = [:]
        let openings = Dictionary(timeline.cues.map { ($0.segmentIndex, $0) }, uniquingKeysWith: { first, _ in first })
        func after(_ cue: CueEvent) -> Int64 {
            // Nothing follows the end: its chord rings out before "Session complete".
            let wait = cueLengthMs(cue.cue) + gapMs
            return cue.offsetMs + (cue.cue == .end ? wait : min(wait, longestWaitMs))
        }
        for segment in timeline.segments {
            guard let opening = openings[segment.index], opening.offsetMs == segment.offsetMs else { continue }
            if let text = phrase(for: segment, in: timeline, breaths: &breaths) {
                lines.append(SpokenLine(kind: text.kind, text: text.words, offsetMs: after(opening), untilMs: nil,
                                        segmentIndex: segment.index))
            }
        }
        for (index, cue) in timeline.cues.enumerated() {
            let segment = timeline.segments.indices.contains(cue.segmentIndex) ? timeline.segments[cue.segmentIndex] : nil
            let isOpening = segment.map { cue.offsetMs == $0.offsetMs && openings[$0.index] == cue } ?? false
            if isOpening { continue }
            switch cue.cue {
            case .halfway:
                lines.append(SpokenLine(kind: .halfway, text: "Halfway", offsetMs: after(cue), untilMs: nil,
                                        segmentIndex: cue.segmentIndex))
            case .bell, .check:
                // Only an interval with `every-text:` has words; a bare bell or check is a tone.
                if let text = cue.text {
                    lines.append(SpokenLine(kind: .interval, text: text, offsetMs: after(cue), untilMs: nil,
                                            segmentIndex: cue.segmentIndex))
                }
            case .tick where segment?.count == true && segment?.reps != nil:
                let rep = Int((cue.offsetMs - segment!.offsetMs) / max(1, segment!.durationMs / Int64(segment!.reps!)))
                lines.append(SpokenLine(kind: .count, text: NumberWords.spell(rep), offsetMs: after(cue), untilMs: nil,
                                        segmentIndex: cue.segmentIndex))
            case .end:
                lines.append(SpokenLine(kind: .end, text: "Session complete", offsetMs: after(cue), untilMs: nil,
                                        segmentIndex: cue.segmentIndex))
            default:
                _ = index
            }
        }
        lines.sort { $0.offsetMs < $1.offsetMs }
        // Each phrase ends before the next cue, whatever it is.
        let onsets = timeline.cues.map(\.offsetMs)
        for index in lines.indices {
            let start = lines[index].offsetMs
            var low = 0, high = onsets.count
            while low < high {
                let mid = (low + high) / 2
                if onsets[mid] <= start { low = mid + 1 } else { high = mid }
            }
            lines[index].untilMs = low < onsets.count ? onsets[low] : nil
        }
        return lines
    }

    private static func phrase(
        for segment: Segment, in timeline: Timeline, breaths: inout [Segment.Role: Int]
    ) -> (kind: SpokenLine.Kind, words: String)? {
        if segment.say == "" { return nil }
        switch segment.role {
        case .leadIn:
            return (.name, segment.say ?? timeline.name)
        case .step:
            if let side = segment.side, !isFirstSide(segment, in: timeline) {
                return (.side, segment.say ?? "\(capitalised(side)) side")
            }
            var words = segment.say ?? baseText(segment)
            if let side = segment.side { words += ". \(capitalised(side)) side" }
            return (.step, words)
        case .rest:
            return (.rest, segment.say ?? "Rest")
        case .inhale, .hold, .exhale:
            let seen = breaths[segment.role, default: 0]
            breaths[segment.role] = seen + 1
            guard seen < namedBreaths || segment.say != nil else { return nil }
            let standard = ["Inhale": "Breathe in", "Hold": "Hold", "Exhale": "Breathe out"]
            return (.breath, segment.say ?? standard[segment.text] ?? segment.text)
        }
    }

    /// A sided segment's text without its " (left)".
    static func baseText(_ segment: Segment) -> String {
        guard let side = segment.side, segment.text.hasSuffix(" (\(side))") else { return segment.text }
        return String(segment.text.dropLast(side.count + 3))
    }

    static func isFirstSide(_ segment: Segment, in timeline: Timeline) -> Bool {
        guard segment.index > 0 else { return true }
        let previous = timeline.segments[segment.index - 1]
        return !(previous.side != nil && baseText(previous) == baseText(segment) && previous.role == segment.role
            && previous.source == segment.source && previous.side != segment.side)
    }

    static func capitalised(_ word: String) -> String {
        word.prefix(1).uppercased() + word.dropFirst()
    }
}

/// Small numbers in words, for counting reps aloud ("one", "twenty-one").
public enum NumberWords {
    static let units = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
                        "nineteen"]
    static let tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]

    public static func spell(_ number: Int) -> String {
        switch number {
        case 0..<20: return units[number]
        case 20..<100: return tens[number / 10] + (number % 10 == 0 ? "" : "-" + units[number % 10])
        default: return String(number)
        }
    }
}

extension SpeechPlan {
    /// Warnings for phrases longer than the time before their next cue, at the step that
    /// speaks them; `durationMs[i]` is how long `lines[i]` takes. Errors under `strict`.
    public static func overruns(
        _ lines: [SpokenLine], durationMs: [Int64], in timeline: Timeline, path: String, strict: Bool
    ) -> [Diagnostic] {
        zip(lines, durationMs).compactMap { line, ms in
            guard let available = line.availableMs, ms > available else { return nil }
            let source = timeline.segments.indices.contains(line.segmentIndex)
                ? timeline.segments[line.segmentIndex].source ?? .file : .file
            let seconds = { (ms: Int64) in String(format: "%.1f s", Double(ms) / 1000) }
            var message = "the spoken text '\(line.text)' takes \(seconds(ms)) but \(seconds(max(0, available))) are free before the next cue: it will be faded out; add a shorter `say:` (or `say: false`)"
            if strict { message += " (an error under --strict)" }
            return Diagnostic(file: path, line: source.line, column: source.column, severity: strict ? .error : .warning,
                              message: message)
        }
    }
}
