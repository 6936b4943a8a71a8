import Yams

extension SessionScript {
    /// What parsing a script produced: the script when it has no errors, and every problem found.
    public struct ParseResult: Sendable {
        public var script: SessionScript?
        public var diagnostics: [Diagnostic]
        /// What could be read of a script with errors, so that include problems are
        /// reported together with the rest.
        var partial: SessionScript?

        init(script: SessionScript?, diagnostics: [Diagnostic], partial: SessionScript? = nil) {
            self.script = script
            self.diagnostics = diagnostics
            self.partial = partial
        }
    }

    /// Keys of the header (the top-level mapping).
    public static let headerKeys = ["name", "kind", "description", "tags", "lead-in", "voice", "steps"]
    /// Keys a step may have.
    public static let stepKeys = [
        "do", "for", "reps", "pace", "rest", "inhale", "hold", "exhale", "sides", "repeat", "steps",
        "include", "cue", "countdown", "halfway", "every", "every-cue", "every-text", "say", "count",
    ]
    /// How deep `repeat` blocks may nest.
    public static let maximumRepeatNesting = 16

    /// The session id of a script file: its file stem (`dir/box-breathing.yaml` → `box-breathing`).
    public static func id(forPath path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        for suffix in [".yaml", ".yml"] where name.hasSuffix(suffix) && name.count > suffix.count {
            return String(name.dropLast(suffix.count))
        }
        return name
    }

    /// Parses a script file's bytes: checks size (1 MiB) and UTF-8 first.
    public static func parse(bytes: [UInt8], path: String, id: String? = nil) -> ParseResult {
        switch ScriptText.decode(bytes, path: path) {
        case .text(let text): return parse(text: text, path: path, id: id)
        case .rejected(let diagnostic): return ParseResult(script: nil, diagnostics: [diagnostic])
        }
    }

    /// Parses and checks a script's text, reporting every problem at once.
    ///
    /// - Parameters:
    ///   - path: how diagnostics name the file.
    ///   - id: the session id; defaults to the file stem of `path`.
    public static func parse(text: String, path: String, id: String? = nil) -> ParseResult {
        let id = id ?? Self.id(forPath: path)
        if text.utf8.count > ScriptText.maximumBytes {
            return ParseResult(script: nil, diagnostics: [Diagnostic(
                file: path, line: 0, column: 0, severity: .error,
                message: "the file is \(text.utf8.count) bytes, over the 1 MiB limit for a session script: split it and use `include:`")])
        }
        let structural = ScriptText.structuralProblems(text, path: path)
        if !structural.isEmpty { return ParseResult(script: nil, diagnostics: structural) }
        let root: Node?
        do {
            // Every value is read as text; the basic resolver skips the regex-based tag rules.
            root = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            return ParseResult(script: nil, diagnostics: [YAMLErrors.diagnostic(for: error, text: text, path: path, oneDocumentMessage: "a session file holds one YAML document: remove this `---` and what follows, or move it to its own file",
                duplicateHint: " (start a new `- ` list item for a new step)")])
        } catch {
            return ParseResult(script: nil, diagnostics: [Diagnostic(
                file: path, line: 0, column: 0, severity: .error,
                message: "not valid YAML: \(error)")])
        }
        guard let root else {
            return ParseResult(script: nil, diagnostics: [Diagnostic(
                file: path, line: 0, column: 0, severity: .error,
                message: "the file is empty: a session needs `name`, `kind`, `description` and `steps`")])
        }
        var reader = ScriptReader(path: path)
        let script = reader.readSession(root, id: id)
        let hasErrors = reader.diagnostics.contains { $0.severity == .error }
        return ParseResult(script: hasErrors ? nil : script, diagnostics: reader.diagnostics,
                           partial: hasErrors ? reader.partial : nil)
    }
}

/// Walks a composed YAML tree into a ``SessionScript``, collecting every diagnostic.
struct ScriptReader: NodeReader {
    let path: String
    var diagnostics: [Diagnostic] = []
    /// The readable part of a script with errors in its header or steps.
    var partial: SessionScript?

    init(path: String) { self.path = path }

    // MARK: Header

