import Testing

@testable import LimberHistory

@Suite struct ProfessionalAdviceTests {
    /// Weeks starting Monday 2 Nov 2026, one a week, with the given averages (5 rated days each).
    static func weeks(_ averages: [Double?], severe: [Int: [String]] = [:]) -> [PainWeek] {
        averages.enumerated().map { index, average in
            let from = HistoryTime.iso8601(.init(timeIntervalSince1970: 1_793_577_600 + Double(index) * 7 * 86_400)).prefix(10)
            let to = HistoryTime.iso8601(.init(timeIntervalSince1970: 1_793_577_600 + Double(index * 7 + 6) * 86_400)).prefix(10)
            return PainWeek(
                from: String(from), to: String(to), average: average, ratedDays: average == nil ? 0 : 5,
                severeDays: severe[index] ?? [])
        }
    }

    static func rules(_ weeks: [PainWeek]) -> [String] {
        ProfessionalAdvice.findings(in: AdviceInput(weeks: weeks)).map(\.rule)
    }

    @Test func twoSevereDaysInOneWeekAreAFinding() throws {
        let weeks = Self.weeks([3, 4], severe: [1: ["2026-11-10", "2026-11-13"]])
        let findings = ProfessionalAdvice.findings(in: AdviceInput(weeks: weeks))
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.rule == "severe-pain-twice-in-a-week" && finding.week == "2026-11-09")
        #expect(finding.seen == "You rated your pain 8/10 or more on 2 days in the week 9–15 Nov 2026 (10 Nov, 13 Nov).")
        #expect(finding.advice.contains("see a GP"))
    }

    @Test func oneSevereDayOrTwoInDifferentWeeksAreNot() {
        #expect(Self.rules(Self.weeks([3, 4], severe: [0: ["2026-11-03"], 1: ["2026-11-10"]])).isEmpty)
    }

    @Test func painRisingThreeWeeksRunningByAPointIsAFinding() throws {
        let findings = ProfessionalAdvice.findings(in: AdviceInput(weeks: Self.weeks([2, 2.5, 3, 3.6])))
        let finding = try #require(findings.first)
        #expect(findings.map(\.rule) == ["pain-rising-three-weeks"])
        #expect(finding.week == "2026-11-23")
        #expect(finding.seen.contains("from 2.0 (week 2–8 Nov 2026) to 3.6 (week 23–29 Nov 2026)"))
    }

    @Test func risingTwiceOrBarelyOrWithAGapIsNot() {
        #expect(Self.rules(Self.weeks([2, 3, 4, 4])).isEmpty)  // two rises, then flat
        #expect(Self.rules(Self.weeks([2, 2.2, 2.4, 2.6])).isEmpty)  // 0.6 in all
        #expect(Self.rules(Self.weeks([2, 3, nil, 4, 5])).isEmpty)  // a week without ratings
        var sparse = Self.weeks([2, 3, 4, 5])
        sparse[2].ratedDays = 2  // too few ratings to compare
        #expect(Self.rules(sparse).isEmpty)
    }

    @Test func noImprovementOverSixWeeksLooksAtTheLastSix() throws {
        let flat = Self.weeks([6, 4, 4, 5, 4, 4, 4])
        let findings = ProfessionalAdvice.findings(in: AdviceInput(weeks: flat))
        #expect(findings.map(\.rule) == ["no-improvement-over-six-weeks"])
        #expect(try #require(findings.first).seen.contains("4.0 in the week 9–15 Nov 2026, 4.0 in the week 14–20 Dec 2026"))
        #expect(Self.rules(Self.weeks([6, 5, 5, 4, 4, 3.9])).isEmpty)  // came down
        #expect(Self.rules(Self.weeks([2, 2, 2, 2, 2, 2])).isEmpty)  // mild all along
        #expect(Self.rules(Self.weeks([4, 4, 4, 4, 4])).isEmpty)  // only five weeks
        #expect(Self.rules(Self.weeks([nil, 4, 4, 4, 4, 5])).isEmpty)  // the first week unrated
    }

    @Test func theRulesCanBeExtended() {
        struct Always: AdviceRule {
            let id = "always"
            func findings(in input: AdviceInput) -> [AdviceFinding] {
                [AdviceFinding(rule: id, week: input.weeks.first?.from ?? "", seen: "seen", advice: "advice")]
            }
        }
        let weeks = Self.weeks([4])
        #expect(ProfessionalAdvice.findings(in: AdviceInput(weeks: weeks), rules: ProfessionalAdvice.rules + [Always()]).map(\.rule) == ["always"])
    }

    /// One finding a day with its flags merged; ratings without flags count for nothing.
    @Test func redFlagSymptomsNameWhatWasLoggedAndTheUrgency() {
        let input = AdviceInput(weeks: [], flags: [
            FlaggedRating(day: "2026-11-03", flags: []),
            FlaggedRating(day: "2026-11-04", flags: [.fever]),
            FlaggedRating(day: "2026-11-04", flags: [.fever, .weakness]),
            FlaggedRating(day: "2026-11-06", flags: [.bladderBowel]),
        ])
        let findings = ProfessionalAdvice.findings(in: input)
        #expect(findings.map(\.rule) == ["red-flag-symptoms", "red-flag-symptoms"])
        #expect(findings.map(\.week) == ["2026-11-04", "2026-11-06"])
        #expect(findings[0].seen == "On 4 Nov you logged a fever, weakness in a leg or foot with your pain.")
        #expect(findings[0].advice.hasPrefix("NHS guidance is to see a GP urgently, or call NHS 111, about back pain with a fever or weakness in a leg or foot."))
        #expect(findings[1].advice.hasPrefix("NHS guidance is to go to A&E or call 999 if back pain comes with loss of bladder or bowel control"))
        #expect(ProfessionalAdvice.findings(in: AdviceInput(weeks: [], flags: [FlaggedRating(day: "2026-11-03", flags: [])])).isEmpty)
        #expect(SymptomFlag.parse(column: SymptomFlag.column([.numbness, .fall])) == [.numbness, .fall])
        #expect(SymptomFlag.column([]) == nil)
    }

    @Test func datesInWords() {
        #expect(HistoryDate.range("2026-11-03", "2026-11-09") == "3–9 Nov 2026")
        #expect(HistoryDate.range("2026-10-28", "2026-11-03") == "28 Oct – 3 Nov 2026")
        #expect(HistoryDate.range("2025-12-29", "2026-01-04") == "29 Dec 2025 – 4 Jan 2026")
        #expect(HistoryDate.range("2026-11-03", "2026-11-03") == "3 Nov 2026")
        #expect(HistoryDate.long("2026-12-02") == "2 December 2026")
        #expect(HistoryDate.short("nonsense") == "nonsense")
    }
}
