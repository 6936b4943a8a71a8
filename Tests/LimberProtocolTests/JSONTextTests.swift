import Foundation
import LimberProtocol
import LimberWire
import Testing

/// LimberWire's JSON reader and decoder against Foundation's: the same values, the same
/// refusals, for realistic replies and for random and malformed text.
@Suite struct JSONTextTests {
    /// A deterministic generator (SplitMix64), so a failure can be replayed.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }

    static func randomString(_ random: inout Random) -> String {
        let pieces = ["a", "Z", " ", "\"", "\\", "/", "\n", "\t", "\u{01}", "é", "日本", "🙂", "_", "next_break", "\u{7F}", ""]
        return (0..<random.below(6)).map { _ in pieces[random.below(pieces.count)] }.joined()
    }

    static func randomValue(_ random: inout Random, depth: Int = 0) -> JSONValue {
        switch random.below(depth > 3 ? 4 : 6) {
        case 0: return .null
        case 1: return .bool(random.below(2) == 0)
        case 2:
            let numbers: [Double] = [0, -1, 42, 1_700_000_000_123, 0.5, -12.25, 1e-7, 3.141592653589793, 1e300, 123_456.789]
            return .number(numbers[random.below(numbers.count)])
        case 3: return .string(randomString(&random))
        case 4: return .array((0..<random.below(5)).map { _ in randomValue(&random, depth: depth + 1) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<random.below(5) { members[randomString(&random)] = randomValue(&random, depth: depth + 1) }
            return .object(members)
        }
    }

    @Test func randomValuesReadAsFoundationReadsThem() throws {
        var random = Random(state: 20_261_203)
        for _ in 0..<2_000 {
            let value = Self.randomValue(&random)
            for text in [try ControlCodec.encoder().encode(value), try ControlCodec.encoder(pretty: true).encode(value)] {
                let foundation = try JSONDecoder().decode(JSONValue.self, from: text)
                #expect(try JSONText.parse(text) == foundation, "\(String(decoding: text, as: UTF8.self))")
            }
        }
    }

    @Test func escapesAndNumbersAsWritten() throws {
        #expect(try JSONText.parse(Array(#"{"a":"\u00e9\ud83d\ude42\n\/","b":-0.5e2,"c":[true,false,null],"d":10}"#.utf8))
            == .object(["a": .string("é🙂\n/"), "b": .number(-50), "c": .array([.bool(true), .bool(false), .null]), "d": .number(10)]))
        #expect(try JSONText.parse(Array(" \t\r\n 7 \n".utf8)) == .number(7))
        #expect(try JSONText.parse(Array("12345678901234567890".utf8)) == .number(12_345_678_901_234_567_890))
    }

    @Test(arguments: [
        "", " ", "{", "}", "{\"a\" 1}", "{a:1}", "01", "1.", ".5", "-", "1e", "+1", "NaN", "Infinity",
        "tru", "nul", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00x\"", "\"a\u{01}b\"", "[1 2]", "1 2", "{\"a\":1}x",
        "1e999", "[\"\\ud83d\\u0041\"]",
    ])
    func malformedTextIsRefusedAsFoundationRefusesIt(_ text: String) {
        #expect(throws: JSONText.SyntaxError.self) { try JSONText.parse(Array(text.utf8)) }
        #expect(throws: (any Error).self) { try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }
    }

    /// Foundation's decoder lets a trailing comma pass; RFC 8259 does not, nor does this reader.
    @Test func trailingCommasAreRefused() {
        for text in ["[1,]", #"{"a":1,}"#] {
            #expect(throws: JSONText.SyntaxError.self) { try JSONText.parse(Array(text.utf8)) }
        }
    }

    @Test func invalidUTF8AndDeepNestingAreRefused() {
        #expect(throws: JSONText.SyntaxError.self) { try JSONText.parse([0x22, 0xC3, 0x28, 0x22]) }
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONText.SyntaxError.self) { try JSONText.parse(Array(deep.utf8)) }
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect((try? JSONText.parse(Array(fine.utf8))) != nil)
    }