    mutating func readSession(_ root: Node, id: String) -> SessionScript? {
        guard case .mapping(let mapping) = root else {
            error(Self.location(root), "the top level must be a mapping with `name`, `kind`, `description` and `steps`, not a \(Self.shapeName(root))")
            return nil
        }
        let entries = readKeys(mapping, allowed: SessionScript.headerKeys, context: "the session header")
        let rootLocation = Self.location(root)

        var name: String?
        var kind: SessionKind?
        var kindLocation = rootLocation
        var description: String?
        for required in ["name", "kind", "description", "steps"] where entries[required] == nil {
            let example = ["name": "name: Morning mobility", "kind": "kind: exercise",
                           "description": "description: What it is for.",
                           "steps": "steps: [ {do: Cat-cow, for: 30s} ]"][required] ?? required
            error(rootLocation, "missing `\(required)`: add it at the top level, e.g. `\(example)`")
        }
        if let entry = entries["name"] { name = readText(entry.value, key: "name") }
        if let entry = entries["description"] { description = readText(entry.value, key: "description") }
        if let entry = entries["kind"], let text = readScalar(entry.value, key: "kind", example: "kind: exercise") {
            kindLocation = Self.location(entry.value)
            if let value = SessionKind(rawValue: text) {
                kind = value
            } else {
                let names = SessionKind.allCases.map(\.rawValue)
                error(kindLocation, "unknown kind '\(text)'\(DidYouMean.hint(for: text, in: names)): use one of \(names.joined(separator: ", "))")
            }
        }
        var tags: [String] = []
        if let entry = entries["tags"] {
            if case .sequence(let sequence) = entry.value {
                for item in sequence {
                    if let tag = readText(item, key: "tags") { tags.append(tag) }
                }
            } else if !Self.isNull(entry.value) {
                error(Self.location(entry.value), "`tags` must be a list, e.g. `tags: [mobility, floor]`")
            }
        }
        var leadIn: Int64?
        if let entry = entries["lead-in"] { leadIn = readDuration(entry.value, key: "lead-in") }
        var steps: [ScriptStep] = []
        if let entry = entries["steps"] { steps = readSteps(entry.value, key: entry.key, depth: 0) }

        let voice = entries["voice"].map { readSwitch($0.value, key: "voice") ?? true } ?? true
        partial = SessionScript(id: id, path: path, name: name ?? "", kind: kind ?? .exercise,
                                description: description ?? "", tags: tags, leadInMs: leadIn,
                                steps: steps, kindLocation: kindLocation)
        partial?.voice = voice
        guard let name, let kind, let description else { return nil }
        var script = SessionScript(id: id, path: path, name: name, kind: kind, description: description,
                                   tags: tags, leadInMs: leadIn, steps: steps, kindLocation: kindLocation)
        script.voice = voice
        return script
    }


    // MARK: Steps

    mutating func readSteps(_ node: Node, key: Node, depth: Int) -> [ScriptStep] {
        guard case .sequence(let sequence) = node else {
            if Self.isNull(node) {
                error(Self.location(key), "`steps` is empty: add at least one step, e.g. `- do: Cat-cow` with `for: 30s`")
            } else {
                error(Self.location(node), "`steps` must be a list of steps (each item starts with `- `), not a \(Self.shapeName(node))")
            }
            return []
        }
        if sequence.count == 0 {
            error(Self.location(node), "`steps` is empty: add at least one step, e.g. `- do: Cat-cow` with `for: 30s`")
            return []
        }
        var steps: [ScriptStep] = []
        for item in sequence {
            if let step = readStep(item, depth: depth) { steps.append(step) }
        }
        return steps
    }

    private static let actionKeys = ["repeat", "include", "rest", "inhale", "hold", "exhale"]
    private static let cueKeys = ["cue", "countdown", "halfway", "every", "every-cue", "every-text", "say"]

