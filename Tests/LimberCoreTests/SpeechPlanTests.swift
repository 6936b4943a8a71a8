import LimberCore
import Testing

@Suite("What is spoken, and where")
struct SpeechPlanTests {
    func timeline(_ steps: String, header: String = "lead-in: 3s\n") throws -> Timeline {
        let text = "name: Plan check\nkind: exercise\ndescription: Test.\n" + header + "steps:\n" + steps
        let result = TimelineCompiler().compile(text: text, path: "plan.yaml")
        return try #require(result.timeline, "\(result.diagnostics)")
    }

    /// Every cue sounds 100 ms here, so each phrase starts 160 ms after its cue.
    func lines(_ timeline: Timeline) -> [SpokenLine] {
        SpeechPlan.lines(for: timeline, cueLengthMs: { _ in 100 })
    }

    @Test("name at the lead-in, each step's text after its cue, sides, rest, halfway, interval text, the end")
    func defaults() throws {
        let plan = lines(try timeline("""
              - do: Cat-cow
                for: 4s
                halfway: true
              - do: Hamstring stretch
                for: 3s
                sides: [left, right]
              - rest: 2s
              - do: Heat
                for: 5s
                every: 2s
                every-text: Check your skin

            """))
        #expect(plan.map(\.text) == [
            "Plan check", "Cat-cow", "Halfway", "Hamstring stretch. Left side", "Right side", "Rest", "Heat",
            "Check your skin", "Check your skin", "Session complete",
        ])
        #expect(plan.map(\.offsetMs) == [160, 3_160, 5_160, 7_160, 10_160, 13_160, 15_160, 17_160, 19_160, 20_160])
        #expect(plan.map(\.kind) == [.name, .step, .halfway, .step, .side, .rest, .step, .interval, .interval, .end])
        // Each must be quiet by the next cue (the lead-in ticks at 0, 1 and 2 s before `go` at 3 s).
        #expect(plan.first?.untilMs == 1_000)
        #expect(plan[1].untilMs == 5_000)
        #expect(plan.last?.untilMs == nil)
    }

    @Test("breathing phases are named for two cycles, then the tones guide alone")
    func breaths() throws {
        let plan = lines(try timeline("""
              - repeat: 4
                steps:
                  - inhale: 4s
                  - hold: 2s
                  - exhale: 4s

            """, header: ""))
        #expect(plan.map(\.text) == [
            "Breathe in", "Hold", "Breathe out", "Breathe in", "Hold", "Breathe out", "Session complete",
        ])
    }

    @Test("say: replaces the text, say: false silences the step, count: true counts the reps, voice: false says nothing")
    func overrides() throws {
        let plan = lines(try timeline("""
              - do: Back extension. Hands on your lower back, lean back gently, then return
                reps: 4
                pace: 3s
                count: true
                say: Back extension
              - do: Walk around
                for: 5s
                say: false

            """, header: ""))
        #expect(plan.map(\.text) == ["Back extension", "one", "two", "three", "Session complete"])
        let silent = try timeline("  - do: Cat-cow\n    for: 4s\n", header: "voice: false\n")
        #expect(lines(silent).isEmpty)
    }

    /// The `where` once guarded only `check`, so a bell without words was force-unwrapped
    /// and limberd crashed planning the speech of any mindfulness step with a bare `every:`.
    @Test("interval bells and checks without every-text are tones only, not words")
    func bareIntervals() throws {
        for kind in ["mindfulness", "exercise", "heat"] {
            let text = "name: Plan check\nkind: \(kind)\ndescription: Test.\nsteps:\n  - do: Sit\n    for: 5s\n    every: 2s\n"
            let timeline = try #require(TimelineCompiler().compile(text: text, path: "plan.yaml").timeline)
            let intervals: [Cue] = timeline.cues.map(\.cue).filter { [.bell, .check].contains($0) }
            #expect(intervals.count == 2)
            #expect(lines(timeline).map(\.text) == ["Sit", "Session complete"])
        }
    }

    @Test("a long cue is talked over only after 600 ms; number words")
    func longCueAndNumbers() throws {
        let plan = SpeechPlan.lines(for: try timeline("  - do: Sit\n    for: 5s\n", header: ""), cueLengthMs: { _ in 4_000 })
        #expect(plan.first?.offsetMs == 600)
        #expect(NumberWords.spell(21) == "twenty-one")
        #expect(NumberWords.spell(40) == "forty")
        #expect(NumberWords.spell(7) == "seven")
    }

    @Test("script keys are checked with file:line:column")
    func keyErrors() {
        let text = "name: X\nkind: exercise\ndescription: Y.\nsteps:\n  - rest: 5s\n    count: true\n  - do: A\n    for: 2s\n    say: \"\"\n"
        let result = TimelineCompiler().compile(text: text, path: "bad.yaml")
        #expect(result.diagnostics.map { "\($0.line):\($0.column): \($0.message)" } == [
            "6:5: `count` does not belong in a `rest` step: remove it",
            "9:10: `say` has no value: write one, e.g. `say: Chin tuck`",
        ])
    }
}
