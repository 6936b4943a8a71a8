import Yams

/// Reads `config.yaml` into a ``LimberConfig``, reporting every problem at once with
/// `file:line:column` and a did-you-mean for misspelt keys.
public enum ConfigParser {
    /// The largest config file read: 256 KiB.
    public static let maximumBytes = 256 * 1024

    public static let topLevelKeys = ["breaks", "working-hours", "schedule", "audio", "voice", "hooks", "notifications", "presence"]
    public static let breaksKeys = ["movement", "posture", "snooze", "max-snoozes", "reminders",
                                    "reminder-interval", "natural-break", "sessions-count"]
    public static let breakKindKeys = ["every", "duration", "session", "enabled"]
    public static let audioKeys = ["device", "volume", "cues"]

    /// Parses a config file's text. `config` is nil when any error was found; an empty
    /// file gives the defaults.
    ///
    /// - Parameter path: how diagnostics name the file.
    public static func parse(text: String, path: String) -> (config: LimberConfig?, diagnostics: [Diagnostic]) {
        if text.utf8.count > maximumBytes {
            return (nil, [Diagnostic(file: path, line: 0, column: 0, severity: .error,
                                     message: "the file is \(text.utf8.count) bytes, over the 256 KiB limit for a config file")])
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            return (nil, [YAMLErrors.diagnostic(
                for: error, text: text, path: path,
                oneDocumentMessage: "the config holds one YAML document: remove this `---` and what follows")])
        } catch {
            return (nil, [Diagnostic(file: path, line: 0, column: 0, severity: .error, message: "not valid YAML: \(error)")])
        }
        var reader = ConfigReader(path: path)
        let config = root.map { reader.readConfig($0) } ?? LimberConfig()
        let hasErrors = reader.diagnostics.contains { $0.severity == .error }
        // Sections are read in a fixed order; report in file order.
        let sorted = reader.diagnostics.enumerated().sorted {
            ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset)
        }.map(\.element)
        return (hasErrors ? nil : config, sorted)
    }
}

/// Walks a composed config tree, starting from the defaults and replacing what the file sets.
struct ConfigReader: NodeReader {
    let path: String
    var diagnostics: [Diagnostic] = []

    init(path: String) { self.path = path }

    typealias Entries = [String: (key: Node, value: Node)]

    /// The entries of a mapping section, or nil (with an error) when it is another shape.
    /// A null section (`audio:` with nothing under it) is an empty mapping.
    mutating func section(_ node: Node, key: String, allowed: [String], context: String, example: String) -> Entries? {
        if Self.isNull(node) { return [:] }
        guard case .mapping(let mapping) = node else {
            error(Self.location(node), "`\(key)` must be a mapping, e.g. `\(example)`, not a \(Self.shapeName(node))")
            return nil
        }
        return readKeys(mapping, allowed: allowed, context: context)
    }

    mutating func readConfig(_ root: Node) -> LimberConfig {
        var config = LimberConfig()
        if Self.isNull(root) { return config }
        guard case .mapping(let mapping) = root else {
            error(Self.location(root), "the top level must be a mapping of sections (`breaks:`, `working-hours:`, `schedule:`, `audio:`, `voice:`, `hooks:`, `notifications:`, `presence:`), not a \(Self.shapeName(root))")
            return config
        }
        let entries = readKeys(mapping, allowed: ConfigParser.topLevelKeys, context: "the config")
        if let entry = entries["breaks"] { readBreaks(entry.value, into: &config.breaks) }
        if let entry = entries["working-hours"] {
            config.workingHours = readRules(entry.value, key: "working-hours",
                                            example: "mon-fri 09:00-12:30,13:30-17:30", parse: RuleText.workingHours)
        }
        if let entry = entries["schedule"] {
            config.schedule = readRules(entry.value, key: "schedule",
                                        example: "mon,wed,fri 07:30 morning-mobility", parse: RuleText.scheduled)
        }
        if let entry = entries["audio"] { readAudio(entry.value, into: &config.audio) }
        if let entry = entries["voice"] { readVoice(entry.value, into: &config.voice) }
        if let entry = entries["hooks"] { config.hooks = readHooks(entry.value) }
        if let entry = entries["notifications"],
           let section = section(entry.value, key: "notifications", allowed: ["breaks", "sessions"], context: "`notifications`",
                                 example: "notifications: {breaks: true, sessions: false}") {
            if let entry = section["breaks"], let value = readBool(entry.value, key: "breaks") { config.notifications.breaks = value }
            if let entry = section["sessions"], let value = readBool(entry.value, key: "sessions") { config.notifications.sessions = value }
        }
        if let entry = entries["presence"],
           let section = section(entry.value, key: "presence", allowed: ["idle-after", "logind"], context: "`presence`",
                                 example: "presence: {idle-after: 2m}") {
            if let entry = section["idle-after"], let value = readDuration(entry.value, key: "idle-after") {
                config.presence.idleAfterMs = value
            }
            if let entry = section["logind"], let value = readBool(entry.value, key: "logind") { config.presence.logind = value }
        }
        return config
    }

