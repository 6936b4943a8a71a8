import Foundation
import LimberWire
import Testing

/// What the thin `limber` answers itself, and what it leaves to limber-tools.
@Suite struct ThinCommandLineTests {
    @Test func theCommonFormsAreAnsweredHere() throws {
        #expect(ThinCommandLine(["status"]) == ThinCommandLine(command: "status"))
        let json = try #require(ThinCommandLine(["status", "--json", "--socket", "/run/x.sock"]))
        #expect(json.json && json.socket == "/run/x.sock" && json.format == nil)
        let format = try #require(ThinCommandLine(["status", "--socket=/s", "--format", "{state} {remaining}"]))
        #expect(format.format == "{state} {remaining}" && format.socket == "/s")
        #expect(ThinCommandLine(["status", "--format={text}"])?.format == "{text}")
        #expect(ThinCommandLine(["status", "--format="])?.format == "")
        for command in ["pause", "resume", "next", "prev", "stop"] {
            #expect(ThinCommandLine([command])?.command == command)
            #expect(ThinCommandLine([command, "--socket", "/s"])?.socket == "/s")
        }
    }

    @Test(arguments: [
        [], ["--help"], ["-h"], ["status", "--help"], ["status", "-h"], ["help", "status"], ["status", "--jsn"],
        ["status", "--json", "--format", "{state}"], ["status", "--json", "--json"], ["status", "--socket"],
        ["status", "--socket", "--json"], ["status", "--socket", "a", "--socket", "b"], ["status", "extra"],
        ["status", "--json=yes"], ["pause", "--json"], ["stop", "--format", "{state}"], ["start", "quick"], ["watch"],
        ["away"], ["validate", "x.yaml"], ["--version"], ["status", "--format"], ["Status"], ["status", "-"],
        ["--socket", "/s", "status"],
    ])
    func everythingElseGoesToLimberTools(_ arguments: [String]) {
        #expect(ThinCommandLine(arguments) == nil, "\(arguments)")
    }

    /// RFC 3339 instants as the daemon writes them and as people might.
    @Test func instantsAreReadWithoutFoundation() throws {
        let cases = [
            "2026-12-03T14:05:09.120Z", "2026-12-03T14:05:09Z", "1970-01-01T00:00:00Z", "2000-02-29T23:59:59.999+01:00",
            "2026-03-01T00:00:00-05:30", "2100-12-31T12:00:00.5Z",
        ]
        for text in cases {
            let expected = try #require(
                (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))) ?? (try? Date(text, strategy: .iso8601)),
                "\(text)")
            #expect(InstantText.epochSeconds(text) == Int64(expected.timeIntervalSince1970.rounded(.down)), "\(text)")
        }
        for bad in ["", "2026-12-03", "2026-12-03T14:05:09", "2026-13-03T14:05:09Z", "2026-12-03T25:05:09Z", "2026-12-03T14:05:09.Z", "x2026-12-03T14:05:09Z", "2026-12-03T14:05:09Zx"] {
            #expect(InstantText.epochSeconds(bad) == nil, "\(bad)")
        }
    }
}
