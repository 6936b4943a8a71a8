extension LimberConfig {
    /// The effective configuration as YAML, every key spelled out (`limber config show`).
    ///
    /// The output parses back to the same configuration.
    public func render() -> String {
        var lines: [String] = []
        func kind(_ name: String, _ kind: BreakKindConfig) {
            lines.append("  \(name):")
            lines.append("    every: \(DurationText.format(kind.everyMs))")
            lines.append("    duration: \(DurationText.format(kind.durationMs))")
            lines.append("    session: \(kind.session.map(Self.quoted) ?? "none")")
            lines.append("    enabled: \(kind.enabled)")
        }
        lines.append("breaks:")
        kind("movement", breaks.movement)
        kind("posture", breaks.posture)
        lines.append("  snooze: \(DurationText.format(breaks.snoozeMs))")
        lines.append("  max-snoozes: \(breaks.maxSnoozes)")
        lines.append("  reminders: \(breaks.reminders)")
        lines.append("  reminder-interval: \(DurationText.format(breaks.reminderIntervalMs))")
        if let natural = breaks.naturalBreakMs {
            lines.append("  natural-break: \(DurationText.format(natural))")
        } else {
            lines.append("  # natural-break: \(DurationText.format(breaks.effectiveNaturalBreakMs))    (unset: the movement duration)")
        }
        lines.append("  sessions-count: \(breaks.sessionsCount.rawValue)")
        if workingHours.isEmpty {
            lines.append("working-hours: []    # always working")
        } else {
            lines.append("working-hours:")
            lines += workingHours.map { "  - \($0.text)" }
        }
        if schedule.isEmpty {
            lines.append("schedule: []")
        } else {
            lines.append("schedule:")
            lines += schedule.map { "  - \($0.text)" }
        }
        lines.append("audio:")
        lines.append("  device: \(Self.quoted(audio.device))")
        lines.append("  volume: \(Self.level(audio.volume))")
        if audio.cues.isEmpty {
            lines.append("  cues: {}")
        } else {
            lines.append("  cues:")
            for cue in Cue.allCases {
                if let level = audio.cues[cue] { lines.append("    \(cue.rawValue): \(Self.level(level))") }
            }
        }
        lines.append("voice:")
        lines.append("  enabled: \(voice.enabled)")
        lines.append("  name: \(Self.quoted(voice.name))")
        lines.append("  rate: \(voice.rate)")
        lines.append("  volume: \(Self.level(voice.volume))")
        if let command = voice.command {
            lines.append("  command: [" + command.map(Self.quoted).joined(separator: ", ") + "]")
        } else {
            lines.append("  # command: [ENGINE, ARGS...]    (unset: espeak-ng)")
        }
        lines.append("notifications:")
        lines.append("  breaks: \(notifications.breaks)")
        lines.append("  sessions: \(notifications.sessions)")
        lines.append("presence:")
        lines.append("  idle-after: \(DurationText.format(presence.idleAfterMs))")
        lines.append("  logind: \(presence.logind)")
        if hooks.isEmpty {
            lines.append("hooks: {}")
        } else {
            lines.append("hooks:")
            for event in HookEvent.allCases {
                if let argv = hooks[event] {
                    lines.append("  \(event.rawValue): [" + argv.map(Self.quoted).joined(separator: ", ") + "]")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func level(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// A YAML double-quoted string, so that any text survives the round trip.
    ///
    /// Everything YAML does not take as printable is escaped, and so are the characters it
    /// reads as line breaks inside a scalar (NEL, LINE and PARAGRAPH SEPARATOR), which it
    /// would otherwise fold into spaces.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            default:
                if needsEscape(scalar) {
                    let hex = String(scalar.value, radix: 16)
                    let (prefix, width) = scalar.value <= 0xFF ? ("\\x", 2) : ("\\u", 4)
                    result += prefix + String(repeating: "0", count: width - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// True for what YAML 1.1 does not print as itself inside a double-quoted scalar.
    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F...0x9F, 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF: return true
        default: return false
        }
    }
}
