import Foundation
import GRDB
import LimberCore
import LimberHistory
import LimberProtocol
import LimberSpawn
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The history as a user meets it: `limber log pain`, `stats` and `history` through the
/// built binary, and the real limberd recording sessions across a kill -9.
@Suite struct HistoryEndToEndTests {
    static let quick = "name: Quick\nkind: exercise\ndescription: Two short steps.\nsteps:\n  - do: Reach up\n    for: 200ms\n  - do: Reach down\n    for: 200ms\n"

    /// A short scratch directory (socket paths are limited to 107 bytes).
    static func scratch() throws -> URL {
        let url = URL(fileURLWithPath: "/tmp/lh-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: url.appendingPathComponent("sessions"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: url.appendingPathComponent("state"), withIntermediateDirectories: true)
        try Data(quick.utf8).write(to: url.appendingPathComponent("sessions/quick.yaml"))
        return url
    }

    /// A running limberd on `directory`'s socket and state; its log goes to `limberd.log`.
    final class Daemon {
        let process: ChildProcess
        let socket: String

        init(_ directory: URL) throws {
            socket = directory.appendingPathComponent("s.sock").path
            process = try ChildProcess(
                limberdBinary().path,
                [
                    "--socket", socket, "--state-dir", directory.appendingPathComponent("state").path,
                    "--sessions", directory.appendingPathComponent("sessions").path, "--device", "null",
                ],
                environment: ProcessInfo.processInfo.environment,
                stdout: .file(directory.appendingPathComponent("limberd.log").path), stderr: .standardOutput)
        }

        deinit {
            if process.signal(SIGKILL) { process.wait() }
        }

        /// A connection, once limberd listens (it binds within milliseconds; 10 s is the limit).
        func connect() throws -> ControlClient {
            let deadline = Date().addingTimeInterval(10)
            while true {
                do {
                    return try ControlClient(path: socket)
                } catch {
                    if Date() > deadline || process.termination != nil { throw error }
                    usleep(10_000)
                }
            }
        }

        /// Starts `quick` and returns once its session-finished event arrives.
        func runQuickSession() throws {
            let watcher = try connect()
            _ = try watcher.rawCall("watch")
            let status: StatusResult = try connect().call("start", args: ["id": .string("quick")])
            #expect(status.session?.id == "quick")
            while true {
                guard case .line(let line) = try watcher.readLine(timeoutMilliseconds: 10_000) else {
                    Issue.record("no session-finished event within 10 s")
                    return
                }
                if let event = try? ControlCodec.decoder().decode(ControlEvent.self, from: line), event.event == .sessionFinished {
                    return
                }
            }
        }

        func kill(_ signal: Int32) {
            process.signal(signal)
            process.wait()
        }
    }

    /// Waits until a reader sees `count` session runs: a commit is what "recorded" means, and
    /// the database is the only place that can show it.
    static func awaitRuns(_ count: Int, path: String) throws -> Int {
        let deadline = Date().addingTimeInterval(10)
        while true {
            if let queue = try HistoryDatabase.openForReading(path: path) {
                let runs = try queue.read { try SessionRunEntry.fetchCount($0) }
                if runs >= count || Date() > deadline { return runs }
            } else if Date() > deadline {
                return 0
            }
            usleep(10_000)
        }
    }

    @Test func aRecordedSessionSurvivesKill9AndTheFileStaysSound() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("state/history.sqlite").path

        let first = try Daemon(directory)
        try first.runQuickSession()
        #expect(try Self.awaitRuns(1, path: path) == 1)
        first.kill(SIGKILL)

        let second = try Daemon(directory)
        _ = try second.connect()
        let queue = try #require(try HistoryDatabase.openForReading(path: path))
        let record = try #require(try queue.read { try SessionRunEntry.fetchOne($0) })
        #expect(record.session == "quick" && record.kind == "exercise" && record.outcome == "completed")
        #expect(record.steps == 2 && record.stepsCompleted == 2 && record.plannedMs == 400)
        #expect(try HistoryDatabase.integrityCheck(queue) == ["ok"])

        // The restarted daemon goes on appending to the recovered file.
        try second.runQuickSession()
        #expect(try Self.awaitRuns(2, path: path) == 2)
        second.kill(SIGTERM)
        #expect(second.process.termination == .exited(0))
        #expect(try HistoryDatabase.integrityCheck(queue) == ["ok"])

        let history = try run(limberBinary(), ["history", "--json", "--state-dir", directory.appendingPathComponent("state").path])
        #expect(history.status == 0)
        #expect(history.stdout.components(separatedBy: "\"type\" : \"session\"").count == 3)
    }

