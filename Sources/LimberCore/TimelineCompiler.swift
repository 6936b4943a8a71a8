/// What compiling a script produced: the timeline when it has no errors, and every problem found.
public struct CompileResult: Sendable {
    /// The compiled timeline; nil when any diagnostic is an error.
    public var timeline: Timeline?
    /// Errors and warnings, ordered by position.
    public var diagnostics: [Diagnostic]

    public init(timeline: Timeline?, diagnostics: [Diagnostic]) {
        self.timeline = timeline
        self.diagnostics = diagnostics
    }

    public var isValid: Bool { timeline != nil }
    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
}

/// Bounds that keep any script, however written, cheap to compile and to play.
public struct CompileLimits: Sendable, Hashable {
    /// Most segments a timeline may expand to.
    public var maximumSegments: Int64 = 100_000
    /// Most cue events a timeline may hold.
    public var maximumCues: Int64 = 1_000_000
    /// Longest total duration, lead-in included.
    public var maximumTotalMs: Int64 = DurationText.maximumMs
    /// Longest chain of includes.
    public var maximumIncludeDepth = 32

    public init() {}
    public static let standard = CompileLimits()
}

/// Compiles session scripts into ``Timeline``s: resolves includes, expands repeats and
/// sides, places every cue at an exact integer-millisecond offset.
///
/// Default cues (docs/scripts.md is the user's reference):
/// - the first sound is `start` at offset 0: the lead-in's opening cue, or, without a
///   lead-in, the first step's opening cue;
/// - a lead-in ticks in its last 3 seconds and ends with `go`, the first step's opening cue;
/// - an explicit `cue:` on the first step wins over `start`/`go`;
/// - a step opens with `step`, a rest with `rest`, inhale/hold/exhale with the same-named cue;
///   the second and later sides open with `switch`;
/// - a reps step ticks at every rep boundary; `countdown: N` ticks at each of the last N
///   seconds; `halfway: true` sounds `halfway` at half the segment (integer ms);
/// - `every: D` sounds at every multiple of D strictly inside the segment, with `every-cue`
///   (default `bell`, `check` in a heat session) and `every-text`;
/// - `end` sounds at the total.
public struct TimelineCompiler: Sendable {
    /// A heat step longer than this is a safety warning (an error when strict).
    public static let heatStepLimitMs: Int64 = 20 * 60_000

    public var resolver: any SessionResolver
    /// Turns warnings (heat safety) into errors.
    public var strict: Bool
    public var limits: CompileLimits

    public init(resolver: any SessionResolver = InMemorySessions(), strict: Bool = false,
                limits: CompileLimits = .standard) {
        self.resolver = resolver
        self.strict = strict
        self.limits = limits
    }

    /// Reads, checks and compiles a script file's bytes (size and UTF-8 checked first).
    public func compile(bytes: [UInt8], path: String, id: String? = nil) -> CompileResult {
        finish(SessionScript.parse(bytes: bytes, path: path, id: id))
    }

    /// Parses, checks and compiles a script given as text.
    public func compile(text: String, path: String, id: String? = nil) -> CompileResult {
        finish(SessionScript.parse(text: text, path: path, id: id))
    }

    private func finish(_ parsed: SessionScript.ParseResult) -> CompileResult {
        guard let script = parsed.script else {
            var diagnostics = parsed.diagnostics
            if let partial = parsed.partial {
                // Report include problems now too, rather than after the other fixes.
                var resolution = Resolution(rootPath: partial.path, limits: limits)
                _ = resolution.plan(partial.steps, kind: partial.kind, path: partial.path,
                                    chain: [partial.id], resolver: resolver)
                diagnostics += resolution.diagnostics
            }
            let path = parsed.partial?.path ?? diagnostics.first?.file ?? ""
            return CompileResult(timeline: nil, diagnostics: Self.ordered(adjusted(diagnostics), rootPath: path))
        }
        var result = compile(script)
        result.diagnostics = adjusted(parsed.diagnostics) + result.diagnostics
        result.diagnostics = Self.ordered(result.diagnostics, rootPath: script.path)
        if result.diagnostics.contains(where: { $0.severity == .error }) { result.timeline = nil }
        return result
    }

