import Foundation
import LimberSpawn
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite(.timeLimit(.minutes(1)))
struct ChildProcessTests {
    static func scratch() throws -> String {
        var template = Array("/tmp/lsXXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw POSIXError(.EIO) }
        return String(cString: made)
    }

    @Test func runsWithExactlyTheGivenEnvironmentAndReportsTheExitStatus() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let child = try ChildProcess(
            "/bin/sh", ["-c", "echo \"$ONLY:${HOME-unset}\"; echo oops >&2; exit 3"], environment: ["ONLY": "this"],
            stdout: .file(directory + "/out"), stderr: .file(directory + "/err"))
        #expect(child.wait() == .exited(3))
        #expect(child.wait().status == 3)
        #expect(try String(contentsOfFile: directory + "/out", encoding: .utf8) == "this:unset\n")
        #expect(try String(contentsOfFile: directory + "/err", encoding: .utf8) == "oops\n")
    }

    @Test func standardErrorCanFollowStandardOutputIntoAPipe() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let child = try ChildProcess(
            "/bin/sh", ["-c", "echo out; echo err >&2"], environment: [:], stdout: .descriptor(fds[1]), stderr: .standardOutput)
        close(fds[1])
        var bytes = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            let count = read(fds[0], &buffer, buffer.count)
            guard count > 0 else { break }
            bytes += buffer[0..<count]
        }
        close(fds[0])
        #expect(child.wait() == .exited(0))
        #expect(String(decoding: bytes, as: UTF8.self) == "out\nerr\n")
    }

    @Test func aChildThatOutlivesItsTimeLimitIsKilled() async throws {
        let child = try ChildProcess("/bin/sleep", ["30"], environment: [:])
        let (termination, killed) = await child.exit(killingAfter: .milliseconds(200))
        // No wall-clock bound (tests never assert on speed; under the parallel suite the kill
        // has landed 26 s late): `sleep 30` ending by SIGKILL proves the limit acted.
        #expect(killed)
        #expect(termination == .signalled(SIGKILL))
        #expect(kill(child.pid, 0) != 0, "pid \(child.pid) still exists after the kill")
    }

    @Test func aChildThatEndsInTimeIsNotKilledAndCannotBeSignalledAfterwards() async throws {
        let child = try ChildProcess("/bin/true", [], environment: [:])
        let (termination, killed) = await child.exit(killingAfter: .seconds(20))
        #expect(termination == .exited(0))
        #expect(!killed)
        #expect(!child.signal(SIGTERM), "a reaped child's pid may belong to another process now")
    }

    @Test func signalsIgnoredHereAreDefaultInTheChild() throws {
        let previous = Glibc.signal(SIGTERM, SIG_IGN)
        defer { Glibc.signal(SIGTERM, previous) }
        let child = try ChildProcess("/bin/sleep", ["30"], environment: [:])
        #expect(child.signal(SIGTERM))
        #expect(child.wait(within: .seconds(10)) == .signalled(SIGTERM))
    }

    @Test func aMissingProgramIsASpawnErrorNamingIt() throws {
        #expect(throws: SpawnError(executable: "/nonexistent/hook", code: ENOENT)) {
            try ChildProcess("/nonexistent/hook", [], environment: [:])
        }
        #expect(SpawnError(executable: "/nonexistent/hook", code: ENOENT).description.contains("/nonexistent/hook"))
    }

    @Test func bareNamesAreFoundOnThePath() {
        #expect(ChildProcess.resolve("sh", path: "/nonexistent:/bin") == "/bin/sh")
        #expect(ChildProcess.resolve("./local", path: "/bin") == "./local")
        #expect(ChildProcess.resolve("no-such-program-here", path: "/bin") == "no-such-program-here")
    }
}
