import LimberVocabulary

/// How status and progress read in a terminal or a status bar.
public enum StatusText {
    /// `1:05`, `12:03`, `1:02:03`: remaining or elapsed time at a glance.
    public static func clock(_ milliseconds: Int64) -> String {
        let total = max(0, (milliseconds + 999) / 1000)
        let hours = total / 3600
        let minutes = (total % 3600) / 60
        let seconds = total % 60
        if hours > 0 { return "\(hours):\(twoDigits(minutes)):\(twoDigits(seconds))" }
        return "\(minutes):\(twoDigits(seconds))"
    }

    /// `7` as `07`.
    static func twoDigits<N: BinaryInteger>(_ value: N) -> String {
        value < 10 && value >= 0 ? "0\(value)" : "\(value)"
    }

    /// A bar of `width` cells drawn with unicode blocks.
    public static func bar(_ fraction: Double, width: Int = 20) -> String {
        let clamped = min(1, max(0, fraction))
        let eighths = Int((clamped * Double(width * 8)).rounded())
        let full = eighths / 8
        let partials = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        var bar = String(repeating: "█", count: full)
        if full < width {
            bar += partials[eighths % 8]
            bar += String(repeating: " ", count: width - full - (eighths % 8 == 0 ? 0 : 1))
        }
        return bar
    }

    /// The values `--format` tokens expand to.
    public static func tokens(_ status: StatusResult) -> [String: String] {
        let session = status.session
        return [
            "state": status.state.rawValue,
            "session": session?.id ?? "",
            "name": session?.name ?? "",
            "kind": session?.kind.rawValue ?? "",
            "step": session.map { "\($0.step + 1)" } ?? "",
            "steps": session.map { "\($0.steps)" } ?? "",
            "text": session?.stepText ?? "",
            "remaining": session.map { clock($0.stepRemainingMs) } ?? "",
            "session_remaining": session.map { clock($0.totalMs - $0.elapsedMs) } ?? "",
            "elapsed": session.map { clock($0.elapsedMs) } ?? "",
            "total": session.map { clock($0.totalMs) } ?? "",
            "progress": session.map { "\(Int(($0.progress * 100).rounded()))%" } ?? "",
            "audio": status.audio.state,
            "next_break": status.nextBreak.map { "\($0.kind) in \(clock($0.inMs))" } ?? "",
            "presence": status.presence.map(presence) ?? "",
        ]
    }

    /// "present", or "away since 12:31 (locked)" in local time.
    public static func presence(_ report: PresenceReport) -> String {
        guard report.state == "away" else { return report.state }
        var text = "away"
        if let since = report.since, let local = InstantText.localHourMinute(since) {
            text += " since \(twoDigits(local.hour)):\(twoDigits(local.minute))"
        }
        if let source = report.source { text += " (\(source))" }
        return text
    }

    /// Expands `{token}`s; an unknown token is left as written so mistakes show.
    public static func format(_ template: String, _ status: StatusResult) -> String {
        let values = tokens(status)
        var output = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            output += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let name = String(rest[rest.index(after: open)..<close])
            output += values[name] ?? "{\(name)}"
            rest = rest[rest.index(after: close)...]
        }
        output += rest
        return output.split(separator: "\\n", omittingEmptySubsequences: false).joined(separator: "\n")
    }

    /// `program: Back on track, week 2 — Weeks 1–2: mobility (stage 1 of 3)`.
    public static func programHeadline(_ program: ProgramState) -> String {
        if let problem = program.problem { return "program: \(program.name) — cannot read it: \(problem)" }
        if program.state == "completed" { return "program: \(program.name) — completed (`limber program start ID` begins another)" }
        return "program: \(program.name), week \(program.week) — \(program.stageName) (stage \(program.stage + 1) of \(program.stages))"
    }

    /// The human `limber status` text.
    public static func human(_ status: StatusResult) -> String {
        var lines: [String] = []
        if let session = status.session {
            let state = status.state == .paused ? "paused" : "running"
            lines.append("\(state): \(session.name) (\(session.id)), step \(session.step + 1)/\(session.steps)")
            lines.append("  \(session.stepText) — \(clock(session.stepRemainingMs)) left")
            lines.append(
                "  \(bar(session.progress)) \(clock(session.elapsedMs)) of \(clock(session.totalMs)) (\(Int((session.progress * 100).rounded()))%)")
        } else {
            lines.append("idle: no session running (start one with `limber start ID`; list them with `limber sessions`)")
        }
        if let next = status.nextBreak {
            lines.append("next break: \(next.kind) in \(clock(next.inMs))")
        }
        if let report = status.presence {
            lines.append("presence: \(presence(report))" + (report.state == "away" ? " — the sitting clock is stopped" : ""))
        }
        if let program = status.program {
            lines.append(programHeadline(program))
            if !program.advice.isEmpty {
                lines.append("  see a professional: \(program.advice.count) finding\(program.advice.count == 1 ? "" : "s"); `limber today` says what and why")
            }
        }
        switch status.audio.state {
        case "unavailable":
            lines.append("audio: unavailable on \(status.audio.device) — \(status.audio.reason ?? "unknown reason"); cues are silent until it works")
        default:
            var text = "audio: \(status.audio.state) on \(status.audio.device)"
            if let latency = status.audio.latencyMs, latency.isFinite { text += ", output latency \(Int(latency.rounded())) ms" }
            lines.append(text)
        }
        return lines.joined(separator: "\n")
    }
}
