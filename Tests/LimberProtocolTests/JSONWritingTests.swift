import Foundation
import LimberCore
import LimberProtocol
import LimberWire
import Testing

/// limberd writes every reply and event through LimberWire's encoder: the bytes must be the
/// ones Foundation's `JSONEncoder` wrote before, for realistic messages and random values.
@Suite struct JSONWritingTests {
    static func foundation<T: Encodable>(_ value: T) throws -> [UInt8] {
        Array(try ControlCodec.encoder().encode(value)) + [0x0A]
    }

    @Test func randomValuesAreWrittenAsFoundationWritesThem() throws {
        var random = JSONTextTests.Random(state: 77)
        for _ in 0..<2_000 {
            let value = JSONTextTests.randomValue(&random)
            let ours = ControlCodec.lineBytes(value)
            #expect(ours == (try Self.foundation(value)), "\(String(decoding: ours, as: UTF8.self))")
            #expect(try JSONText.parse(ours.dropLast()) == value)
        }
    }

    @Test func statusRepliesAreWrittenAsFoundationWritesThem() throws {
        for status in JSONTextTests.statuses {
            let reply = ControlReply(id: .number(7), result: status)
            #expect(ControlCodec.lineBytes(reply) == (try Self.foundation(reply)))
            let watch = ControlReply(id: .string("w"), result: WatchResult(status: status))
            #expect(ControlCodec.lineBytes(watch) == (try Self.foundation(watch)))
        }
        let refusal = ControlReply<StatusResult>(id: nil, error: ControlError(.unknownCommand, "no \"x\"", details: ["a", "b"]))
        #expect(ControlCodec.lineBytes(refusal) == (try Self.foundation(refusal)))
    }

    @Test func eventsAreWrittenAsFoundationWritesThem() throws {
        let events = [
            ControlEvent(
                event: .cue, mono: 1234.567891, due: 1234.5, heard: 1234.5231, wall: "2026-12-03T15:04:05.678Z", session: "desk-reset",
                step: 2, steps: 9, cue: .switch, offsetMs: 61_250, sessionKind: .exercise),
            ControlEvent(event: .step, mono: 0.000_001, wall: "2026-12-03T15:04:05.678Z", text: "Right side.\n\"Slowly\"", durationMs: 45_000),
            ControlEvent(
                event: .presenceChanged, mono: 1e7, wall: "x", sessions: ["a", "b"], presence: "away", source: "locked",
                since: "2026-12-03T15:04:05.678Z"),
        ]
        for event in events {
            #expect(ControlCodec.lineBytes(event) == (try Self.foundation(event)), "\(String(decoding: ControlCodec.lineBytes(event), as: UTF8.self))")
        }
    }

    /// `show` replies: every built-in session's timeline, with every cue and segment.
    @Test func timelinesAreWrittenAsFoundationWritesThem() throws {
        let library = SessionLibrary(explicitDirectories: [URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sessions").path])
        #expect(library.knownIDs.count >= 10)
        for id in library.knownIDs {
            let timeline = try #require(library.compile(id: id).timeline, "\(id)")
            let reply = ControlReply(id: .number(1), result: timeline)
            #expect(ControlCodec.lineBytes(reply) == (try Self.foundation(reply)), "\(id)")
        }
    }

    @Test func nonFiniteNumbersAreRefusedAsFoundationRefusesThem() {
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode(["x": Double.nan]) }
        #expect(throws: (any Error).self) { try ControlCodec.encoder().encode(["x": Double.nan]) }
        let line = String(decoding: ControlCodec.lineBytes(["x": Double.infinity]), as: UTF8.self)
        #expect(line.contains("\"internal\""), "\(line)")
    }

    @Test(arguments: [
        "stepRemainingMs", "nextBreak", "state", "URLValue", "myURL", "_leading", "trailing_", "a1B2", "HTTPServerError", "x",
        "lateCues", "clockRemeasured", "offsetMs", "sessionKind", "dueWall", "ABC", "aBC", "snake_case_already",
    ])
    func keysAreConvertedAsFoundationConvertsThem(_ key: String) throws {
        let foundation = try JSONDecoder().decode([String: Int].self, from: ControlCodec.encoder().encode(Keyed(key: key)))
        #expect([JSONValueEncoder.snakeCase(key)] == Array(foundation.keys), "\(key)")
    }

    /// One member named `key`.
    struct Keyed: Encodable {
        var key: String
        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(1, forKey: Key(stringValue: key))
        }
    }
}
