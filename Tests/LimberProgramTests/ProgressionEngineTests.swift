import Foundation
import LimberCore
import LimberHistory
import LimberProgram
import Testing

/// Synthetic histories for a program: good and bad days, built one at a time.
struct SyntheticDays {
    let program: Program
    let start: Int
    var evidence = ProgramEvidence()

    init(program: Program, start: Int) {
        self.program = program
        self.start = start
    }

    /// A day as planned: check-in, every planned session of `stage` completed and rated.
    mutating func good(_ day: Int, stage: Int, pain: Int = 3, stiffness: Int = 3, during: Int = 3) {
        evidence.checkins.append(.init(day: day, pain: pain, stiffness: stiffness))
        for id in program.stages[stage].sessions(on: ProgressionEngine.weekday(ofDay: day)) {
            evidence.sessions.append(.init(day: day, session: id, completed: true, painAfter: during))
        }
    }

    func decisions(through today: Int, recorded: [ProgramDecision] = []) -> [ProgramDecision] {
        ProgressionEngine(program: program).decisions(startDay: start, recorded: recorded, evidence: evidence, through: today)
    }
}

func builtInProgram(_ id: String) throws -> Program {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let library = ProgramLibrary(
        directories: [root.appendingPathComponent("Programs").path],
        sessions: SessionLibrary(directories: [root.appendingPathComponent("Sessions").path]))
    let result = library.load(id: id)
    return try #require(result.program, "\(result.diagnostics)")
}

@Suite struct ProgressionEngineTests {
    /// Monday 2 Nov 2026.
    static let monday = ProgramDay.number("2026-11-02") ?? 0

    @Test func daysAndWeekdays() {
        #expect(ProgramDay.label(Self.monday) == "2026-11-02")
        #expect(ProgressionEngine.weekday(ofDay: Self.monday) == .mon)
        #expect(ProgressionEngine.weekday(ofDay: Self.monday + 6) == .sun)
        #expect(ProgressionEngine.weekday(ofDay: 0) == .thu)
    }

    /// The "done when" of issue 13, as docs/programs.md describes it: three weeks of Back on
    /// track, two good weeks then a flare.
    @Test func backOnTrackMovesForwardHoldsAndStepsBack() throws {
        let program = try builtInProgram("back-on-track")
        let start = Self.monday
        var days = SyntheticDays(program: program, start: start)
        for day in start..<(start + 14) { days.good(day, stage: 0) }
        days.good(start + 14, stage: 1)
        days.good(start + 15, stage: 1)
        // Wednesday of week 3: the stability sessions hurt (7/10 during), and Thursday morning
        // is 3 above the baseline of 3.
        for id in program.stages[1].sessions(on: .wed) {
            days.evidence.sessions.append(.init(day: start + 16, session: id, completed: true, painAfter: id == "dead-bug" ? 7 : 4))
        }
        days.evidence.checkins.append(.init(day: start + 16, pain: 3, stiffness: 3))
        days.evidence.checkins.append(.init(day: start + 17, pain: 6, stiffness: 5))
        let decisions = days.decisions(through: start + 20)
        #expect(decisions.map(\.kind) == [.hold, .advance, .stepBack])
        #expect(decisions.map(\.day) == [start + 7, start + 14, start + 18])
        #expect(decisions.map(\.toStage) == [0, 1, 0])
        #expect(decisions[0].reason == "held: day 7 of at least 14 in Weeks 1–2: mobility; the rules held (13 of 13 planned sessions done (100%), pain during sessions at most 3/10, mornings settled)")
        #expect(decisions[1].reason == "advanced to Weeks 3–4: stability: 14 days in Weeks 1–2: mobility and the rules held (13 of 13 planned sessions done (100%), pain during sessions at most 3/10, mornings settled, morning pain 3 → 3, morning stiffness 3 → 3)")
        #expect(decisions[2].reason == "stepped back to Weeks 1–2: mobility: 2 days with a flare in 7 (pain 7/10 during dead-bug on 18 Nov; morning pain 6/10 on 19 Nov, 2 or more above your baseline of 3); 2 step back")
        // Recorded decisions are kept: evaluating again from them adds nothing new for those days.
        #expect(days.decisions(through: start + 20, recorded: decisions).isEmpty)
        let position = ProgressionEngine(program: program).position(startDay: start, decisions: decisions)
        #expect(position == ProgramPosition(stage: 0, stageStart: start + 18, completed: false))
    }

