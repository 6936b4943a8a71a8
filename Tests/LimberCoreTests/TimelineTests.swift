import LimberCore
import Testing

/// Offsets and cues of compiled timelines: pure integer arithmetic over the rules.
@Suite struct TimelineTests {
    @Test func designSketchCompilesToExactOffsets() throws {
        let timeline = try #require(compile(designSketch, includes: ["box-breathing": boxBreathing]).timeline)
        #expect(timeline.totalMs == 1_422_000)
        #expect(isWellFormed(timeline))
        #expect(timeline.segments.map(\.offsetMs) == [
            0, 10_000, 15_000, 20_000, 25_000, 30_000, 35_000, 40_000, 55_000, 100_000, 130_000, 160_000,
            190_000, 194_000, 198_000, 202_000, 206_000, 210_000, 214_000, 218_000, 222_000,
        ])
        let ticks = (1...9).map { "\(160_000 + $0 * 3_000) tick" }
        #expect(cueList(timeline) == [
            "0 start", "7000 tick", "8000 tick", "9000 tick", "10000 go", "15000 step", "20000 step",
            "25000 step", "30000 step", "35000 step", "40000 rest", "55000 step", "77500 halfway",
            "97000 tick", "98000 tick", "99000 tick", "100000 step", "130000 switch", "160000 step",
        ] + ticks + [
            "190000 inhale", "194000 hold", "198000 exhale", "202000 hold", "206000 inhale", "210000 hold",
            "214000 exhale", "218000 hold", "222000 start", "522000 check", "822000 check", "1122000 check",
            "1422000 end",
        ])
        let checks = timeline.cues.filter { $0.cue == .check }
        #expect(checks.allSatisfy { $0.text == "Check your skin for redness" && $0.segmentIndex == 20 })
        #expect(timeline.segments[9].text == "Hamstring stretch (left)")
        #expect(timeline.segments[10].text == "Hamstring stretch (right)")
        #expect(timeline.segments[10].side == "right")
        #expect(timeline.segments[11].reps == 10)
        #expect(timeline.segments[0].role == .leadIn)
    }

    @Test func nestedRepeats() throws {
        let timeline = try #require(compile(script("""
              - repeat: 2
                steps:
                  - repeat: 3
                    steps:
                      - do: A
                        for: 1s
                  - do: B
                    for: 2s
              - rest: 500ms
            """)).timeline)
        #expect(timeline.segments.map(\.text) == ["A", "A", "A", "B", "A", "A", "A", "B", "Rest"])
        #expect(timeline.segments.map(\.offsetMs) == [0, 1_000, 2_000, 3_000, 5_000, 6_000, 7_000, 8_000, 10_000])
        #expect(timeline.totalMs == 10_500)
        #expect(cueList(timeline).first == "0 start")
        #expect(isWellFormed(timeline))
    }

    @Test func millisecondsNeverDrift() throws {
        let timeline = try #require(compile(script("  - repeat: 3000\n    steps:\n      - do: A\n        for: 333ms\n")).timeline)
        #expect(timeline.totalMs == 999_000)
        #expect(timeline.segments.last?.offsetMs == 998_667)
    }

    @Test func includesContributeStepsButNotHeaderOrLeadIn() throws {
        let inner = "name: I\nkind: mindfulness\ndescription: D\nlead-in: 30s\nsteps:\n  - do: Scan\n    for: 2m\n    every: 1m\n"
        let middle = "name: M\nkind: exercise\ndescription: D\nsteps:\n  - rest: 10s\n  - include: inner\n"
        let timeline = try #require(compile(script(kind: "heat", leadIn: "5s", """
              - include: middle
              - repeat: 2
                steps:
                  - include: inner
              - do: Heat
                for: 1m
                every: 30s
            """), includes: ["inner": inner, "middle": middle]).timeline)
        #expect(timeline.name == "Test" && timeline.kind == .heat)
        #expect(timeline.segments.map(\.text) == ["Get ready", "Rest", "Scan", "Scan", "Scan", "Heat"])
        #expect(timeline.segments.map(\.offsetMs) == [0, 5_000, 15_000, 135_000, 255_000, 375_000])
        #expect(timeline.totalMs == 435_000)
        // The included mindfulness step keeps its own default interval cue; the heat step's is `check`.
        #expect(cueList(timeline) == [
            "0 start", "2000 tick", "3000 tick", "4000 tick", "5000 go", "15000 step", "75000 bell",
            "135000 step", "195000 bell", "255000 step", "315000 bell", "375000 step", "405000 check", "435000 end",
        ])
    }

    @Test func sidesOpenWithSwitch() throws {
        let timeline = try #require(compile(script("""
              - rest: 1s
              - do: Clamshells
                reps: 3
                pace: 2s
                sides: [right, left]
                cue: go
            """)).timeline)
        #expect(timeline.segments.map(\.text) == ["Rest", "Clamshells (right)", "Clamshells (left)"])
        #expect(cueList(timeline) == [
            "0 start", "1000 go", "3000 tick", "5000 tick", "7000 switch", "9000 tick", "11000 tick", "13000 end",
        ])
    }

    @Test func leadInAndFirstStepCues() throws {
        // No lead-in: `start` replaces the first step's default opening cue.
        #expect(cueList(compile(script("  - inhale: 4s\n  - exhale: 4s\n")).timeline) == ["0 start", "4000 exhale", "8000 end"])
        // An explicit cue on the first step wins.
        #expect(cueList(compile(script("  - inhale: 4s\n    cue: inhale\n")).timeline) == ["0 inhale", "4000 end"])
        // A lead-in: `start`, three ticks, `go`.
        #expect(cueList(compile(script(leadIn: "2s", "  - rest: 1s\n")).timeline) == ["0 start", "1000 tick", "2000 go", "3000 end"])
    }

    @Test func countdownHalfwayAndEvery() throws {
        let timeline = try #require(compile(script("""
              - rest: 1s
              - do: Plank
                for: 61s
                countdown: 2
                halfway: true
                every: 30s500ms
                every-cue: bell
                every-text: Keep breathing
            """)).timeline)
        // every at 30.5 s coincides with halfway (61 s / 2): both kept, halfway first (emission order).
        #expect(cueList(timeline) == ["0 start", "1000 step", "31500 halfway", "31500 bell", "60000 tick", "61000 tick", "62000 end"])
        #expect(timeline.cues[3].text == "Keep breathing")
    }

    @Test func repsTickAtEveryRepBoundaryWithoutDuplicates() throws {
        let timeline = try #require(compile(script("  - rest: 1s\n  - do: Tilts\n    reps: 4\n    pace: 1s\n    countdown: 2\n")).timeline)
        #expect(cueList(timeline) == ["0 start", "1000 step", "2000 tick", "3000 tick", "4000 tick", "5000 end"])
    }

    @Test func tableShowsTheExactTotal() throws {
        let timeline = try #require(compile(designSketch, includes: ["box-breathing": boxBreathing]).timeline)
        let table = timeline.table()
        #expect(table.hasPrefix("Morning back mobility (t, exercise)\nOFFSET"))
        #expect(table.contains("1:40    30s       Hamstring stretch (left)"))
        #expect(table.hasSuffix("23:42  end  total 23m42s (1422000 ms), 21 segments, 41 cues\n"))
    }
}