    mutating func readBreaks(_ node: Node, into breaks: inout LimberConfig.Breaks) {
        guard let entries = section(node, key: "breaks", allowed: ConfigParser.breaksKeys,
                                    context: "`breaks`", example: "breaks: {snooze: 5m}") else { return }
        if let entry = entries["movement"] { readKind(entry.value, key: "movement", into: &breaks.movement) }
        if let entry = entries["posture"] { readKind(entry.value, key: "posture", into: &breaks.posture) }
        if let entry = entries["snooze"], let value = readDuration(entry.value, key: "snooze") { breaks.snoozeMs = value }
        if let entry = entries["max-snoozes"],
           let value = readInteger(entry.value, key: "max-snoozes", range: 0...100, example: "max-snoozes: 2") {
            breaks.maxSnoozes = value
        }
        if let entry = entries["reminders"],
           let value = readInteger(entry.value, key: "reminders", range: 0...100, example: "reminders: 3") {
            breaks.reminders = value
        }
        if let entry = entries["reminder-interval"], let value = readDuration(entry.value, key: "reminder-interval") {
            breaks.reminderIntervalMs = value
        }
        if let entry = entries["natural-break"], let value = readDuration(entry.value, key: "natural-break") {
            breaks.naturalBreakMs = value
        }
        if let entry = entries["sessions-count"],
           let text = readScalar(entry.value, key: "sessions-count", example: "sessions-count: long-enough") {
            let names = LimberConfig.SessionsCount.allCases.map(\.rawValue)
            if let value = LimberConfig.SessionsCount(rawValue: text) {
                breaks.sessionsCount = value
            } else {
                error(Self.location(entry.value), "`sessions-count` is one of \(names.joined(separator: ", ")), not '\(text)'")
            }
        }
    }

    mutating func readKind(_ node: Node, key: String, into kind: inout LimberConfig.BreakKindConfig) {
        guard let entries = section(node, key: key, allowed: ConfigParser.breakKindKeys, context: "`\(key)`",
                                    example: "\(key): {every: 45m, duration: 3m}") else { return }
        if let entry = entries["every"], let value = readDuration(entry.value, key: "every") { kind.everyMs = value }
        if let entry = entries["duration"], let value = readDuration(entry.value, key: "duration") { kind.durationMs = value }
        if let entry = entries["session"] {
            // `session: ~` or `session: none` unlinks the default session.
            if Self.isNull(entry.value) {
                kind.session = nil
            } else if let value = readScalar(entry.value, key: "session", example: "session: desk-reset") {
                kind.session = value.lowercased() == "none" ? nil : value
            }
        }
        if let entry = entries["enabled"], let value = readBool(entry.value, key: "enabled") { kind.enabled = value }
        if kind.durationMs >= kind.everyMs, let entry = entries["duration"] ?? entries["every"] {
            error(Self.location(entry.value), "`\(key)`: the break (\(DurationText.format(kind.durationMs))) must be shorter than `every` (\(DurationText.format(kind.everyMs)))")
        }
    }

