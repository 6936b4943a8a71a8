/// Lays plans out end to end, placing every segment and cue.
struct Emitter {
    let rootKind: SessionKind
    let rootPath: String
    var segments: [Segment] = []
    var cues: [CueEvent] = []
    var offset: Int64 = 0
    var diagnostics: [Diagnostic] = []
    private var hasLeadIn = false
    private var firstStepPending = true
    private var warned: Set<SourceLocation> = []

    init(rootKind: SessionKind, rootPath: String) {
        self.rootKind = rootKind
        self.rootPath = rootPath
    }

    mutating func reserve(_ measure: Measure) {
        segments.reserveCapacity(Int(measure.segments))
        cues.reserveCapacity(Int(measure.cues))
    }

    mutating func emitLeadIn(_ duration: Int64) {
        hasLeadIn = true
        let index = segments.count
        segments.append(Segment(index: index, role: .leadIn, text: "Get ready", offsetMs: offset, durationMs: duration))
        cues.append(CueEvent(offsetMs: offset, cue: .start, segmentIndex: index))
        let ticks = min(3, (duration - 1) / 1_000)
        if ticks > 0 {
            for k in stride(from: ticks, through: 1, by: -1) {
                cues.append(CueEvent(offsetMs: offset + duration - k * 1_000, cue: .tick, segmentIndex: index))
            }
        }
        offset += duration
    }

    mutating func emit(_ plans: [Plan], site: SourceLocation?) {
        for plan in plans {
            switch plan {
            case .leaf(let step, let kind, _):
                emitLeaf(step, kind: kind, site: site)
            case .block(let count, let children, _, let includeSite):
                for _ in 0..<count { emit(children, site: site ?? includeSite) }
            }
        }
    }

    mutating func finish() {
        cues.append(CueEvent(offsetMs: offset, cue: .end, segmentIndex: max(0, segments.count - 1)))
        // Segments are contiguous and each emits its cues in order, so this is a check more
        // than a sort; ties keep emission order.
        if !zip(cues, cues.dropFirst()).allSatisfy({ $0.offsetMs <= $1.offsetMs }) {
            cues = cues.enumerated().sorted { ($0.element.offsetMs, $0.offset) < ($1.element.offsetMs, $1.offset) }
                .map(\.element)
        }
    }

    private mutating func emitLeaf(_ step: ScriptStep, kind: SessionKind, site: SourceLocation?) {
        let role: Segment.Role
        let text: String
        var reps: (count: Int, pace: Int64)?
        let duration: Int64
        switch step.action {
        case .timed(let words, let ms):
            (role, text, duration) = (.step, words, ms)
        case .reps(let words, let count, let pace):
            (role, text, duration) = (.step, words, pace * Int64(count))
            reps = (count, pace)
        case .rest(let ms):
            (role, text, duration) = (.rest, "Rest", ms)
        case .breath(let phase, let words, let ms):
            switch phase {
            case .inhale: (role, text, duration) = (.inhale, words ?? "Inhale", ms)
            case .hold: (role, text, duration) = (.hold, words ?? "Hold", ms)
            case .exhale: (role, text, duration) = (.exhale, words ?? "Exhale", ms)
            }
        case .repeatBlock, .include:
            return
        }
        if rootKind == .heat, role == .step, duration > TimelineCompiler.heatStepLimitMs {
            let location = site ?? step.location
            if warned.insert(location).inserted {
                diagnostics.append(Diagnostic(
                    file: rootPath, line: location.line, column: location.column, severity: .warning,
                    message: "a heat step of \(DurationText.format(duration)) is over 20 minutes: keep heat to 20 minutes at a time to avoid burns (split it with a rest)"))
            }
        }
        let defaultCue: Cue = switch role {
        case .step, .leadIn: .step
        case .rest: .rest
        case .inhale: .inhale
        case .hold: .hold
        case .exhale: .exhale
        }
        let sides: [String?] = step.sides.isEmpty ? [nil] : step.sides.map { $0 }
        for (sideIndex, side) in sides.enumerated() {
            let index = segments.count
            let start = offset
            var segment = Segment(
                index: index, role: role, text: side.map { "\(text) (\($0))" } ?? text,
                offsetMs: start, durationMs: duration, side: side, reps: reps?.count)
            switch step.say {
            case .text(let words): segment.say = words
            case .silent: segment.say = ""
            case nil: break
            }
            if step.count { segment.count = true }
            segment.source = site ?? step.location
            segments.append(segment)
            var opening = sideIndex > 0 ? .switch : (step.cue ?? defaultCue)
            if firstStepPending {
                firstStepPending = false
                if step.cue == nil { opening = hasLeadIn ? .go : .start }
            }
            var events = [CueEvent(offsetMs: start, cue: opening, segmentIndex: index)]
            if let reps {
                for k in 1..<max(1, reps.count) {
                    events.append(CueEvent(offsetMs: start + Int64(k) * reps.pace, cue: .tick, segmentIndex: index))
                }
            }
            if step.halfway {
                events.append(CueEvent(offsetMs: start + duration / 2, cue: .halfway, segmentIndex: index))
            }
            if let every = step.everyMs, every > 0 {
                let cue = step.everyCue ?? (kind == .heat ? .check : .bell)
                var at = every
                while at < duration {
                    events.append(CueEvent(offsetMs: start + at, cue: cue, text: step.everyText, segmentIndex: index))
                    at += every
                }
            }
            if step.countdown > 0 {
                for k in stride(from: Int64(step.countdown), through: 1, by: -1) where k * 1_000 < duration {
                    events.append(CueEvent(offsetMs: start + duration - k * 1_000, cue: .tick, segmentIndex: index))
                }
            }
            if events.count > 1 {
                events = events.enumerated()
                    .sorted { ($0.element.offsetMs, $0.offset) < ($1.element.offsetMs, $1.offset) }
                    .map(\.element)
                var seen = Set<CueKey>()
                events = events.filter { seen.insert(CueKey(offsetMs: $0.offsetMs, cue: $0.cue)).inserted }
            }
            cues += events
            offset += duration
        }
    }

    private struct CueKey: Hashable {
        var offsetMs: Int64
        var cue: Cue
    }
}
