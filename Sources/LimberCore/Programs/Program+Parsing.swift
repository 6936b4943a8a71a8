import Yams

extension Program {
    /// What parsing a program produced: the program when it has no errors, and every problem.
    public struct ParseResult: Sendable {
        public var program: Program?
        public var diagnostics: [Diagnostic]

        public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    }

    public static let headerKeys = ["name", "description", "time", "stages"]
    public static let stageKeys = ["name", "weeks", "plan", "rules"]
    /// The longest a stage's minimum may be.
    public static let maximumWeeks = 52

    /// True when `text` is a program rather than a session: its top level has `stages:`.
    ///
    /// `limber validate` uses this to pick the checker; a session has `steps:` instead.
    public static func looksLikeProgram(_ text: String) -> Bool {
        text.split(separator: "\n", omittingEmptySubsequences: false).contains {
            $0.hasPrefix("stages:") || $0.hasPrefix("\"stages\":") || $0.hasPrefix("'stages':")
        }
    }

    /// Parses and checks a program's text, reporting every problem at once.
    ///
    /// - Parameters:
    ///   - path: how diagnostics name the file; its stem is the program id unless `id` is given.
    ///   - knownSessions: the session ids a plan may name; nil skips that check.
    public static func parse(text: String, path: String, id: String? = nil, knownSessions: [String]? = nil) -> ParseResult {
        let id = id ?? SessionScript.id(forPath: path)
        if text.utf8.count > ScriptText.maximumBytes {
            return ParseResult(program: nil, diagnostics: [Diagnostic(
                file: path, line: 0, column: 0, severity: .error,
                message: "the file is \(text.utf8.count) bytes, over the 1 MiB limit for a program: split it")])
        }
        let structural = ScriptText.structuralProblems(text, path: path)
        if !structural.isEmpty { return ParseResult(program: nil, diagnostics: structural) }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            return ParseResult(program: nil, diagnostics: [YAMLErrors.diagnostic(
                for: error, text: text, path: path,
                oneDocumentMessage: "a program file holds one YAML document: remove this `---` and what follows, or move it to its own file",
                duplicateHint: " (start a new `- ` list item for a new stage)")])
        } catch {
            return ParseResult(program: nil, diagnostics: [Diagnostic(
                file: path, line: 0, column: 0, severity: .error, message: "not valid YAML: \(error)")])
        }
        guard let root else {
            return ParseResult(program: nil, diagnostics: [Diagnostic(
                file: path, line: 0, column: 0, severity: .error,
                message: "the file is empty: a program needs `name`, `description` and `stages`")])
        }
        var reader = ProgramReader(path: path, knownSessions: knownSessions)
        let program = reader.readProgram(root, id: id)
        let hasErrors = reader.diagnostics.contains { $0.severity == .error }
        return ParseResult(program: hasErrors ? nil : program, diagnostics: reader.diagnostics)
    }
}

/// Walks a composed YAML tree into a ``Program``, collecting every diagnostic.
struct ProgramReader: NodeReader {
    let path: String
    let knownSessions: [String]?
    var diagnostics: [Diagnostic] = []

    init(path: String, knownSessions: [String]?) {
        self.path = path
        self.knownSessions = knownSessions
    }