    /// history.sqlite is taken by a directory (unwritable even for root): sessions still run,
    /// and the log names the file once.
    @Test func anUnusableDatabaseDoesNotStopSessions() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("state/history.sqlite"), withIntermediateDirectories: false)
        let daemon = try Daemon(directory)
        try daemon.runQuickSession()
        try daemon.runQuickSession()
        let status: StatusResult = try daemon.connect().call("status")
        #expect(status.state == .idle)
        daemon.kill(SIGTERM)
        #expect(daemon.process.termination == .exited(0))
        let log = try String(contentsOf: directory.appendingPathComponent("limberd.log"), encoding: .utf8)
        #expect(log.contains("history.sqlite"))
        #expect(log.components(separatedBy: "records will be kept in memory").count == 2)
    }

    @Test func startRateRecordsARatingBeforeAndAfterTheSession() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let daemon = try Daemon(directory)
        _ = try daemon.connect()
        let input = directory.appendingPathComponent("input")
        try Data("eleven\n3\n5\n".utf8).write(to: input)
        let output = directory.appendingPathComponent("output")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let client = try ChildProcess(
            limberBinary().path,
            ["start", "quick", "--rate", "--socket", daemon.socket, "--state-dir", directory.appendingPathComponent("state").path],
            environment: ProcessInfo.processInfo.environment, stdin: .file(input.path), stdout: .file(output.path))
        let rated = client.wait()
        daemon.kill(SIGTERM)
        #expect(rated == .exited(0))
        let printed = try String(contentsOf: output, encoding: .utf8)
        #expect(printed.contains("quick finished"))
        #expect(printed.contains("recorded pain 3 → 5/10"))
        let queue = try #require(try HistoryDatabase.openForReading(path: directory.appendingPathComponent("state/history.sqlite").path))
        let ratings = try queue.read { try PainEntry.fetchAll($0, sql: "SELECT * FROM pain ORDER BY id") }
        #expect(ratings.map(\.level) == [3, 5])
        #expect(ratings.map(\.moment) == [.before, .after])
        #expect(ratings.allSatisfy { $0.session == "quick" })
    }

    @Test func painLogStatsAndHistoryWithoutTheDaemon() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let state = directory.appendingPathComponent("state/new").path

        let empty = try run(limberBinary(), ["stats", "--state-dir", state])
        #expect(empty.status == 0)
        #expect(empty.stdout.contains("no history yet"))

        let logged = try run(limberBinary(), ["log", "pain", "4", "--note", "after gardening", "--area", "lower-back", "--state-dir", state])
        #expect(logged.status == 0, "\(logged.stderr)")
        #expect(logged.stdout == "recorded pain 4/10 (lower-back)\n")

        let invalid = try run(limberBinary(), ["log", "pain", "11", "--state-dir", state])
        #expect(invalid.status == 2)
        #expect(invalid.stderr.contains("0 (none) to 10"))

        let history = try run(limberBinary(), ["history", "--json", "--state-dir", state])
        #expect(history.status == 0)
        let items = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
        #expect(items.count == 1)
        #expect(items.first?["type"] as? String == "pain")
        #expect(items.first?["level"] as? Int == 4)
        #expect(items.first?["area"] as? String == "lower-back")
        #expect(items.first?["note"] as? String == "after gardening")

        let csv = try run(limberBinary(), ["stats", "--days", "3", "--csv", "--state-dir", state])
        #expect(csv.status == 0)
        let rows = csv.stdout.split(separator: "\n")
        #expect(rows.count == 4)
        #expect(rows.first.map(String.init) == HistoryText.csvHeader)
        #expect(rows.last?.hasSuffix(",4,1") == true)

        let report = try run(limberBinary(), ["stats", "--state-dir", state])
        #expect(report.status == 0)
        #expect(report.stdout.contains("pain average 4.0"))
    }
}
