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
        var timeline = Timeline(
            id: script.id, name: script.name, kind: script.kind, description: script.description,
            tags: script.tags, segments: emitter.segments, cues: emitter.cues, totalMs: emitter.offset)
        if !script.voice { timeline.voice = false }
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
