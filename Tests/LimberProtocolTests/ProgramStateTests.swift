import LimberProtocol
import Testing

/// What `limber today --start` and limberd's offer at a program's time take from its state.
@Suite struct ProgramStateTests {
    func state(today: [String], done: [String], state: String = "active", advice: [String] = []) -> ProgramState {
        ProgramState(
            id: "back-on-track", name: "Back on track", state: state, started: "2026-11-30", week: 1, stage: 0, stages: 3,
            stageName: "Weeks 1–2: mobility", stageStarted: "2026-11-30", today: today, done: done, nextReview: nil,
            lastDecision: nil, decisions: nil, advice: advice.map { .init(rule: $0, seen: "seen", advice: "advice") })
    }

    @Test func remainingKeepsPlanOrderAndCountsRepeats() {
        #expect(state(today: ["cat-cow", "glute-bridges", "cat-cow"], done: ["cat-cow"]).remainingToday == ["glute-bridges", "cat-cow"])
        #expect(state(today: ["cat-cow", "glute-bridges"], done: ["glute-bridges", "cat-cow"]).remainingToday.isEmpty)
        // A session done that was not planned takes nothing off the plan.
        #expect(state(today: ["cat-cow"], done: ["walk"]).remainingToday == ["cat-cow"])
    }

    @Test func nothingRemainsForACompletedOrRedFlaggedProgram() {
        #expect(state(today: ["cat-cow"], done: [], state: "completed").remainingToday.isEmpty)
        let flagged = state(today: ["cat-cow"], done: [], advice: [ProgramState.redFlagRule])
        #expect(flagged.pausedForRedFlags)
        #expect(flagged.remainingToday.isEmpty)
        // Other advice does not stop the plan.
        #expect(state(today: ["cat-cow"], done: [], advice: ["severe-pain-twice-in-a-week"]).remainingToday == ["cat-cow"])
    }
}