    mutating func readProgram(_ root: Node, id: String) -> Program? {
        guard case .mapping(let mapping) = root else {
            error(Self.location(root), "the top level must be a mapping with `name`, `description` and `stages`, not a \(Self.shapeName(root))")
            return nil
        }
        let entries = readKeys(mapping, allowed: Program.headerKeys, context: "the program header")
        let rootLocation = Self.location(root)
        for required in ["name", "description", "stages"] where entries[required] == nil {
            let example = ["name": "name: Back on track", "description": "description: What it is for.",
                           "stages": "stages: [ {name: Mobility, weeks: 2, plan: {daily: [cat-cow]}} ]"][required] ?? required
            error(rootLocation, "missing `\(required)`: add it at the top level, e.g. `\(example)`")
        }
        let name = entries["name"].flatMap { readScalar($0.value, key: "name", example: "name: Back on track") }
        let description = entries["description"].flatMap {
            readScalar($0.value, key: "description", example: "description: What it is for.")
        }
        var time: LocalTime?
        if let entry = entries["time"], let text = readScalar(entry.value, key: "time", example: "time: 07:30") {
            time = LocalTime.parse(text)
            if time == nil {
                error(Self.location(entry.value), "'\(text)' is not a time: write 24-hour HH:MM, e.g. `time: 07:30`")
            }
        }
        var stages: [ProgramStage] = []
        if let entry = entries["stages"] { stages = readStages(entry.value, key: entry.key) }
        guard let name, let description, !stages.isEmpty else { return nil }
        return Program(id: id, path: path, name: name, description: description, time: time, stages: stages)
    }

    mutating func readStages(_ node: Node, key: Node) -> [ProgramStage] {
        guard case .sequence(let sequence) = node, sequence.count > 0 else {
            if Self.isNull(node) || node.sequence?.count == 0 {
                error(Self.location(Self.isNull(node) ? key : node), "`stages` is empty: add at least one stage, e.g. `- name: Mobility` with `weeks: 2` and `plan:`")
            } else {
                error(Self.location(node), "`stages` must be a list of stages (each item starts with `- `), not a \(Self.shapeName(node))")
            }
            return []
        }
        var stages: [ProgramStage] = []
        var complete = true
        for item in sequence {
            if let stage = readStage(item) { stages.append(stage) } else { complete = false }
        }
        return complete ? stages : []
    }

    mutating func readStage(_ node: Node) -> ProgramStage? {
        let location = Self.location(node)
        guard case .mapping(let mapping) = node else {
            error(location, "a stage must be a mapping with `name`, `weeks` and `plan`, not a \(Self.shapeName(node))")
            return nil
        }
        let before = diagnostics.count
        let entries = readKeys(mapping, allowed: Program.stageKeys, context: "a stage")
        for required in ["name", "weeks", "plan"] where entries[required] == nil {
            let example = ["name": "name: \"Weeks 1–2: mobility\"", "weeks": "weeks: 2",
                           "plan": "plan: {daily: [morning-mobility]}"][required] ?? required
            error(location, "this stage has no `\(required)`: add it, e.g. `\(example)`")
        }
        let name = entries["name"].flatMap { readScalar($0.value, key: "name", example: "name: \"Weeks 1–2: mobility\"") }
        let weeks = entries["weeks"].flatMap {
            readInteger($0.value, key: "weeks", range: 1...Program.maximumWeeks, example: "weeks: 2")
        }
        let plan = entries["plan"].map { readPlan($0.value, key: $0.key) } ?? []
        var rules = ProgressionRules()
        if let entry = entries["rules"] { readRules(entry.value, into: &rules) }
        guard diagnostics.count == before, let name, let weeks, !plan.isEmpty else { return nil }
        return ProgramStage(name: name, weeks: weeks, plan: plan, rules: rules)
    }