    @Test func topLevelMembersKeepTheirBytes() throws {
        let line = Array(#"{"id":1, "result" : {"state":"idle","audio":{"device":"x"}} ,"ok":true}"#.utf8)
        let (_, members) = try JSONText.parseWithSpans(line)
        let span = try #require(members["result"])
        #expect(String(decoding: line[span], as: UTF8.self) == #"{"state":"idle","audio":{"device":"x"}}"#)
        #expect(String(decoding: line[try #require(members["id"])], as: UTF8.self) == "1")
    }

    static let statuses: [StatusResult] = {
        var audio = AudioReport(state: "playing", device: "default", latencyMs: 23.5)
        audio.prerollMs = 180.25
        audio.lateCues = 2
        audio.lostCues = 0
        audio.clockRemeasured = 1
        let session = SessionProgress(
            id: "desk-reset", name: "Desk reset — \"quick\"", kind: .exercise, step: 3, steps: 11,
            stepText: "Chin tuck.\nDraw your chin straight back 🙂", stepRemainingMs: 12_345, stepDurationMs: 30_000,
            elapsedMs: 95_000, totalMs: 600_000)
        let program = ProgramState(
            id: "back-on-track", name: "Back on track", state: "active", started: "2026-11-20", week: 2, stage: 1, stages: 3,
            stageName: "Weeks 3–4: strength", stageStarted: "2026-11-27", today: ["desk-reset", "walk"], done: ["walk"],
            nextReview: "2026-12-04",
            lastDecision: .init(day: "2026-11-27", decision: "advance", fromStage: 0, toStage: 1, reason: "pain fell"),
            decisions: nil, advice: [.init(rule: "red-flag-symptoms", seen: "numbness", advice: "see a doctor")])
        return [
            StatusResult(state: .idle, session: nil, audio: AudioReport(state: "idle", device: "null")),
            StatusResult(
                state: .running, session: session, audio: audio,
                nextBreak: NextBreak(kind: "micro", due: "2026-12-03T15:04:05.678Z", inMs: 1_234_567), mono: 12_345.678_901,
                program: program, presence: PresenceReport(state: "away", since: "2026-12-03T14:31:00.000Z", source: "locked")),
            StatusResult(
                state: .paused, session: session, audio: AudioReport(state: "unavailable", device: "pulse", reason: "no server"),
                presence: PresenceReport(state: "present")),
        ]
    }()

    @Test func statusRepliesDecodeAsWithFoundation() throws {
        for status in Self.statuses {
            let line = ControlCodec.line(ControlReply(id: .number(1), result: status))
            let value = try JSONText.parse(line.dropLast())
            guard case .object(let members) = value, let result = members["result"] else {
                Issue.record("no result in \(String(decoding: line, as: UTF8.self))")
                continue
            }
            let decoded = try JSONValueDecoder().decode(StatusResult.self, from: result)
            #expect(decoded == status)
            #expect(decoded == (try ControlCodec.decoder().decode(ControlReply<StatusResult>.self, from: line)).result)
        }
    }

    @Test func refusalsDecodeWithTheirDetails() throws {
        let refusal = ControlError(.badArgs, "no such session", details: ["did you mean desk-reset?"])
        let line = ControlCodec.line(ControlReply<StatusResult>(id: .number(1), error: refusal))
        guard case .object(let members) = try JSONText.parse(line.dropLast()), let error = members["error"] else {
            Issue.record("no error member")
            return
        }
        #expect(try JSONValueDecoder().decode(ControlError.self, from: error) == refusal)
    }

    @Test func wrongTypesAreDecodingErrors() {
        #expect(throws: DecodingError.self) {
            try JSONValueDecoder().decode(StatusResult.self, from: .object(["state": .number(1)]))
        }
        #expect(throws: DecodingError.self) {
            try JSONValueDecoder().decode(NextBreak.self, from: .object(["kind": .string("micro"), "due": .string("x"), "in_ms": .number(1.5)]))
        }
    }

    @Test(arguments: [
        ("next_break", "nextBreak"), ("in_ms", "inMs"), ("state", "state"), ("_private_key", "_privateKey"),
        ("trailing_", "trailing_"), ("a__b", "aB"), ("clock_remeasured", "clockRemeasured"), ("ALL_CAPS", "allCaps"),
    ])
    func snakeCaseReadsAsFoundationReadsIt(_ pair: (String, String)) throws {
        #expect(JSONValueDecoder.camelCase(pair.0) == pair.1)
    }
}
