import Foundation
import LimberCore
import LimberProtocol
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Misbehaving clients against the real limberd, each while a session runs: every one gets
/// a structured error (or is dropped), and the session keeps running for everyone else.
@Suite(.timeLimit(.minutes(1)))
struct HostileInputTests {
    /// A daemon running the 3-minute `steady` session, and the connection that started it.
    static func daemonWithRunningSession(arguments: [String] = []) throws -> (DaemonProcess, TestConnection) {
        let daemon = try DaemonProcess(arguments: arguments)
        let control = try daemon.connect()
        _ = try control.call("start", args: ["id": .string("steady")])
        return (daemon, control)
    }

    /// The daemon still answers `connection` and the session still runs.
    static func expectStillServing(_ daemon: DaemonProcess, on connection: TestConnection) throws {
        let status = try connection.call("status")
        #expect(status.state == .running, "daemon log:\n\(daemon.log)")
        #expect(status.session?.id == "steady")
    }

    @Test func malformedRequestsGetStructuredErrorsAndTheConnectionGoesOn() throws {
        let (daemon, control) = try Self.daemonWithRunningSession()
        let client = try daemon.connect()
        let cases: [(line: String, code: ControlError.Code, id: JSONValue)] = [
            (#"{"id":1,"cmd":"status""#, .badJSON, .null),
            ("hello there", .badJSON, .null),
            (#"[1,2]"#, .badRequest, .null),
            (#"{"id":2}"#, .badRequest, .number(2)),
            (#"{"id":3,"cmd":42}"#, .badRequest, .number(3)),
            (#"{"id":4,"cmd":"frobnicate"}"#, .unknownCommand, .number(4)),
            (#"{"id":"five","cmd":"start","args":{"id":5}}"#, .badArgs, .string("five")),
            (#"{"id":6,"cmd":"start","args":{"id":"quick","replace":"yes"}}"#, .badArgs, .number(6)),
            (#"{"id":7,"cmd":"status","args":[1]}"#, .badArgs, .number(7)),
            (#"{"id":8,"cmd":"sound-test","args":{"cues":"tick"}}"#, .badArgs, .number(8)),
            (#"{"id":9,"cmd":"start","args":{"id":"no-such-session","replace":true}}"#, .unknownSession, .number(9)),
        ]
        for (line, code, id) in cases {
            try client.send(line + "\n")
            let reply = try client.expectLine(within: .seconds(5), "the reply to \(line)")
            let decoded = try ControlCodec.decoder().decode(ControlReply<JSONValue>.self, from: Data(reply.utf8))
            #expect(!decoded.ok, "\(line) → \(reply)")
            #expect(decoded.error?.code == code, "\(line) → \(reply)")
            #expect(decoded.error?.message.isEmpty == false)
            #expect((decoded.id ?? .null) == id, "\(line) → \(reply)")
            // The same connection still serves well-formed requests.
            #expect(try client.call("hello", as: HelloResult.self).protocolVersion == controlProtocolVersion)
        }
        try Self.expectStillServing(daemon, on: client)
        try Self.expectStillServing(daemon, on: control)
    }

    @Test func aLineOverSixtyFourKiBIsRefusedAndTheConnectionClosed() throws {
        let (daemon, control) = try Self.daemonWithRunningSession()
        let client = try daemon.connect()
        #expect(try client.call("hello", as: HelloResult.self).pid == daemon.pid)
        let huge = #"{"id":1,"cmd":"status","args":{"pad":""# + String(repeating: "x", count: 70 * 1024) + "\"}}\n"
        try client.send(huge)
        let error = try client.expectError()
        #expect(error.code == .lineTooLong)
        #expect(try client.readLine(within: .seconds(5)) == .closed)
        // Exactly at the limit is still a request (64 KiB of JSON, whitespace-padded).
        let fits = try daemon.connect()
        let request = #"{"id":1,"cmd":"hello"}"#
        try fits.send(request + String(repeating: " ", count: 64 * 1024 - request.utf8.count) + "\n")
        #expect(try fits.expectLine().contains(#""ok":true"#))
        try Self.expectStillServing(daemon, on: control)
    }

    @Test func theSixtyFifthClientIsRefusedNotLeftHanging() throws {
        let (daemon, control) = try Self.daemonWithRunningSession()
        // `control` is the first of 64 clients, every one of them answered.
        #expect(try control.call("hello", as: HelloResult.self).pid == daemon.pid)
        var clients = [control]
        for _ in 1..<64 {
            let client = try daemon.connect()
            #expect(try client.call("hello", as: HelloResult.self).pid == daemon.pid)
            clients.append(client)
        }
        let extra = try daemon.connect()
        let error = try extra.expectError()
        #expect(error.code == .tooManyClients)
        #expect(try extra.readLine() == .closed)
        // The 64 are all still served.
        for client in clients {
            #expect(try client.call("hello", as: HelloResult.self).pid == daemon.pid)
        }
        try Self.expectStillServing(daemon, on: control)
    }

    @Test func aSilentConnectionIsClosedAfterTheIdleTimeoutButAWatcherStays() throws {
        let (daemon, control) = try Self.daemonWithRunningSession(arguments: ["--idle-timeout", "1"])
        let watcher = try daemon.connect()
        #expect(try watcher.watch().state == .running)
        let silent = try daemon.connect()
        let opened = ContinuousClock.now
        let error = try silent.expectError(within: .seconds(10))
        #expect(error.code == .idleTimeout)
        #expect(try silent.readLine() == .closed)
        #expect(opened.duration(to: .now) >= .milliseconds(900))
        // `control` went quiet too; the watcher, quiet as long, is still there and fed.
        #expect(try control.expectError().code == .idleTimeout)
        let fresh = try daemon.connect()
        #expect(try fresh.call("next").session?.step == 1)
        let step = try #require(try watcher.events { $0.event == .step && $0.step != 0 }.last)
        #expect(step.step == 1)
        try Self.expectStillServing(daemon, on: fresh)
    }

    @Test func aWatcherThatNeverReadsBlocksNeitherRepliesNorOtherWatchers() throws {
        let (daemon, control) = try Self.daemonWithRunningSession()
        let stalled = try daemon.connect()
        try stalled.send(#"{"id":1,"cmd":"watch"}"# + "\n")
        let drained = EventCounter(socket: daemon.socket)
        try drained.start()

        // Thousands of events: every replace stops one session and starts the next.
        let rounds = 1000
        for round in 0..<rounds {
            let id = round.isMultiple(of: 2) ? "quick" : "steady"
            let status = try control.call("start", args: ["id": .string(id), "replace": .bool(true)])
            #expect(status.session?.id == id)
            if round.isMultiple(of: 50) {
                #expect(try control.call("status").state == .running)
            }
        }
        _ = try control.call("stop")
        let counts = try drained.waitForStop(within: .seconds(30))
        #expect(counts.started == rounds, "the reading watcher saw \(counts.started) of \(rounds) starts")
        // Each round replaced the session before it (the first, `steady`), then one stop.
        #expect(counts.stopped == rounds + 1)

        // The stalled watcher was dropped: what it was sent ends, then the connection is closed.
        var closed = false
        while !closed {
            switch try stalled.readLine(within: .seconds(5)) {
            case .line: continue
            case .closed: closed = true
            case .timedOut:
                Issue.record("the stalled watcher was never dropped\n\(daemon.log)")
                return
            }
        }
        #expect(daemon.log.contains("dropping a watch client that stopped reading"))
        _ = try control.call("start", args: ["id": .string("steady")])
        try Self.expectStillServing(daemon, on: control)
    }

    @Test(.enabled(if: getuid() == 0, "needs root to run a client as nobody (uid 65534)"))
    func anotherUserIsForbidden() throws {
        let (daemon, control) = try Self.daemonWithRunningSession()
        chmod(daemon.directory.path, 0o755)
        chmod(daemon.socket, 0o666)
        let script = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(sys.argv[1])
            # limberd refuses another user as soon as it connects, before any request.
            s.settimeout(5)
            data = b''
            while not data.endswith(b'\\n'):
                chunk = s.recv(4096)
                if not chunk: break
                data += chunk
            sys.stdout.write(data.decode())
            """
        let result = try run(
            URL(fileURLWithPath: "/usr/bin/setpriv"),
            ["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c", script, daemon.socket])
        #expect(result.status == 0, "\(result.stderr)")
        let reply = try ControlCodec.decoder().decode(ControlReply<JSONValue>.self, from: Data(result.stdout.utf8))
        #expect(!reply.ok)
        #expect(reply.error?.code == .forbidden, "\(result.stdout)")
        try Self.expectStillServing(daemon, on: control)
    }
}

/// A watcher on its own thread (a drained watcher must keep up by itself), counting
/// session starts and stops until the `stop` with reason `user` that ends a test's run.
final class EventCounter: Sendable {
    struct Counts: Sendable {
        var started = 0
        var stopped = 0
        var failure: String?
    }

    private let socket: String
    private let state = Mutex(Counts())
    private let watching = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init(socket: String) {
        self.socket = socket
    }

    /// Connects and starts watching; returns once the daemon has confirmed the watch.
    func start() throws {
        let thread = Thread { [self] in
            defer { finished.signal() }
            do {
                let connection = try TestConnection(path: socket)
                _ = try connection.watch()
                watching.signal()
                while true {
                    let event = try connection.nextEvent(within: .seconds(20))
                    let done = state.withLock { counts -> Bool in
                        switch event.event {
                        case .sessionStarted: counts.started += 1
                        case .sessionStopped: counts.stopped += 1
                        default: break
                        }
                        return event.event == .sessionStopped && event.reason == "user"
                    }
                    if done { return }
                }
            } catch {
                state.withLock { $0.failure = "\(error)" }
                watching.signal()
            }
        }
        thread.start()
        guard watching.wait(timeout: .now() + .seconds(10)) == .success else {
            throw TestFailure("the reading watcher could not start watching")
        }
        if let failure = state.withLock({ $0.failure }) { throw TestFailure("the reading watcher failed: \(failure)") }
    }

    /// Waits for the `stop` that ends the run, then returns what was counted.
    func waitForStop(within timeout: Duration) throws -> Counts {
        guard finished.wait(timeout: .now() + .seconds(Int(timeout.components.seconds))) == .success else {
            throw TestFailure("the reading watcher never saw the final stop")
        }
        let counts = state.withLock { $0 }
        if let failure = counts.failure { throw TestFailure("the reading watcher failed: \(failure)") }
        return counts
    }
}