    /// `daily: [a]`, `mon,wed,fri: [b, c]`: days as in config schedules, then session ids.
    mutating func readPlan(_ node: Node, key: Node) -> [DayPlan] {
        guard case .mapping(let mapping) = node, mapping.count > 0 else {
            if Self.isNull(node) || node.mapping?.count == 0 {
                error(Self.location(Self.isNull(node) ? key : node), "`plan` is empty: map days to sessions, e.g. `daily: [morning-mobility]`")
            } else {
                error(Self.location(node), "`plan` must map days to lists of sessions, e.g. `mon,wed,fri: [glute-bridges, dead-bug]`, not a \(Self.shapeName(node))")
            }
            return []
        }
        var plan: [DayPlan] = []
        for (dayNode, sessionsNode) in mapping {
            guard case .scalar(let scalar) = dayNode else {
                error(Self.location(dayNode), "plan keys are days such as `daily` or `mon,wed,fri`, not a \(Self.shapeName(dayNode))")
                continue
            }
            var days: Set<Weekday>?
            do {
                days = try RuleText.days(RuleText.words(scalar.string))
            } catch {
                let base = Self.location(dayNode)
                let shift = scalar.style == .plain ? error.offset : 1 + error.offset
                self.error(SourceLocation(line: base.line, column: base.column + shift), "plan day '\(scalar.string)': \(error.message)")
            }
            // `{mon,fri: [a]}` has a key `mon` without a colon: its empty value is marked right
            // after the key, at the comma (`mon:` with nothing marks it past the colon).
            let key = Self.location(dayNode)
            let flowSplit = Self.isNull(sessionsNode) && scalar.style == .plain
                && Self.location(sessionsNode) == SourceLocation(line: key.line, column: key.column + scalar.string.count)
            let sessions = readSessionList(sessionsNode, day: scalar.string, flowKey: flowSplit ? key : nil)
            if let days, let sessions { plan.append(DayPlan(days: days, sessions: sessions)) }
        }
        return plan
    }

    /// - Parameter flowKey: where the key is, when it stands alone in a `{...}` plan, where a
    ///   comma separates entries (`{mon,fri: [a]}` reads as `mon` with nothing, and `fri`).
    mutating func readSessionList(_ node: Node, day: String, flowKey: SourceLocation?) -> [String]? {
        let example = "\(day): [morning-mobility]"
        guard case .sequence(let sequence) = node, sequence.count > 0 else {
            if case .scalar = node, !Self.isNull(node) {
                error(Self.location(node), "`\(day)` must be a list of session ids, e.g. `\(example)` (in brackets, even for one)")
            } else if let flowKey {
                error(flowKey, "`\(day)` names no sessions: inside `{...}` a comma separates entries, so quote a list of days, e.g. `\"mon,wed,fri\": [dead-bug]`, or list sessions for `\(day)`")
            } else {
                error(Self.location(node), "`\(day)` names no sessions: list at least one, e.g. `\(example)`")
            }
            return nil
        }
        var sessions: [String] = []
        var ok = true
        for item in sequence {
            guard let id = readScalar(item, key: day, example: example) else { ok = false; continue }
            if let knownSessions, !knownSessions.contains(id) {
                error(Self.location(item), "unknown session '\(id)'\(DidYouMean.hint(for: id, in: knownSessions)): `limber sessions` lists them")
                ok = false
            }
            sessions.append(id)
        }
        return ok ? sessions : nil
    }

    mutating func readRules(_ node: Node, into rules: inout ProgressionRules) {
        guard case .mapping(let mapping) = node else {
            error(Self.location(node), "`rules` must be a mapping, e.g. `rules: {completion: 80%, pain-during: 5}`, not a \(Self.shapeName(node))")
            return
        }
        let entries = readKeys(mapping, allowed: ProgressionRules.keys, context: "`rules`")
        if let entry = entries["completion"], let text = readScalar(entry.value, key: "completion", example: "completion: 80%") {
            let digits = text.hasSuffix("%") ? String(text.dropLast()) : text
            if let value = Int(digits), (1...100).contains(value) {
                rules.completionPercent = value
            } else {
                error(Self.location(entry.value), "`completion` is a percentage from 1% to 100%, e.g. `completion: 80%`, not '\(text)'")
            }
        }
        if let entry = entries["pain-during"],
           let value = readInteger(entry.value, key: "pain-during", range: 0...9, example: "pain-during: 5") {
            rules.painDuringMax = value
        }
        if let entry = entries["morning-rise"],
           let value = readInteger(entry.value, key: "morning-rise", range: 1...10, example: "morning-rise: 2") {
            rules.morningRise = value
        }
        if let entry = entries["step-back-after"],
           let value = readInteger(entry.value, key: "step-back-after", range: 1...7, example: "step-back-after: 2") {
            rules.stepBackAfter = value
        }
    }
}
