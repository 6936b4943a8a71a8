import Foundation
import GRDB
import LimberHistory
import LimberCore
import LimberSpawn

#if canImport(Glibc)
import Glibc
#endif

/// A short private directory for one test: `/tmp/lbXXXXXX` holding the control socket `s`
/// (sun_path holds only 108 bytes), `state/`, and `sessions/` with the test scripts.
/// Removed when the last daemon using it is gone.
final class TestDirectory {
    let path: String
    var socket: String { path + "/s" }
    var state: String { path + "/state" }
    var sessions: String { path + "/sessions" }
    var historyFile: String { HistoryDatabase.path(stateDirectory: state) }

    init(scripts: [String: String] = TestScripts.all) throws {
        var template = Array("/tmp/lbXXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else { throw TestFailure("mkdtemp: \(String(cString: strerror(errno)))") }
        path = String(cString: created)
        try FileManager.default.createDirectory(atPath: sessions, withIntermediateDirectories: true)
        for (id, text) in scripts {
            try Data(text.utf8).write(to: URL(fileURLWithPath: "\(sessions)/\(id).yaml"))
        }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The run records the daemon wrote, one JSON object per line.
    /// The session runs the daemon recorded in its history database, oldest first.
    func runRecords() throws -> [SessionRunEntry] {
        guard let queue = try HistoryDatabase.openForReading(path: historyFile) else { return [] }
        return try queue.read { try SessionRunEntry.order(Column("id")).fetchAll($0) }
    }
}

/// The real `limberd` binary running on a `TestDirectory`, its output captured to a file.
///
/// Spawned as a `ChildProcess` (reaped by a thread of its own).
/// `signal(_:)` (or dropping the value) stops it: SIGTERM and, if the daemon does not exit
/// within a few seconds, SIGKILL, so a failing test never leaves a daemon behind.
final class DaemonProcess {
    let directory: TestDirectory
    let pid: Int32
    let logPath: String
    private let child: ChildProcess

    var socket: String { directory.socket }

    /// The daemon's stderr and stdout so far.
    var log: String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "(no log at \(logPath))"
    }

    /// The exit status (128 + N after signal N), or nil while it runs.
    var terminationStatus: Int32? { child.termination?.status }
    var isRunning: Bool { child.termination == nil }

    /// Starts `limberd --socket DIR/s --state-dir DIR/state --sessions DIR/sessions
    /// --device null` plus `arguments`, and waits until its socket accepts.
    convenience init(
        in directory: TestDirectory? = nil, arguments: [String] = [], environment: [String: String] = [:]
    ) throws {
        try self.init(launching: directory ?? TestDirectory(), arguments: arguments, environment: environment)
        try waitUntilAccepting()
    }

    /// Starts `executable` (by default limberd with the directory's standard flags first);
    /// does not wait for anything.
    init(
        launching directory: TestDirectory, executable: URL = limberdBinary(), arguments: [String] = [],
        environment: [String: String] = [:], standardArguments: Bool = true
    ) throws {
        self.directory = directory
        logPath = directory.path + "/limberd-\(UUID().uuidString.prefix(8)).log"
        let arguments =
            (standardArguments
                ? ["--socket", directory.socket, "--state-dir", directory.state, "--sessions", directory.sessions, "--device", "null"]
                : []) + arguments
        var inherited = ProcessInfo.processInfo.environment
        for key in ["NOTIFY_SOCKET", "LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES", "JOURNAL_STREAM", "LIMBER_SOCKET"] {
            inherited[key] = nil
        }
        // Rendered speech is cached per test directory, never in the user's ~/.cache.
        inherited["XDG_CACHE_HOME"] = directory.path + "/cache"
        // Never the host's buses: a test that wants one starts its own (MessageBus).
        inherited["DBUS_SYSTEM_BUS_ADDRESS"] = "unix:path=\(directory.path)/no-system-bus"
        inherited["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=\(directory.path)/no-session-bus"
        inherited["XDG_SESSION_ID"] = nil
        child = try ChildProcess(
            executable.path, arguments, environment: inherited.merging(environment) { $1 }, stdout: .file(logPath),
            stderr: .standardOutput)
        pid = child.pid
    }

    deinit {
        if isRunning {
            child.signal(SIGTERM)
            if !waitForExit(within: .seconds(5)) {
                child.signal(SIGKILL)
                _ = waitForExit(within: .seconds(10))
            }
        }
    }

    /// Polls `connect` until the socket accepts; fails early if the daemon exits.
    func waitUntilAccepting(within timeout: Duration = .seconds(20)) throws {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while true {
            if (try? TestConnection(path: socket)) != nil { return }
            if let status = terminationStatus {
                throw TestFailure("limberd exited with status \(status) before accepting on \(socket)", log: log)
            }
            guard ContinuousClock.now < deadline else {
                throw TestFailure("limberd did not accept on \(socket) within \(timeout)", log: log)
            }
            usleep(10_000)
        }
    }

    /// A new connection to the daemon's socket.
    func connect() throws -> TestConnection {
        let logPath = self.logPath
        return try TestConnection(path: socket) { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
    }

    /// Sends `signal` and waits for the daemon to exit; returns its exit status.
    @discardableResult
    func signal(_ signal: Int32, within timeout: Duration = .seconds(10)) throws -> Int32 {
        child.signal(signal)
        guard waitForExit(within: timeout), let status = terminationStatus else {
            child.signal(SIGKILL)
            _ = waitForExit(within: .seconds(10))
            throw TestFailure("limberd did not exit within \(timeout) of signal \(signal)", log: log)
        }
        return status
    }

    /// Waits for the process to exit on its own (a daemon refusing to start).
    func waitForExit(within timeout: Duration) -> Bool {
        child.wait(within: timeout) != nil
    }
}

/// Scripts with sub-second steps, so that a whole session plays in about two seconds.
enum TestScripts {
    /// 300 + 200 + 1200 + 300 ms: steps, a rest, a halfway cue and a countdown tick.
    static let quick = """
        name: Quick
        kind: exercise
        description: Sub-second steps for the end-to-end tests.
        steps:
          - do: One
            for: 300ms
          - rest: 200ms
          - do: Hold it
            for: 1200ms
            halfway: true
            countdown: 1
          - do: Two
            for: 300ms

        """

    /// A 1 s step then a short one: room to pause in the first.
    static let hold = """
        name: Hold
        kind: exercise
        description: One long step to pause in.
        steps:
          - do: Hold still
            for: 1s
          - do: Let go
            for: 300ms

        """

    /// Three 60 s steps: nothing happens on its own during a test.
    static let steady = """
        name: Steady
        kind: exercise
        description: Long steps that only commands move.
        steps:
          - do: Alpha
            for: 60s
          - do: Bravo
            for: 60s
          - do: Charlie
            for: 60s

        """

    static let all = ["quick": quick, "hold": hold, "steady": steady]
}
