import Foundation
import LimberProtocol
import Testing

/// The thin `limber`: socket commands on its own, every other command through limber-tools,
/// and a message that says what to do when limber-tools is missing.
@Suite(.timeLimit(.minutes(1)))
struct ThinClientTests {
    /// A directory holding `limber` and nothing else: a hard link beside the build directory,
    /// not a copy (a copy's descriptor, open for writing, can be inherited by a child another
    /// test spawns at that moment, and running the copy then fails with ETXTBSY).
    static func lonelyClient() throws -> URL {
        let directory = productsDirectory().deletingLastPathComponent()
            .appendingPathComponent("limber-thin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let lonely = directory.appendingPathComponent("limber")
        try FileManager.default.linkItem(at: limberBinary(), to: lonely)
        return lonely
    }

    /// Output without what changes from one request to the next.
    static func steady(_ output: String) -> AnyHashable {
        guard output.hasPrefix("{"), let value = try? JSONDecoder().decode(JSONValue.self, from: Data(output.utf8)) else {
            return AnyHashable(output.split(separator: "\n").filter { !$0.hasPrefix("next break:") }.joined(separator: "\n"))
        }
        func strip(_ value: JSONValue) -> JSONValue {
            switch value {
            case .object(let members):
                .object(members.filter { $0.key != "mono" && $0.key != "in_ms" }.mapValues(strip))
            case .array(let items): .array(items.map(strip))
            default: value
            }
        }
        return AnyHashable(strip(value))
    }

    static var tools: URL { productsDirectory().appendingPathComponent("limber-tools") }

    @Test func socketCommandsNeedNoLimberTools() throws {
        let daemon = try DaemonProcess()
        let client = try Self.lonelyClient()
        defer { try? FileManager.default.removeItem(at: client.deletingLastPathComponent()) }
        let status = try run(client, ["status", "--json", "--socket", daemon.socket], environment: ["LIMBER_TOOLS": ""])
        #expect(status.status == 0, "\(status.stderr)")
        let reply = try JSONDecoder().decode(JSONValue.self, from: Data(status.stdout.utf8))
        guard case .object(let fields) = reply else { Issue.record("not an object: \(status.stdout)"); return }
        #expect(fields["state"] == .string("idle"), "\(status.stdout)")
        let formatted = try run(client, ["status", "--format", "{state}|{session}", "--socket", daemon.socket])
        #expect(formatted.status == 0 && formatted.stdout == "idle|\n", "\(formatted)")
        // limberd's refusal, word for word and with limber-tools' exit status.
        let pause = try run(client, ["pause", "--socket=\(daemon.socket)"])
        let toolsPause = try run(Self.tools, ["pause", "--socket", daemon.socket])
        #expect(pause.status == 1 && toolsPause.status == 1, "\(pause) \(toolsPause)")
        #expect(pause.stderr == toolsPause.stderr && pause.stderr.hasPrefix("limber: "), "\(pause.stderr)")
        // What limber-tools prints, for every form of status the thin client answers; only the
        // clocks that move between the two requests (mono, the time to the next break) differ.
        for form in [["--json"], [], ["--format", "{state} {audio} {session} {presence}"]] {
            let thin = try run(client, ["status"] + form + ["--socket", daemon.socket])
            let full = try run(Self.tools, ["status"] + form + ["--socket", daemon.socket])
            #expect(thin.status == 0 && full.status == 0, "\(thin) \(full)")
            #expect(Self.steady(thin.stdout) == Self.steady(full.stdout), "status \(form): thin \(thin.stdout) limber-tools \(full.stdout)")
            #expect(!thin.stdout.isEmpty && thin.stdout.hasSuffix("\n"))
        }
    }

    @Test func aDaemonThatIsNotRunningIsExitStatusThree() throws {
        let directory = try TestDirectory()
        let socket = directory.path + "/nobody.sock"
        let thin = try run(limberBinary(), ["status", "--socket", socket])
        let full = try run(Self.tools, ["status", "--socket", socket])
        #expect(thin.status == 3 && full.status == 3, "\(thin) \(full)")
        #expect(thin.stderr == full.stderr && thin.stderr.contains("limberd is not running"), "\(thin.stderr)")
    }

    @Test func otherCommandsSayWhereLimberToolsWasLookedFor() throws {
        let client = try Self.lonelyClient()
        defer { try? FileManager.default.removeItem(at: client.deletingLastPathComponent()) }
        let validate = try run(client, ["validate", "x.yaml"], environment: ["LIMBER_TOOLS": ""])
        #expect(validate.status == 1)
        #expect(validate.stderr.contains("`limber validate` is run by limber-tools"), "\(validate.stderr)")
        #expect(validate.stderr.contains(client.deletingLastPathComponent().path + "/limber-tools"), "\(validate.stderr)")
        #expect(validate.stderr.contains("LIMBER_TOOLS"), "\(validate.stderr)")
    }

    @Test func limberToolsAnswersWithTheSameArgumentsAndName() throws {
        let client = try Self.lonelyClient()
        defer { try? FileManager.default.removeItem(at: client.deletingLastPathComponent()) }
        let tools = productsDirectory().appendingPathComponent("limber-tools").path
        let help = try run(client, ["--help"], environment: ["LIMBER_TOOLS": tools])
        #expect(help.status == 0, "\(help.stderr)")
        #expect(help.stdout.contains("USAGE: limber <subcommand>"), "\(help.stdout)")
        for command in ["status", "validate", "history", "watch"] {
            #expect(help.stdout.contains("  \(command) "), "limber --help does not list \(command)")
        }
        let usage = try run(client, ["validate"], environment: ["LIMBER_TOOLS": tools])
        #expect(usage.status == 2, "\(usage)")
        #expect(usage.stderr.contains("Usage: limber validate"), "\(usage.stderr)")
    }

    @Test func aMistypedSocketCommandIsAUsageError() throws {
        let status = try run(limberBinary(), ["status", "--jsn"])
        #expect(status.status == 2)
        #expect(status.stderr.contains("Usage: limber status"), "\(status.stderr)")
    }
}