    /// Compiles an already parsed script: resolves includes and flattens it.
    public func compile(_ script: SessionScript) -> CompileResult {
        var resolution = Resolution(rootPath: script.path, limits: limits)
        let plans = resolution.plan(script.steps, kind: script.kind, path: script.path,
                                    chain: [script.id], resolver: resolver)
        var diagnostics = resolution.diagnostics
        if diagnostics.contains(where: { $0.severity == .error }) {
            return CompileResult(timeline: nil, diagnostics: Self.ordered(adjusted(diagnostics), rootPath: script.path))
        }

        // Check the size before expanding anything.
        var total = Measure(segments: script.leadInMs == nil ? 0 : 1, cues: 2, durationMs: script.leadInMs ?? 0)
        for (plan, step) in zip(plans, script.steps) {
            total = total + plan.measure
            if let problem = total.exceeds(limits) {
                diagnostics.append(Diagnostic(
                    file: script.path, line: step.location.line, column: step.location.column,
                    severity: .error, message: problem))
                return CompileResult(timeline: nil, diagnostics: diagnostics)
            }
        }

        var emitter = Emitter(rootKind: script.kind, rootPath: script.path)
        emitter.reserve(total)
        if let leadIn = script.leadInMs { emitter.emitLeadIn(leadIn) }
        emitter.emit(plans, site: nil)
        emitter.finish()
        diagnostics += emitter.diagnostics

        if script.kind == .heat && !emitter.cues.contains(where: { $0.cue == .check }) {
            diagnostics.append(Diagnostic(
                file: script.path, line: script.kindLocation.line, column: script.kindLocation.column,
                severity: .warning,
                message: "a heat session without skin checks: add `every: 5m` to the heat step (in a heat session its interval cue is `check`) so the skin is checked for redness"))
        }
        diagnostics = Self.ordered(adjusted(diagnostics), rootPath: script.path)
        let timeline = Timeline(
            id: script.id, name: script.name, kind: script.kind, description: script.description,
            tags: script.tags, segments: emitter.segments, cues: emitter.cues, totalMs: emitter.offset)
        let failed = diagnostics.contains { $0.severity == .error }
        return CompileResult(timeline: failed ? nil : timeline, diagnostics: diagnostics)
    }

    /// Warnings become errors under strict mode.
    private func adjusted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        guard strict else { return diagnostics }
        return diagnostics.map { diagnostic in
            var copy = diagnostic
            if copy.severity == .warning {
                copy.severity = .error
                copy.message += " (an error under --strict)"
            }
            return copy
        }
    }

    /// The root file's diagnostics by position, then other files'; stable otherwise.
    static func ordered(_ diagnostics: [Diagnostic], rootPath: String) -> [Diagnostic] {
        var seen = Set<Diagnostic>()
        let unique = diagnostics.filter { seen.insert($0).inserted }
        return unique.enumerated().sorted { a, b in
            let ka = (a.element.file == rootPath ? 0 : 1, a.element.line, a.element.column, a.offset)
            let kb = (b.element.file == rootPath ? 0 : 1, b.element.line, b.element.column, b.offset)
            return ka < kb
        }.map(\.element)
    }
}

// MARK: - Sizes

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

/// A step with its includes resolved, ready to expand.
indirect enum Plan: Sendable {
    /// A leaf step, and the kind of the session it is written in (for default cues).
    case leaf(ScriptStep, kind: SessionKind, measure: Measure)
    /// A repeat block, or an included session (`includeSite` set, count 1).
    case block(count: Int, children: [Plan], measure: Measure, includeSite: SourceLocation?)

    var measure: Measure {
        switch self {
        case .leaf(_, _, let measure), .block(_, _, let measure, _): return measure
        }
    }

    static func leafMeasure(_ step: ScriptStep) -> Measure {
        let duration = ScriptReader.segmentDuration(step.action) ?? 0
        var cues: Int64 = 1 + Int64(step.countdown) + (step.halfway ? 1 : 0)
        if let every = step.everyMs, every > 0 { cues += (duration - 1) / every }
        if case .reps(_, let count, _) = step.action { cues += Int64(count - 1) }
        let sides = Int64(max(1, step.sides.count))
        return Measure(segments: sides, cues: Measure.multiply(cues, sides),
                       durationMs: Measure.multiply(duration, sides))
    }
}

