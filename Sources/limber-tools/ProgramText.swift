import LimberHistory
import LimberClient
import LimberProtocol

/// How a program's state reads in a terminal.
enum ProgramText {
    /// `program: Back on track, week 2 — Weeks 1–2: mobility (stage 1 of 3)`.
    static func headline(_ program: ProgramState) -> String { StatusText.programHeadline(program) }

    /// What `limber today` prints: the day's plan, the last decision and why, and any advice.
    static func today(_ program: ProgramState) -> String {
        var lines: [String] = []
        if program.state == "completed" {
            lines.append("\(program.name) is complete. Keep moving: `limber program start \(program.id)` runs it again, `limber program list` shows others.")
        } else {
            lines.append("Week \(program.week) of \(program.name): \(program.stageName) (stage \(program.stage + 1) of \(program.stages)).")
            if program.pausedForRedFlags {
                lines.append("Today: no exercise from the program until a professional has seen you about the symptoms below.")
            } else if program.today.isEmpty {
                lines.append("Nothing planned today: rest, or walk.")
            } else {
                var remaining = program.done
                let items = program.today.map { id -> String in
                    if let index = remaining.firstIndex(of: id) {
                        remaining.remove(at: index)
                        return "\(id) (done)"
                    }
                    return id
                }
                lines.append("Today: " + items.joined(separator: ", "))
                if let next = program.remainingToday.first {
                    lines.append("  start with `limber start \(next) --rate` (rating your pain before and after guides the program)")
                }
            }
        }
        if let decision = program.lastDecision {
            lines.append("Why: \(HistoryDate.short(decision.day)), \(decision.reason).")
        } else {
            lines.append("Why: started on \(HistoryDate.short(program.started)); the first weekly review is on \(program.nextReview.map(HistoryDate.short) ?? "—").")
        }
        if let review = program.nextReview, program.lastDecision != nil {
            lines.append("Next review: \(HistoryDate.short(review)). Check in each morning with `limber checkin`.")
        }
        for finding in program.advice {
            lines.append("See a professional: \(finding.seen) \(finding.advice)")
        }
        if !program.advice.isEmpty {
            lines.append("This is advice from your records, not a diagnosis.")
        }
        return lines.joined(separator: "\n")
    }
}
