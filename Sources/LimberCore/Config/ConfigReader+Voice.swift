import Yams

extension ConfigParser {
    public static let voiceKeys = ["enabled", "name", "rate", "volume", "command"]
}

extension ConfigReader {
    /// The `voice:` section (docs/speech.md).
    mutating func readVoice(_ node: Node, into voice: inout LimberConfig.Voice) {
        guard let entries = section(node, key: "voice", allowed: ConfigParser.voiceKeys, context: "`voice`",
                                    example: "voice: {enabled: true, name: en-us, rate: 160, volume: 0.8}") else { return }
        if let entry = entries["enabled"], let value = readBool(entry.value, key: "enabled") { voice.enabled = value }
        if let entry = entries["name"], let value = readScalar(entry.value, key: "name", example: "name: en-us") {
            if value.isEmpty || value.contains(where: { $0.isWhitespace }) {
                error(Self.location(entry.value), "`name` is an espeak-ng voice such as `en-us` or `en-gb` (`limber voices` lists them), not '\(value)'")
            } else {
                voice.name = value
            }
        }
        if let entry = entries["rate"],
           let value = readInteger(entry.value, key: "rate", range: 80...450, example: "rate: 160") {
            voice.rate = value
        }
        if let entry = entries["volume"], let value = readLevel(entry.value, key: "volume") { voice.volume = value }
        if let entry = entries["command"] {
            if Self.isNull(entry.value) {
                voice.command = nil
            } else if let argv = readArgv(entry.value, key: "command", example: "command: [piper-say, --model, en_US]") {
                voice.command = argv
            }
        }
    }

    /// A program and its arguments, run without a shell: a non-empty list of strings.
    mutating func readArgv(_ node: Node, key: String, example: String) -> [String]? {
        guard case .sequence(let sequence) = node else {
            if case .scalar = node, !Self.isNull(node) {
                error(Self.location(node), "`\(key)` must be a list of the program and its arguments (no shell), e.g. `\(example)`")
            } else {
                error(Self.location(node), "`\(key)` must be a non-empty list: the program and its arguments, e.g. `\(example)`")
            }
            return nil
        }
        if sequence.count == 0 {
            error(Self.location(node), "`\(key)` is empty: list the program and its arguments, e.g. `\(example)`")
            return nil
        }
        var argv: [String] = []
        var ok = true
        for item in sequence {
            guard case .scalar(let scalar) = item else {
                error(Self.location(item), "each argument of `\(key)` must be a single string, not a \(Self.shapeName(item))")
                ok = false
                continue
            }
            argv.append(scalar.string)
        }
        if let program = argv.first, program.trimmingSpaces().isEmpty, let first = sequence.first {
            error(Self.location(first), "`\(key)`: the program name is empty")
            ok = false
        }
        return ok ? argv : nil
    }
}
