import Yams

extension ScriptReader {
    /// `say: TEXT | false` and `count: true` (docs/speech.md); false on an error.
    mutating func readSpeechOptions(_ entries: [String: (key: Node, value: Node)], into step: inout ScriptStep) -> Bool {
        let before = diagnostics.count
        if let entry = entries["say"], let text = readScalar(entry.value, key: "say", example: "say: Chin tuck") {
            if case .scalar(let scalar) = entry.value, scalar.style == .plain,
               ["false", "no", "off"].contains(text.lowercased()) {
                step.say = .silent
            } else if text.trimmingSpaces().isEmpty {
                error(Self.location(entry.value), "`say` is empty: give the words to speak, or `say: false` for a silent step")
            } else {
                step.say = .text(text)
            }
        }
        if let entry = entries["count"], let value = readSwitch(entry.value, key: "count") {
            step.count = value
            if value, case .reps = step.action {} else if value {
                error(Self.location(entry.key), "`count: true` counts reps aloud: it needs `reps: N` with `pace:` in the same step")
            }
        }
        return diagnostics.count == before
    }

    /// `true`/`false` (also yes/no, on/off); nil with an error otherwise.
    mutating func readSwitch(_ node: Node, key: String) -> Bool? {
        switch readScalar(node, key: key, example: "\(key): true")?.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        case nil: return nil
        case let other?:
            error(Self.location(node), "`\(key)` is true or false, not '\(other)'")
            return nil
        }
    }
}
