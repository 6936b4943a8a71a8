import Foundation
import LimberHistory
import Testing

@testable import LimberReport

/// The program section: the program followed in the period and its decisions with reasons.
@Suite struct ReportProgramTests {
    static let run = ProgramRunEntry(
        id: 1, program: "back-on-track", name: "Back on <track>", started: ReportPageTests.iso(9, 7), startDay: "2026-11-09")

    static func decision(_ day: String, _ kind: String, _ from: Int, _ to: Int, _ reason: String) -> ProgramDecisionEntry {
        ProgramDecisionEntry(run: 1, day: day, decision: kind, fromStage: from, toStage: to, reason: reason, time: day + "T06:00:00.000Z")
    }

    static func page(_ programs: [ProgramPeriod]) -> String {
        var snapshot = ReportPageTests.snapshot
        snapshot.programs = programs
        return ReportPageTests.page(snapshot)
    }

    @Test func decisionsAreListedWithTheirReasons() {
        let html = Self.page([
            ProgramPeriod(run: Self.run, decisions: [
                Self.decision("2026-11-16", "hold", 0, 0, "held: day 7 of at least 14 in Weeks 1–2: mobility; the rules held"),
                Self.decision("2026-11-23", "advance", 0, 1, "advanced to Weeks 3–4: stability: 14 days in Weeks 1–2: mobility and the rules held"),
            ])
        ])
        #expect(html.contains("<section id=\"program\"><h2>Program</h2><h3>Back on &lt;track&gt;</h3>"))
        #expect(html.contains("<p data-program=\"back-on-track\">Started 9 November 2026; still followed.</p>"))
        #expect(html.contains("<tr data-decision=\"hold\"><th scope=\"row\" class=\"text\">16 Nov 2026</th><td class=\"text\">Held</td><td>1</td>"))
        #expect(html.contains("<tr data-decision=\"advance\"><th scope=\"row\" class=\"text\">23 Nov 2026</th><td class=\"text\">Advanced</td><td>1 → 2</td><td class=\"text\">advanced to Weeks 3–4: stability: 14 days"))
        #expect(!html.contains("No program ran in this period"))
        // After the weekly figures, before the sessions it planned.
        let order = ["id=\"weeks\"", "id=\"program\"", "id=\"sessions\""].map { html.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil } && order[0]! < order[1]! && order[1]! < order[2]!)
    }

    @Test func aStoppedProgramWithoutDecisionsSaysSo() {
        var stopped = Self.run
        stopped.ended = ReportPageTests.iso(12, 20)
        stopped.outcome = "stopped"
        let html = Self.page([ProgramPeriod(run: stopped, decisions: [])])
        #expect(html.contains("Started 9 November 2026; stopped on 12 November 2026."))
        #expect(html.contains("No decision fell in this period"))
        #expect(!html.contains("class=\"decisions\""))
    }
}
