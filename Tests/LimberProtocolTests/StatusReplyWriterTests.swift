import LimberCore
import LimberProtocol
import LimberWire
import Testing

/// The pipeline's `status` replies are written by hand (`StatusReplyWriter`): they must be
/// the bytes the generic encoder writes, for every status a daemon can be in, including one
/// writer reused over a run of changing statuses (its cached fragments must follow them).
@Suite struct StatusReplyWriterTests {
    @Test func realisticStatusesAreWrittenAsTheEncoderWritesThem() throws {
        var writer = StatusReplyWriter()
        for (index, status) in JSONTextTests.statuses.enumerated() {
            for id: JSONValue? in [nil, .number(Double(index)), .string("q\"\(index)"), .object(["n": .array([.bool(true)])])] {
                let expected = ControlCodec.lineBytes(ControlReply(id: id, result: status))
                let line = writer.line(id: id, status: status)
                let ours = try #require(line)
                #expect(ours == expected, "\(String(decoding: ours, as: UTF8.self))\n\(String(decoding: expected, as: UTF8.self))")
            }
        }
    }

    @Test func randomStatusesAreWrittenAsTheEncoderWritesThem() throws {
        var random = JSONTextTests.Random(state: 2026)
        var writer = StatusReplyWriter()
        for _ in 0..<3_000 {
            let status = Self.randomStatus(&random)
            let id: JSONValue? = random.below(3) == 0 ? nil : .number(Double(random.below(1_000_000)))
            let expected = ControlCodec.lineBytes(ControlReply(id: id, result: status))
            let line = writer.line(id: id, status: status)
            let ours = try #require(line)
            #expect(ours == expected, "\(String(decoding: ours, as: UTF8.self))\n\(String(decoding: expected, as: UTF8.self))")
        }
    }

    /// A status whose parts each change now and then, as a daemon's do between requests;
    /// the numbers span what the clocks give (fractions, zero, huge values).
    static func randomStatus(_ random: inout JSONTextTests.Random) -> StatusResult {
        func text() -> String { random.below(4) == 0 ? JSONTextTests.randomString(&random) : ["a", "desk-reset", "Chin tuck."][random.below(3)] }
        func milliseconds() -> Int64 { [0, 1, 999, 61_250, 9_007_199_254_740][random.below(5)] + Int64(random.below(1000)) }
        var audio = AudioReport(state: ["idle", "playing", "unavailable"][random.below(3)], device: random.below(2) == 0 ? "default" : text())
        if random.below(3) == 0 { audio.reason = text() }
        if random.below(2) == 0 { audio.latencyMs = Double(random.below(100_000)) / 1000 }
        if random.below(2) == 0 { audio.prerollMs = Double(random.below(4)) * 60.25 }
        if random.below(2) == 0 { audio.lateCues = random.below(3) }
        let session: SessionProgress? =
            random.below(3) == 0
            ? nil
            : SessionProgress(
                id: text(), name: text(), kind: SessionKind.allCases[random.below(SessionKind.allCases.count)],
                step: random.below(20), steps: 1 + random.below(20), stepText: text(), stepRemainingMs: milliseconds(),
                stepDurationMs: milliseconds(), elapsedMs: milliseconds(), totalMs: milliseconds())
        let nextBreak: NextBreak? = random.below(3) == 0 ? nil : NextBreak(kind: ["micro", "rest"][random.below(2)], due: text(), inMs: milliseconds())
        let mono: Double? = random.below(5) == 0 ? nil : Double(random.next() % 10_000_000_000) / [1, 1000, 1_000_000, 3][random.below(4)]
        let program: ProgramState? = random.below(2) == 0 ? nil : JSONTextTests.statuses[1].program
        let presence: PresenceReport? =
            random.below(3) == 0
            ? nil : random.below(2) == 0 ? PresenceReport(state: "present") : PresenceReport(state: "away", since: text(), source: "idle")
        let state = [RunnerState.idle, .running, .paused][random.below(3)]
        return StatusResult(state: state, session: session, audio: audio, nextBreak: nextBreak, mono: mono, program: program, presence: presence)
    }
}
