import Foundation
import LimberHistory

extension ReportPage {
    /// The programs followed in the period: when, how they ended, and every decision made for
    /// the period's days with its reason, as `limber program status` lists them.
    func programs(_ page: inout Markup) {
        page.wrap("section", ["id": "program"]) { section in
            section.element("h2", text: report.programs.count > 1 ? "Programs" : "Program")
            guard !report.programs.isEmpty else {
                section.element("p", ["class": "note"], text: "No program ran in this period, so there are no program stages or decisions to show.")
                return
            }
            for followed in report.programs {
                let run = followed.run
                section.element("h3", text: run.name)
                section.element("p", ["data-program": run.program], text: programLine(run))
                guard !followed.decisions.isEmpty else {
                    section.element("p", ["class": "note"], text: "No decision fell in this period: a program is reviewed once a week from the day it started, and steps back earlier after two flare days in a week.")
                    continue
                }
                section.wrap("table", ["class": "decisions"]) { table in
                    table.wrap("thead") {
                        $0.wrap("tr") { row in
                            for heading in ["Day", "Decision", "Stage", "Why"] { row.element("th", ["scope": "col"], text: heading) }
                        }
                    }
                    table.wrap("tbody") { body in
                        for decision in followed.decisions {
                            body.wrap("tr", ["data-decision": decision.decision]) { row in
                                row.element("th", ["scope": "row", "class": "text"], text: HistoryDate.medium(decision.day))
                                row.element("td", ["class": "text"], text: Self.decisionWord(decision.decision))
                                row.element("td", text: decision.fromStage == decision.toStage
                                    ? "\(decision.fromStage + 1)" : "\(decision.fromStage + 1) → \(decision.toStage + 1)")
                                row.element("td", ["class": "text"], text: decision.reason)
                            }
                        }
                    }
                }
            }
            section.element("p", ["class": "note"], text: "Stages are numbered from 1. A program advances when a stage's weeks are done, most planned sessions were completed and pain stayed within the rules of the pain-monitoring model; it holds otherwise, and steps back after flares. docs/programs.md gives the rules and their sources.")
        }
    }

    /// `Started 30 November 2026; followed to the end of the period.`
    func programLine(_ run: ProgramRunEntry) -> String {
        let started = "Started \(HistoryDate.long(run.startDay))"
        let ended = run.ended.flatMap(HistoryTime.parse).map { HistoryDate.long(HistoryTime.dateLabel(of: $0, calendar: calendar)) }
        switch (run.outcome, ended) {
        case ("completed", _): return "\(started); completed\(ended.map { " on \($0)" } ?? "")."
        case (_, .some(let day)): return "\(started); stopped on \(day)."
        default: return "\(started); still followed."
        }
    }

    static func decisionWord(_ decision: String) -> String {
        switch decision {
        case "advance": "Advanced"
        case "hold": "Held"
        case "step-back": "Stepped back"
        case "complete": "Completed"
        default: decision
        }
    }
}
