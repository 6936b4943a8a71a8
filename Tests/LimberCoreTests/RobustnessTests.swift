import LimberCore
import Testing

/// No input crashes or hangs the parser or the compiler.
@Suite struct RobustnessTests {
    /// A small deterministic generator, so failures reproduce.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    @Test func garbageBytesNeverCrash() {
        var generator = Generator(state: 42)
        let alphabet = Array("-:[]{}&*!|>'\"#?,% \n\t\\abc0123456789smh".utf8) + [0x00, 0xFF, 0xC3, 0xA9]
        for _ in 0..<300 {
            let length = generator.below(200)
            let bytes = (0..<length).map { _ in alphabet[generator.below(alphabet.count)] }
            let result = TimelineCompiler().compile(bytes: bytes, path: "g.yaml")
            #expect(result.isValid == result.errors.isEmpty)
        }
    }

    @Test func mutatedScriptsNeverCrash() {
        var generator = Generator(state: 7)
        let original = Array(designSketch.utf8)
        let pieces = ["- ", ": ", "\n", "  ", "[", "]", "{", "}", "0s", "repeat: 99999999\n", "include: t\n", "#", "'", "\""]
        var outcomes = (valid: 0, invalid: 0)
        for _ in 0..<300 {
            var bytes = original
            for _ in 0..<(1 + generator.below(4)) {
                let at = generator.below(bytes.count)
                if generator.below(2) == 0 {
                    bytes.removeSubrange(at..<min(bytes.count, at + generator.below(12)))
                } else {
                    bytes.insert(contentsOf: Array(pieces[generator.below(pieces.count)].utf8), at: at)
                }
            }
            let result = TimelineCompiler(resolver: InMemorySessions(["box-breathing": boxBreathing]))
                .compile(bytes: bytes, path: "t.yaml")
            if let timeline = result.timeline {
                #expect(isWellFormed(timeline))
                outcomes.valid += 1
            } else {
                #expect(!result.errors.isEmpty)
                #expect(result.errors.allSatisfy { $0.line >= 0 && $0.column >= 0 })
                outcomes.invalid += 1
            }
        }
        #expect(outcomes.invalid > 0)
    }

    @Test func deepNestingIsRefusedNotRecursed() {
        let inputs = [
            String(repeating: "[", count: 200_000),
            String(repeating: "{a: ", count: 100_000),
            String(repeating: "- ", count: 200_000) + "x",
            (0..<600).map { String(repeating: " ", count: $0) + "a:\n" }.joined(),
        ]
        for input in inputs {
            let result = compile(input)
            #expect(!result.isValid)
            #expect(result.errors.first?.message.contains("nests too deeply") == true)
        }
    }

    @Test func hugeRepeatCountsAreErrorsNotHangs() {
        #expect(problems(script("  - repeat: 1000000000\n    steps:\n      - rest: 1s\n")) == [
            "5:5: error: the session would last more than 24h (counting repeats and includes up to this step): lower the `repeat` counts or durations",
        ])
        #expect(problems(script("  - repeat: 200000\n    steps:\n      - rest: 1ms\n")) == [
            "5:5: error: the session would expand to more than 100000 timed segments (counting repeats, sides and includes up to this step): lower the `repeat` counts",
        ])
        #expect(problems(script("  - repeat: 99999999999999999999999\n    steps:\n      - rest: 1s\n")) == [
            "5:13: error: `repeat: 99999999999999999999999` is too large",
        ])
        #expect(problems(script("  - repeat: 9223372036854775807\n    steps:\n      - repeat: 9223372036854775807\n        steps:\n          - rest: 24h\n")).first?
            .hasPrefix("5:5: error: the session would last more than 24h") == true)
        #expect(problems(script("  - do: X\n    for: 24h\n    every: 1ms\n")).first?
            .hasPrefix("5:5: error: the session would hold more than 1000000 cues") == true)
    }

    @Test func exponentialIncludesAreCaughtBeforeExpansion() {
        // Each level includes the next one twice: 2^30 segments if expanded.
        var sessions: [String: String] = [:]
        for level in 0..<30 {
            sessions["s\(level)"] = script("  - include: s\(level + 1)\n  - include: s\(level + 1)\n")
        }
        sessions["s30"] = script("  - rest: 1ms\n")
        let result = TimelineCompiler(resolver: InMemorySessions(sessions)).compile(text: sessions["s0"] ?? "", path: "s0.yaml")
        #expect(!result.isValid)
        #expect(result.errors.first?.message.hasPrefix("the session would last more than 24h") == true)
    }

    @Test func aliasBombIsRefused() {
        var text = "a: &a [x, x, x, x, x, x, x, x, x]\n"
        for level in 1..<12 {
            let previous = level == 1 ? "a" : "a\(level - 1)"
            text += "a\(level): &a\(level) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]\n"
        }
        text += "? *a11\n: z\n"
        let result = compile(text)
        #expect(result.errors.first?.message.contains("anchors") == true)
    }
}