    mutating func readStep(_ node: Node, depth: Int) -> ScriptStep? {
        let location = Self.location(node)
        guard case .mapping(let mapping) = node else {
            error(location, "a step must be a mapping such as `- do: Child's pose` with `for: 30s`, not a \(Self.shapeName(node))")
            return nil
        }
        let reported = diagnostics.count
        let entries = readKeys(mapping, allowed: SessionScript.stepKeys, context: "a step")
        let hadUnknownKeys = diagnostics.count > reported
        let keyOrder = mapping.compactMap { key, _ -> String? in
            guard case .scalar(let s) = key, entries[s.string] != nil else { return nil }
            return s.string
        }
        let actions = keyOrder.filter { Self.actionKeys.contains($0) }
        if actions.count > 1, let second = entries[actions[1]] {
            error(Self.location(second.key), "a step cannot have both `\(actions[0])` and `\(actions[1])`: split it into two steps")
            return nil
        }
        let action = actions.first ?? (entries["do"] != nil ? "do" : nil)
        guard let action else {
            if hadUnknownKeys {
                // The unknown key's did-you-mean is the fix; "no action" would only repeat it.
            } else if entries["steps"] != nil {
                error(location, "nested `steps` need `repeat: N` in the same step, e.g. `- repeat: 3`")
            } else if entries.isEmpty {
                error(location, "this step has no action: use `do:` with `for:` or `reps:`, or `rest:`, `inhale:`, `hold:`, `exhale:`, `repeat:` or `include:`")
            } else {
                error(location, "this step has no action: add `do: WHAT TO DO` with `for: DURATION` (or `reps:`), or make it a `rest:`")
            }
            return nil
        }

        var allowed: Set<String>
        switch action {
        case "repeat": allowed = ["repeat", "steps"]
        case "include": allowed = ["include"]
        case "rest": allowed = Set(["rest"] + Self.cueKeys)
        case "inhale", "hold", "exhale": allowed = Set([action, "do"] + Self.cueKeys)
        default: allowed = Set(["do", "for", "reps", "pace", "sides", "count"] + Self.cueKeys)
        }
        var misplaced = false
        for key in keyOrder where !allowed.contains(key) {
            guard let entry = entries[key] else { continue }
            misplaced = true
            let what = action == "do" ? "a `do` step" : "a `\(action)` step"
            var fix = "remove it"
            if action == "repeat" && Self.cueKeys.contains(key) { fix = "put it on a step inside the repeat" }
            if action == "include" { fix = "an include takes only `include: ID`; put cues in the included session" }
            if key == "steps" { fix = "nested `steps` belong to a `repeat:` step" }
            if key == "for" || key == "reps" || key == "pace" || key == "sides" {
                fix = "`\(key)` goes with `do:`; put it in its own step"
            }
            error(Self.location(entry.key), "`\(key)` does not belong in \(what): \(fix)")
        }
        if misplaced { return nil }

        var step: ScriptStep
        switch action {
        case "repeat":
            guard let entry = entries["repeat"] else { return nil }
            let count = readInteger(entry.value, key: "repeat", range: 1...Int.max, example: "repeat: 3")
            guard let stepsEntry = entries["steps"] else {
                error(Self.location(entry.key), "`repeat` needs nested `steps:` listing what to repeat")
                return nil
            }
            if depth + 1 > SessionScript.maximumRepeatNesting {
                error(Self.location(entry.key), "`repeat` blocks nest more than \(SessionScript.maximumRepeatNesting) deep: flatten them")
                return nil
            }
            let inner = readSteps(stepsEntry.value, key: stepsEntry.key, depth: depth + 1)
            guard let count, !inner.isEmpty else { return nil }
            step = ScriptStep(action: .repeatBlock(count: count, steps: inner), location: location)
        case "include":
            guard let entry = entries["include"],
                  let id = readScalar(entry.value, key: "include", example: "include: box-breathing")
            else { return nil }
            step = ScriptStep(action: .include(id: id), location: location)
        case "rest":
            guard let entry = entries["rest"], let duration = readDuration(entry.value, key: "rest") else { return nil }
            step = ScriptStep(action: .rest(durationMs: duration), location: location)
        case "inhale", "hold", "exhale":
            guard let entry = entries[action], let phase = ScriptStep.BreathPhase(rawValue: action) else { return nil }
            let duration = readDuration(entry.value, key: action)
            var text: String?
            if let doEntry = entries["do"] {
                text = readText(doEntry.value, key: "do")
                if text == nil { return nil }
            }
            guard let duration else { return nil }
            step = ScriptStep(action: .breath(phase: phase, text: text, durationMs: duration), location: location)
        default:
            guard let doEntry = entries["do"] else { return nil }
            let text = readText(doEntry.value, key: "do")
            let forEntry = entries["for"]
            let repsEntry = entries["reps"]
            let paceEntry = entries["pace"]
            var action: ScriptStep.Action?
            if let forEntry, let repsEntry {
                _ = forEntry
                error(Self.location(repsEntry.key), "a step cannot have both `for` and `reps`: keep `for: DURATION` for a hold, or `reps: N` with `pace: DURATION`")
                return nil
            } else if let forEntry {
                if let paceEntry {
                    error(Self.location(paceEntry.key), "`pace` goes with `reps`, not `for`: remove it, or replace `for` with `reps: N`")
                }
                if let duration = readDuration(forEntry.value, key: "for"), let text, paceEntry == nil {
                    action = .timed(text: text, durationMs: duration)
                }
            } else if let repsEntry {
                let count = readInteger(repsEntry.value, key: "reps", range: 1...10_000, example: "reps: 10")
                guard let paceEntry else {
                    error(Self.location(repsEntry.key), "`reps` needs `pace: DURATION`, the time for one rep, e.g. `pace: 3s`")
                    return nil
                }
                let pace = readDuration(paceEntry.value, key: "pace")
                if let count, let pace, let text {
                    if pace.multipliedReportingOverflow(by: Int64(count)).partialValue > DurationText.maximumMs
                        || pace.multipliedReportingOverflow(by: Int64(count)).overflow {
                        error(Self.location(repsEntry.key), "\(count) reps at \(DurationText.format(pace)) is longer than 24h: lower `reps` or `pace`")
                    } else {
                        action = .reps(text: text, count: count, paceMs: pace)
                    }
                }
            } else {
                if let paceEntry {
                    error(Self.location(paceEntry.key), "`pace` needs `reps: N` in the same step")
                }
                if !hadUnknownKeys {
                    error(Self.location(doEntry.key), "`do` needs a length: add `for: DURATION` (e.g. `for: 30s`) or `reps: N` with `pace: DURATION`")
                }
                return nil
            }
            guard let action else { return nil }
            step = ScriptStep(action: action, location: location)
            if let sidesEntry = entries["sides"] {
                guard let sides = readSides(sidesEntry.value) else { return nil }
                step.sides = sides
            }
        }
        guard readCueOptions(entries, into: &step), readSpeechOptions(entries, into: &step) else { return nil }
        return step
    }

