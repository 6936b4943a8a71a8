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