    mutating func readBool(_ node: Node, key: String) -> Bool? {
        guard let text = readScalar(node, key: key, example: "\(key): true") else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            error(Self.location(node), "`\(key)` is true or false, not '\(text)'")
            return nil
        }
    }

    /// A number from 0 to 1 (`0.5`, `1`, `0`).
    mutating func readLevel(_ node: Node, key: String) -> Double? {
        guard let text = readScalar(node, key: key, example: "\(key): 0.5") else { return nil }
        guard text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), let value = Double(text),
              value.isFinite, (0...1).contains(value) else {
            error(Self.location(node), "`\(key)` must be a number from 0 to 1, e.g. `\(key): 0.5`, not '\(text)'")
            return nil
        }
        return value
    }

    mutating func readAudio(_ node: Node, into audio: inout LimberConfig.Audio) {
        guard let entries = section(node, key: "audio", allowed: ConfigParser.audioKeys, context: "`audio`",
                                    example: "audio: {volume: 0.5}") else { return }
        if let entry = entries["device"], let value = readScalar(entry.value, key: "device", example: "device: default") {
            audio.device = value
        }
        if let entry = entries["volume"], let value = readLevel(entry.value, key: "volume") { audio.volume = value }
        if let entry = entries["cues"] {
            if Self.isNull(entry.value) { return }
            guard case .mapping(let mapping) = entry.value else {
                error(Self.location(entry.value), "`cues` must map cue names to volumes, e.g. `cues: {tick: 0.3, break: 0.8}`, not a \(Self.shapeName(entry.value))")
                return
            }
            let names = Cue.allCases.map(\.rawValue)
            for (key, value) in mapping {
                guard case .scalar(let scalar) = key else {
                    error(Self.location(key), "cue names must be plain words such as `tick`, not a \(Self.shapeName(key))")
                    continue
                }
                guard let cue = Cue(rawValue: scalar.string) else {
                    let hint = DidYouMean.suggestion(for: scalar.string, in: names)
                        .map { "did you mean '\($0)'?" } ?? "valid cues: \(names.joined(separator: ", "))"
                    error(Self.location(key), "unknown cue '\(scalar.string)' in `cues`: \(hint)")
                    continue
                }
                if let level = readLevel(value, key: cue.rawValue) { audio.cues[cue] = level }
            }
        }
    }

    mutating func readHooks(_ node: Node) -> [HookEvent: [String]] {
        let names = HookEvent.allCases.map(\.rawValue)
        guard let entries = section(node, key: "hooks", allowed: names, context: "`hooks`",
                                    example: "hooks: {break-due: [notify-send, Move]}") else { return [:] }
        var hooks: [HookEvent: [String]] = [:]
        for (name, entry) in entries {
            guard let event = HookEvent(rawValue: name) else { continue }
            let example = "\(name): [notify-send, \"Time to move\"]"
            if let argv = readArgv(entry.value, key: name, example: example) { hooks[event] = argv }
        }
        return hooks
    }

    /// A list of rule strings, each parsed by `parse`; errors point inside the string.
    mutating func readRules<Rule>(_ node: Node, key: String, example: String,
                                  parse: (String) throws(RuleTextError) -> Rule) -> [Rule] {
        if Self.isNull(node) { return [] }
        guard case .sequence(let sequence) = node else {
            error(Self.location(node), "`\(key)` must be a list, e.g.\n  \(key):\n    - \(example)")
            return []
        }
        var rules: [Rule] = []
        for item in sequence {
            guard case .scalar(let scalar) = item, let text = readScalar(item, key: key, example: "- \(example)") else {
                if case .scalar = item {} else {
                    error(Self.location(item), "each `\(key)` entry is one line of text, e.g. `- \(example)`, not a \(Self.shapeName(item))")
                }
                continue
            }
            do {
                rules.append(try parse(text))
            } catch {
                let base = Self.location(item)
                // Point at the offending word: plain scalars start at their mark, quoted ones one later.
                let leading = scalar.string.prefix { $0 == " " || $0 == "\t" }.count
                let shift: Int
                switch scalar.style {
                case .plain: shift = leading + error.offset
                case .singleQuoted, .doubleQuoted: shift = 1 + leading + error.offset
                default: shift = 0
                }
                let location = base.line == 0 ? base : SourceLocation(line: base.line, column: base.column + shift)
                self.error(location, "`\(key)` entry '\(text)': \(error.message)")
            }
        }
        return rules
    }
}