    mutating func readSides(_ node: Node) -> [String]? {
        guard case .sequence(let sequence) = node, sequence.count >= 2 else {
            error(Self.location(node), "`sides` must list two or more sides, e.g. `sides: [left, right]`")
            return nil
        }
        var sides: [String] = []
        var ok = true
        for item in sequence {
            guard let side = readText(item, key: "sides") else { ok = false; continue }
            if sides.contains(side) {
                error(Self.location(item), "side '\(side)' is listed twice: list each side once, e.g. `sides: [left, right]`")
                ok = false
            }
            sides.append(side)
        }
        return ok ? sides : nil
    }

    /// `cue`, `countdown`, `halfway`, `every`, `every-cue`, `every-text`; false on an error.
    mutating func readCueOptions(_ entries: [String: (key: Node, value: Node)], into step: inout ScriptStep) -> Bool {
        let before = diagnostics.count
        if let entry = entries["cue"] { step.cue = readCue(entry.value, key: "cue") }
        if let entry = entries["countdown"] {
            step.countdown = readInteger(entry.value, key: "countdown", range: 0...3_600, example: "countdown: 3") ?? 0
        }
        if let entry = entries["halfway"] {
            switch readScalar(entry.value, key: "halfway", example: "halfway: true")?.lowercased() {
            case "true", "yes", "on": step.halfway = true
            case "false", "no", "off": step.halfway = false
            case nil: break
            case let other?: error(Self.location(entry.value), "`halfway` is true or false, not '\(other)'")
            }
        }
        if let entry = entries["every"] { step.everyMs = readDuration(entry.value, key: "every") }
        if let entry = entries["every-cue"] {
            step.everyCue = readCue(entry.value, key: "every-cue")
            if entries["every"] == nil {
                error(Self.location(entry.key), "`every-cue` needs `every: DURATION` in the same step, e.g. `every: 5m`")
            }
        }
        if let entry = entries["every-text"] {
            step.everyText = readText(entry.value, key: "every-text")
            if entries["every"] == nil {
                error(Self.location(entry.key), "`every-text` needs `every: DURATION` in the same step, e.g. `every: 5m`")
            }
        }
        let duration = Self.segmentDuration(step.action)
        if let duration, step.countdown > 0, Int64(step.countdown) * 1_000 >= duration, let entry = entries["countdown"] {
            let most = (duration - 1) / 1_000
            error(Self.location(entry.value), "countdown \(step.countdown) does not fit in a \(DurationText.format(duration)) step: use at most \(most)")
        }
        if let duration, let every = step.everyMs, every >= duration, let entry = entries["every"] {
            error(Self.location(entry.value), "`every: \(DurationText.format(every))` is not shorter than the step (\(DurationText.format(duration))), so no interval cue would sound: shorten `every` or remove it")
        }
        return diagnostics.count == before
    }

    /// The length of one segment of a leaf step, nil for blocks.
    static func segmentDuration(_ action: ScriptStep.Action) -> Int64? {
        switch action {
        case .timed(_, let ms), .rest(let ms), .breath(_, _, let ms): return ms
        case .reps(_, let count, let pace): return pace * Int64(count)
        case .repeatBlock, .include: return nil
        }
    }

    // MARK: Values

    mutating func readText(_ node: Node, key: String) -> String? {
        readScalar(node, key: key, example: "\(key): \(key == "do" ? "Child's pose" : "…")")
    }

    mutating func readCue(_ node: Node, key: String) -> Cue? {
        guard let text = readScalar(node, key: key, example: "\(key): bell") else { return nil }
        if let cue = Cue(rawValue: text) { return cue }
        let names = Cue.allCases.map(\.rawValue)
        error(Self.location(node), "unknown cue '\(text)'\(DidYouMean.hint(for: text, in: names)): valid cues are \(names.joined(separator: ", "))")
        return nil
    }
}
