import Foundation
import LimberCore
import Logging
import Testing

@testable import LimberDaemon

#if canImport(Glibc)
import Glibc
#endif

/// Hooks run by the real spawn path: a shell script that reports what it was given.
@Suite(.timeLimit(.minutes(1)))
struct HookRunnerTests {
    static func scratch() throws -> String {
        var template = Array("/tmp/lhXXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw POSIXError(.EIO) }
        return String(cString: made)
    }

    static let daemonEnvironment = ["PATH": "/usr/bin:/bin", "HOME": "/home/someone", "LIMBER_SOCKET": "/run/own.sock"]

    func runner(timeout: Duration = .seconds(10)) -> HookRunner {
        HookRunner(logger: Logger(label: "test"), timeout: timeout, environment: { Self.daemonEnvironment })
    }

    @Test func aHookRunsWithItsArgumentsAndTheEventInItsEnvironment() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let output = directory + "/env"
        let outcome = await runner().execute(
            .breakDue, argv: ["sh", "-c", "env > \"$0\"", output], environment: ["LIMBER_KIND": "movement"])
        #expect(outcome == .exited(0))
        let lines = Set(try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").map(String.init))
        #expect(lines.contains("LIMBER_EVENT=break-due"))
        #expect(lines.contains("LIMBER_KIND=movement"))
        #expect(lines.contains("HOME=/home/someone"))
        #expect(!lines.contains { $0.hasPrefix("LIMBER_SOCKET=") }, "the daemon's own LIMBER_* must not reach a hook")
    }

    @Test func aHookStillRunningAtItsTimeLimitIsKilled() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let pidFile = directory + "/pid"
        let outcome = await runner(timeout: .milliseconds(300)).execute(
            .breakDue, argv: ["/bin/sh", "-c", "echo $$ > \"$0\"; exec sleep 600", pidFile], environment: [:])
        #expect(outcome == .killed)
        // No wall-clock bound here (tests never assert on speed): the hook sleeps 10 minutes
        // (a starved test pool has fired the limit 40 s late), so it
        // being gone and the outcome being `killed` show the limit acted.
        let pid = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(pid, 0) != 0 && errno == ESRCH, "the hook (pid \(pid)) outlived its time limit")
    }

    @Test func failuresAreOutcomesNotErrors() async throws {
        #expect(await runner().execute(.breakDue, argv: ["/bin/sh", "-c", "exit 4"], environment: [:]) == .exited(4))
        let missing = await runner().execute(.breakDue, argv: ["no-such-hook-program"], environment: [:])
        guard case .notStarted(let error) = missing else {
            Issue.record("expected notStarted, got \(missing)")
            return
        }
        #expect(error.code == ENOENT)
    }

    @Test func manyHooksInARowAreAllReaped() async throws {
        // Foundation's Process stopped reaping after a long-lived child; each child here has its own reaper.
        let sleeper = runner(timeout: .seconds(20))
        async let long = sleeper.execute(.breakDue, argv: ["/bin/sleep", "2"], environment: [:])
        for _ in 0..<20 {
            #expect(await runner().execute(.breakDue, argv: ["/bin/true"], environment: [:]) == .exited(0))
        }
        #expect(await long == .exited(0))
    }
}