    @Test func holdsForFewSessionsFewCheckinsAndRisingMornings() throws {
        let program = try builtInProgram("back-on-track")
        let start = Self.monday
        var days = SyntheticDays(program: program, start: start)
        for day in start..<(start + 7) { days.good(day, stage: 0, pain: 2, stiffness: 2) }
        // Week 2: only Monday's and Tuesday's sessions, two check-ins, and mornings higher
        // (by less than the 2 points of a flare).
        days.good(start + 7, stage: 0, pain: 3, stiffness: 4)
        days.good(start + 8, stage: 0, pain: 3, stiffness: 3)
        let decisions = days.decisions(through: start + 14)
        #expect(decisions.map(\.kind) == [.hold, .hold])
        #expect(decisions[1].reason == "held: 4 of 13 planned sessions done (30%), fewer than 80%; only 2 morning check-ins this week; 3 are needed to judge it (run `limber checkin` each morning); morning pain rose from 2 to 3 a day on average; morning stiffness rose from 2 to 3.5 a day on average")
    }

    @Test func aRedFlagStopsAdvancingWithItsAdvice() throws {
        let program = try builtInProgram("back-on-track")
        let start = Self.monday
        var days = SyntheticDays(program: program, start: start)
        for day in start..<(start + 21) { days.good(day, stage: 0) }
        days.evidence.ratings.append(.init(day: start + 3, level: 4, flags: [.numbness]))
        let decisions = days.decisions(through: start + 21)
        #expect(decisions.map(\.kind) == [.hold, .hold, .hold])
        #expect(decisions[1].reason == "held: you logged numbness or tingling on 5 Nov; after a red flag the program does not advance (see the advice)")
        let advice = ProgramAdvice.findings(startDay: start, through: start + 21, evidence: days.evidence)
        #expect(advice.map(\.rule) == ["red-flag-symptoms"])
        #expect(advice.first?.seen == "On 5 Nov you logged numbness or tingling with your pain.")
    }

    @Test func severePainTwiceInAWeekHoldsAndAdvises() throws {
        let program = try builtInProgram("desk-day")
        let start = Self.monday
        var days = SyntheticDays(program: program, start: start)
        for day in start..<(start + 7) { days.good(day, stage: 0) }
        days.evidence.ratings.append(.init(day: start + 2, level: 8))
        days.evidence.ratings.append(.init(day: start + 4, level: 9))
        let decisions = days.decisions(through: start + 7)
        #expect(decisions.count == 1)
        #expect(decisions[0].kind == .hold)
        #expect(decisions[0].reason == "held: see-a-professional advice: You rated your pain 8/10 or more on 2 days in the week 2–8 Nov 2026 (4 Nov, 6 Nov).")
    }

    @Test func theLastStageCompletesTheProgramAndTheFirstStageRestartsOnAFlare() throws {
        let program = try builtInProgram("desk-day")
        let start = Self.monday
        var days = SyntheticDays(program: program, start: start)
        // Two flares in week 1 (pain during 6 twice) restart the only stage on day 3.
        days.good(start, stage: 0, during: 6)
        days.good(start + 1, stage: 0, during: 6)
        for day in (start + 2)..<(start + 31) { days.good(day, stage: 0) }
        let decisions = days.decisions(through: start + 40)
        #expect(decisions.first?.kind == .stepBack)
        #expect(decisions.first?.day == start + 2)
        #expect(decisions.first?.reason.hasPrefix("stepped Weeks 1–4: move through the day starts again (it is the first stage): 2 days with a flare in 7") == true)
        #expect(decisions.map(\.kind).suffix(4) == [.hold, .hold, .hold, .complete])
        #expect(decisions.last?.day == start + 2 + 28)
        #expect(decisions.last?.reason.hasPrefix("completed Desk day: 28 days in Weeks 1–4: move through the day and the rules held") == true)
    }
}