// MARK: - Includes

/// Resolves includes into plans, memoised by id, detecting cycles along the include chain.
struct Resolution {
    let rootPath: String
    let limits: CompileLimits
    var diagnostics: [Diagnostic] = []
    private var resolved: [String: [Plan]] = [:]
    private var failed: Set<String> = []

    init(rootPath: String, limits: CompileLimits) {
        self.rootPath = rootPath
        self.limits = limits
    }

    /// - Parameter site: the root-file location of the include being expanded, nil in the root.
    mutating func plan(_ steps: [ScriptStep], kind: SessionKind, path: String, chain: [String],
                       resolver: any SessionResolver, site: SourceLocation? = nil) -> [Plan] {
        var plans: [Plan] = []
        for step in steps {
            switch step.action {
            case .repeatBlock(let count, let inner):
                let children = plan(inner, kind: kind, path: path, chain: chain, resolver: resolver, site: site)
                let measure = children.reduce(Measure.zero) { $0 + $1.measure } * count
                plans.append(.block(count: count, children: children, measure: measure, includeSite: nil))
            case .include(let id):
                let here = site ?? step.location
                if let children = include(id, chain: chain, resolver: resolver, at: here) {
                    let measure = children.reduce(Measure.zero) { $0 + $1.measure }
                    plans.append(.block(count: 1, children: children, measure: measure,
                                        includeSite: site == nil ? step.location : nil))
                }
            default:
                plans.append(.leaf(step, kind: kind, measure: Plan.leafMeasure(step)))
            }
        }
        return plans
    }

    private mutating func error(_ location: SourceLocation, _ message: String) {
        diagnostics.append(Diagnostic(file: rootPath, line: location.line, column: location.column,
                                      severity: .error, message: message))
    }

    private mutating func include(_ id: String, chain: [String], resolver: any SessionResolver,
                                  at location: SourceLocation) -> [Plan]? {
        if chain.contains(id) {
            let loop = (chain.drop(while: { $0 != id }) + [id]).joined(separator: " → ")
            error(location, "include cycle \(loop): a session cannot include itself, directly or through others; remove one of these includes")
            return nil
        }
        if let plans = resolved[id] { return plans }
        if failed.contains(id) { return nil }
        if chain.count >= limits.maximumIncludeDepth {
            error(location, "includes nest more than \(limits.maximumIncludeDepth) deep (\(chain.joined(separator: " → "))): flatten them")
            return nil
        }
        guard let source = resolver.parsedSession(forID: id) else {
            let known = resolver.knownIDs
            let hint = DidYouMean.suggestion(for: id, in: known).map { " (did you mean '\($0)'?)" } ?? ""
            error(location, "unknown session '\(id)' in `include`\(hint): `limber sessions` lists the ids you can include")
            failed.insert(id)
            return nil
        }
        if let problem = source.unreadable {
            error(location, "included session '\(id)' cannot be read: \(problem)")
            failed.insert(id)
            return nil
        }
        let parsed = source.result
        guard let script = parsed.script else {
            let errors = parsed.diagnostics.filter { $0.severity == .error }
            let first = errors.first.map { ": first, \($0)" } ?? ""
            error(location, "included session '\(id)' has \(errors.count) error(s)\(first); run `limber validate \(source.path)`")
            failed.insert(id)
            return nil
        }
        let plans = plan(script.steps, kind: script.kind, path: source.path, chain: chain + [id],
                         resolver: resolver, site: location)
        if diagnostics.contains(where: { $0.severity == .error }) {
            failed.insert(id)
            return nil
        }
        resolved[id] = plans
        return plans
    }
}

// MARK: - Expansion

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
            segments.append(Segment(
                index: index, role: role, text: side.map { "\(text) (\($0))" } ?? text,
                offsetMs: start, durationMs: duration, side: side, reps: reps?.count))
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
