import LimberCore
import Testing

/// Every construct of the session language parses; every mistake is reported at its
/// exact line:column with the fix named.
@Suite struct ValidationTests {
    @Test func designSketchParsesEveryConstruct() throws {
        let parsed = SessionScript.parse(text: designSketch, path: "Sessions/morning.yaml")
        #expect(parsed.diagnostics.isEmpty)
        let script = try #require(parsed.script)
        #expect(script.id == "morning")
        #expect(script.name == "Morning back mobility")
        #expect(script.kind == .exercise)
        #expect(script.tags == ["mobility", "floor"])
        #expect(script.leadInMs == 10_000)
        #expect(script.steps.count == 7)
        guard case .repeatBlock(3, let inner) = script.steps[0].action else {
            Issue.record("expected a repeat block")
            return
        }
        #expect(inner.map(\.action) == [
            .timed(text: "Cat, round your back and tuck your chin", durationMs: 5_000),
            .timed(text: "Cow, let your belly sink and look ahead", durationMs: 5_000),
        ])
        #expect(script.steps[1].action == .rest(durationMs: 15_000))
        #expect(script.steps[2].halfway && script.steps[2].countdown == 3)
        #expect(script.steps[3].sides == ["left", "right"])
        #expect(script.steps[4].action == .reps(text: "Pelvic tilts", count: 10, paceMs: 3_000))
        #expect(script.steps[5].action == .include(id: "box-breathing"))
        let heat = script.steps[6]
        #expect(heat.cue == .start && heat.everyMs == 300_000 && heat.everyCue == .check)
        #expect(heat.everyText == "Check your skin for redness")
        #expect(heat.location == SourceLocation(line: 25, column: 5))
    }

    @Test func breathingPhases() throws {
        let parsed = SessionScript.parse(text: script(kind: "mindfulness", """
              - inhale: 4s
              - hold: 7s
                do: Hold gently
              - exhale: 8s
                cue: bell
            """), path: "t.yaml")
        let steps = try #require(parsed.script).steps
        #expect(steps.map(\.action) == [
            .breath(phase: .inhale, text: nil, durationMs: 4_000),
            .breath(phase: .hold, text: "Hold gently", durationMs: 7_000),
            .breath(phase: .exhale, text: nil, durationMs: 8_000),
        ])
        #expect(steps[2].cue == .bell)
    }

    @Test func validScriptHasNoDiagnostics() {
        #expect(problems(designSketch, includes: ["box-breathing": boxBreathing]).isEmpty)
    }

    @Test func unknownKeysSuggestTheNearestKey() {
        #expect(problems("""
            name: Test
            kind: exercise
            descripton: A test.
            steps:
              - do: Cat-cow
                fro: 30s
            """) == [
            "1:1: error: missing `description`: add it at the top level, e.g. `description: What it is for.`",
            "3:1: error: unknown key 'descripton' in the session header: did you mean 'description'?",
            "6:5: error: unknown key 'fro' in a step: did you mean 'for'?",
        ])
        #expect(problems(script("  - do: X\n    for: 5s\n    zzzzzz: 1\n")) == [
            "7:5: error: unknown key 'zzzzzz' in a step: valid keys: do, for, reps, pace, rest, inhale, hold, exhale, sides, repeat, steps, include, cue, countdown, halfway, every, every-cue, every-text, say, count",
        ])
    }

    @Test func missingHeaderKeys() {
        #expect(problems("steps:\n  - rest: 5s\n") == [
            "1:1: error: missing `name`: add it at the top level, e.g. `name: Morning mobility`",
            "1:1: error: missing `kind`: add it at the top level, e.g. `kind: exercise`",
            "1:1: error: missing `description`: add it at the top level, e.g. `description: What it is for.`",
        ])
    }

    @Test func unknownKind() {
        #expect(problems("name: T\nkind: excercise\ndescription: D\nsteps:\n  - rest: 5s\n") == [
            "2:7: error: unknown kind 'excercise' (did you mean 'exercise'?): use one of exercise, heat, mindfulness, posture",
        ])
    }

    @Test func durationsNeedUnitsAndMustBePositive() {
        #expect(problems(script("""
              - do: Hold
                for: 30
              - rest: 0s
              - inhale: -4s
              - do: Tilts
                reps: 10
                pace: 3
              - do: Long
                for: 25h
            """)) == [
            "6:10: error: `for`: '30' is a bare number: add a unit, e.g. 30s",
            "7:11: error: `rest`: '0s' is zero: durations must be positive, e.g. 45s",
            "8:13: error: `inhale`: '-4s' is negative: durations must be positive, e.g. 45s",
            "11:11: error: `pace`: '3' is a bare number: add a unit, e.g. 3s",
            "13:10: error: `for`: '25h' is longer than 24h, the longest duration allowed",
        ])
    }

    @Test func conflictingAndMissingStepKeys() {
        #expect(problems(script("""
              - do: Tilts
                for: 30s
                reps: 10
              - do: Tilts
                reps: 10
              - do: Hold
              - rest: 5s
                inhale: 4s
              - rest: 5s
                for: 5s
              - steps:
                  - rest: 5s
              - repeat: 2
              - {}
              - just text
            """)) == [
            "7:5: error: a step cannot have both `for` and `reps`: keep `for: DURATION` for a hold, or `reps: N` with `pace: DURATION`",
            "9:5: error: `reps` needs `pace: DURATION`, the time for one rep, e.g. `pace: 3s`",
            "10:5: error: `do` needs a length: add `for: DURATION` (e.g. `for: 30s`) or `reps: N` with `pace: DURATION`",
            "12:5: error: a step cannot have both `rest` and `inhale`: split it into two steps",
            "14:5: error: `for` does not belong in a `rest` step: `for` goes with `do:`; put it in its own step",
            "15:5: error: nested `steps` need `repeat: N` in the same step, e.g. `- repeat: 3`",
            "17:5: error: `repeat` needs nested `steps:` listing what to repeat",
            "18:5: error: this step has no action: use `do:` with `for:` or `reps:`, or `rest:`, `inhale:`, `hold:`, `exhale:`, `repeat:` or `include:`",
            "19:5: error: a step must be a mapping such as `- do: Child's pose` with `for: 30s`, not a single value",
        ])
    }

    @Test func emptyBlocks() {
        #expect(problems(script("")) == [
            "4:1: error: `steps` is empty: add at least one step, e.g. `- do: Cat-cow` with `for: 30s`",
        ])
        #expect(problems(script("  - repeat: 2\n    steps: []\n")) == [
            "6:12: error: `steps` is empty: add at least one step, e.g. `- do: Cat-cow` with `for: 30s`",
        ])
        #expect(problems(script("  - repeat: 0\n    steps:\n      - rest: 1s\n")) == [
            "5:13: error: `repeat: 0` must be at least 1",
        ])
    }

    @Test func unknownCueListsTheValidOnes() {
        #expect(problems(script("  - do: X\n    for: 5m\n    cue: bel\n    every: 1m\n    every-cue: chek\n")) == [
            "7:10: error: unknown cue 'bel' (did you mean 'bell'?): valid cues are start, step, tick, go, halfway, switch, inhale, exhale, hold, rest, bell, check, break, end",
            "9:16: error: unknown cue 'chek' (did you mean 'check'?): valid cues are start, step, tick, go, halfway, switch, inhale, exhale, hold, rest, bell, check, break, end",
        ])
    }

    @Test func cueOptionsMustFitTheStep() {
        #expect(problems(script("""
              - do: X
                for: 3s
                countdown: 3
              - do: Y
                for: 5m
                every: 5m
              - do: Z
                for: 1m
                every-text: Hello
              - do: W
                for: 1m
                halfway: maybe
            """)) == [
            "7:16: error: countdown 3 does not fit in a 3s step: use at most 2",
            "10:12: error: `every: 5m` is not shorter than the step (5m), so no interval cue would sound: shorten `every` or remove it",
            "13:5: error: `every-text` needs `every: DURATION` in the same step, e.g. `every: 5m`",
            "16:14: error: `halfway` is true or false, not 'maybe'",
        ])
    }

    @Test func sidesNeedTwoDistinctNames() {
        #expect(problems(script("  - do: X\n    for: 5s\n    sides: left\n  - do: Y\n    for: 5s\n    sides: [left, left]\n")) == [
            "7:12: error: `sides` must list two or more sides, e.g. `sides: [left, right]`",
            "10:19: error: side 'left' is listed twice: list each side once, e.g. `sides: [left, right]`",
        ])
    }

    @Test func unknownIncludeSuggestsKnownIDs() {
        #expect(problems(script("  - include: box-breathin\n"), includes: ["box-breathing": boxBreathing]) == [
            "5:5: error: unknown session 'box-breathin' in `include` (did you mean 'box-breathing'?): `limber sessions` lists the ids you can include",
        ])
    }

    @Test func includeCyclesNameTheChain() {
        let a = script("  - include: b\n")
        let b = script("  - rest: 5s\n  - include: a\n")
        let result = TimelineCompiler(resolver: InMemorySessions(["a": a, "b": b]))
            .compile(text: a, path: "a.yaml")
        #expect(result.diagnostics.map(\.description) == [
            "a.yaml:5:5: error: include cycle a → b → a: a session cannot include itself, directly or through others; remove one of these includes",
        ])
        #expect(problems(script("  - include: t\n")) == [
            "5:5: error: include cycle t → t: a session cannot include itself, directly or through others; remove one of these includes",
        ])
    }

    @Test func brokenIncludeIsReportedAtTheIncludeSite() {
        let broken = "name: B\nkind: exercise\ndescription: D\nsteps:\n  - rest: 5\n"
        #expect(problems(script("  - rest: 1s\n  - include: broken\n"), includes: ["broken": broken]) == [
            "6:5: error: included session 'broken' has 1 error(s): first, broken.yaml:5:11: error: `rest`: '5' is a bare number: add a unit, e.g. 5s; run `limber validate broken.yaml`",
        ])
    }

    @Test func everyProblemIsReportedAtOnce() {
        let text = "name: T\nkind: heet\ndescription: D\nsteps:\n  - do: A\n    for: 5\n  - restt: 5s\n  - include: nowhere\n  - do: B\n    for: 1s\n    cue: ding\n"
        let found = problems(text)
        #expect(found.count == 5)
        #expect(found.map { $0.prefix(4) } == ["2:7:", "6:10", "7:5:", "8:5:", "11:1"])
    }

    @Test func notYAML() {
        #expect(problems("name: [unclosed\nkind: exercise\n") == [
            "2:5: error: not valid YAML: did not find expected ',' or ']' (while parsing a flow sequence at 1:7): fix the YAML syntax (indent with spaces, `key: value`, `- ` for list items)",
        ])
        #expect(problems("name: a\n\tkind: b\n").first?.hasPrefix("2:1: error: not valid YAML") == true)
    }

    @Test func duplicateKeys() {
        #expect(problems(script("  - do: A\n    for: 5s\n    for: 6s\n")) == [
            "6:5: error: duplicate key 'for' in one mapping: keep only one (start a new `- ` list item for a new step)",
        ])
    }

    @Test func topLevelMustBeAMapping() {
        #expect(problems("- do: X\n  for: 5s\n") == [
            "1:1: error: the top level must be a mapping with `name`, `kind`, `description` and `steps`, not a list",
        ])
        #expect(problems("just words\n") == [
            "1:1: error: the top level must be a mapping with `name`, `kind`, `description` and `steps`, not a single value",
        ])
        #expect(problems("") == [
            "0:0: error: the file is empty: a session needs `name`, `kind`, `description` and `steps`",
        ])
        #expect(problems("a: 1\n---\nb: 2\n").first?.hasPrefix("2:1: error: a session file holds one YAML document") == true)
    }

    @Test func fileOverOneMebibyte() {
        let text = script("  - rest: 5s\n") + "# " + String(repeating: "x", count: 1 << 20) + "\n"
        let result = TimelineCompiler().compile(bytes: Array(text.utf8), path: "big.yaml")
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics.first?.description.hasPrefix("big.yaml:0:0: error: the file is 1048") == true)
        #expect(result.diagnostics.first?.message.hasSuffix("over the 1 MiB limit for a session script: split it and use `include:`") == true)
    }

    @Test func nonUTF8IsLocated() {
        var bytes = Array("name: Caf".utf8) + [0xE9] + Array("\nkind: exercise\n".utf8)
        bytes.insert(contentsOf: Array("# ok\n".utf8), at: 0)
        let result = TimelineCompiler().compile(bytes: bytes, path: "latin1.yaml")
        #expect(result.diagnostics.map(\.description) == [
            "latin1.yaml:2:10: error: byte 0xE9 is not UTF-8: save the file as UTF-8 text",
        ])
    }

    @Test func anchorsAreRejected() {
        #expect(problems(script("  - &a {rest: 5s}\n  - *a\n")) == [
            "5:5: error: YAML anchors and aliases (&name, *name) are not supported in session scripts: write the steps out, or use `repeat:` or `include:`",
        ])
        // An ampersand in text is not an anchor.
        #expect(problems(script("  - do: Cat & cow\n    for: 5s\n")).isEmpty)
    }

    @Test func heatSafetyIsAWarningAndAnErrorWhenStrict() {
        let text = script(kind: "heat", "  - do: Heat pack\n    for: 25m\n")
        let warnings = [
            "2:7: warning: a heat session without skin checks: add `every: 5m` to the heat step (in a heat session its interval cue is `check`) so the skin is checked for redness",
            "5:5: warning: a heat step of 25m is over 20 minutes: keep heat to 20 minutes at a time to avoid burns (split it with a rest)",
        ]
        #expect(problems(text) == warnings)
        #expect(compile(text).isValid)
        let strict = compile(text, strict: true)
        #expect(!strict.isValid)
        #expect(strict.diagnostics.map { "\($0.line):\($0.column): \($0.severity.rawValue): \($0.message)" } == warnings.map {
            $0.replacingOccurrences(of: "warning:", with: "error:") + " (an error under --strict)"
        })
        // In a heat session, `every` defaults to the skin-check cue: no warning.
        let checked = compile(script(kind: "heat", "  - do: Heat pack\n    for: 20m\n    every: 5m\n"), strict: true)
        #expect(checked.diagnostics.isEmpty)
        #expect(checked.timeline?.cues.filter { $0.cue == .check }.count == 3)
    }

    @Test func repeatNestingIsCapped() {
        var steps = ""
        for level in 0..<18 {
            let pad = String(repeating: " ", count: 2 + level * 4)
            steps += "\(pad)- repeat: 1\n\(pad)  steps:\n"
        }
        steps += String(repeating: " ", count: 2 + 18 * 4) + "- rest: 1s\n"
        #expect(problems(script(steps)) == [
            "37:69: error: `repeat` blocks nest more than 16 deep: flatten them",
        ])
    }
}

let designSketch = """
    name: Morning back mobility
    kind: exercise
    description: Gentle mobility for a stiff lower back. Move only within a pain-free range.
    tags: [mobility, floor]
    lead-in: 10s                     # counted in the total; ends with the `go` cue
    steps:
      - repeat: 3
        steps:
          - do: Cat, round your back and tuck your chin
            for: 5s
          - do: Cow, let your belly sink and look ahead
            for: 5s
      - rest: 15s
      - do: Child's pose, breathe into your lower back
        for: 45s
        halfway: true
        countdown: 3                  # tick in each of the last 3 seconds
      - do: Hamstring stretch
        for: 30s
        sides: [left, right]          # two 30 s steps, a `switch` cue between
      - do: Pelvic tilts
        reps: 10
        pace: 3s                      # 30 s
      - include: box-breathing        # another session, by id
      - do: Heat pack on your lower back, over a thin cloth
        for: 20m
        cue: start                    # override the step's opening cue
        every: 5m                     # interval bells at 5, 10, 15 min (not at the end)
        every-cue: check
        every-text: Check your skin for redness

    """

let boxBreathing = """
    name: Box breathing
    kind: mindfulness
    description: Four-count box breathing.
    lead-in: 5s
    steps:
      - repeat: 2
        steps:
          - inhale: 4s
          - hold: 4s
          - exhale: 4s
          - hold: 4s

    """
