import Foundation
import LimberCore
import LimberProtocol
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// limberd as systemd runs it: sd_notify to a test-owned NOTIFY_SOCKET, and socket
/// activation through `systemd-socket-activate`.
@Suite(.timeLimit(.minutes(1)))
struct SystemdIntegrationTests {
    static let socketActivate = "/usr/bin/systemd-socket-activate"

    @Test func notifySocketGetsReadyOnlyOnceTheSocketAcceptsThenStatusAndStopping() throws {
        let directory = try TestDirectory()
        let notify = try NotifyReceiver(path: directory.path + "/n")
        let daemon = try DaemonProcess(launching: directory, environment: ["NOTIFY_SOCKET": notify.path])

        let ready = try notify.receive(until: { $0.contains("READY=1") }, within: .seconds(20))
        // No retry: READY=1 promises that the control socket already accepts.
        let client = try daemon.connect()
        #expect(try client.call("hello", as: HelloResult.self).pid == daemon.pid)
        let readyFields = ready.first { $0.contains("READY=1") }?.split(separator: "\n").map(String.init) ?? []
        #expect(readyFields.contains { $0.hasPrefix("STATUS=") && $0.count > "STATUS=".count }, "\(ready)")
        #expect(ready.allSatisfy { !$0.contains("STOPPING=1") })

        #expect(try daemon.signal(SIGTERM) == 0, "\(daemon.log)")
        let after = notify.receiveQueued()
        #expect(after.contains { $0.split(separator: "\n").contains("STOPPING=1") }, "\(after)")
    }

    @Test
    func statusLinesFollowTheRunningSession() throws {
        let directory = try TestDirectory()
        let notify = try NotifyReceiver(path: directory.path + "/n")
        let daemon = try DaemonProcess(in: directory, environment: ["NOTIFY_SOCKET": notify.path])
        _ = try notify.receive(until: { $0.contains("READY=1") }, within: .seconds(5))
        _ = try daemon.connect().call("start", args: ["id": .string("steady")])
        // Issue 6: STATUS= says what the daemon is doing, e.g. "running box-breathing 2/16".
        let running = try notify.receive(until: { $0.contains("STATUS=") && $0.contains("steady") }, within: .seconds(5))
        #expect(!running.isEmpty)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: socketActivate), "systemd-socket-activate is not installed"))
    func theFirstConnectionStartsASocketActivatedDaemonAndTheSocketOutlivesIt() throws {
        let directory = try TestDirectory()
        let notify = try NotifyReceiver(path: directory.path + "/n")
        let activator = try DaemonProcess(
            launching: directory, executable: URL(fileURLWithPath: Self.socketActivate),
            arguments: [
                "-l", directory.socket, "--fdname=control", "-E", "NOTIFY_SOCKET=\(notify.path)",
                limberdBinary().path, "--socket", directory.socket, "--state-dir", directory.state,
                "--sessions", directory.sessions, "--device", "null",
            ],
            standardArguments: false)
        // systemd-socket-activate binds the socket itself before waiting for a connection.
        let deadline = ContinuousClock.now.advanced(by: .seconds(20))
        while !FileManager.default.fileExists(atPath: directory.socket) {
            guard ContinuousClock.now < deadline, activator.isRunning else {
                throw TestFailure("systemd-socket-activate never created \(directory.socket)", log: activator.log)
            }
            usleep(10_000)
        }
        #expect(notify.receiveQueued().isEmpty, "limberd must not run before the first connection")

        let status = try run(limberBinary(), ["status", "--socket", directory.socket])
        #expect(status.status == 0, "\(status.stderr)\n\(activator.log)")
        #expect(status.stdout.hasPrefix("idle:"), "\(status.stdout)")
        let ready = try notify.receive(until: { $0.contains("READY=1") }, within: .seconds(5))
        #expect(!ready.isEmpty)
        let client = try TestConnection(path: directory.socket)
        // systemd-socket-activate execs limberd in its own process, as systemd would start it.
        #expect(try client.call("hello", as: HelloResult.self).pid == activator.pid)
        #expect(activator.log.contains("listening on the socket systemd passed"), "\(activator.log)")

        #expect(try activator.signal(SIGTERM) == 0, "\(activator.log)")
        #expect(FileManager.default.fileExists(atPath: directory.socket), "limberd removed a socket it did not create")
    }

    /// Issue 16: a unit environment without XDG_RUNTIME_DIR and no --socket flag. The daemon
    /// takes its socket's path (and its lock file's place) from the socket it was handed.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: socketActivate), "systemd-socket-activate is not installed"))
    func aSocketActivatedDaemonWithoutXDGRuntimeDirUsesTheSocketItWasHanded() throws {
        let directory = try TestDirectory()
        let activator = try DaemonProcess(
            launching: directory, executable: URL(fileURLWithPath: Self.socketActivate),
            arguments: [
                "-l", directory.socket, "--fdname=control",
                // env execs limberd in the same process, so LISTEN_PID still names it.
                "/usr/bin/env", "-u", "XDG_RUNTIME_DIR", "-u", "LIMBER_SOCKET", limberdBinary().path,
                "--state-dir", directory.state, "--sessions", directory.sessions, "--device", "null",
            ],
            standardArguments: false)
        try eventually(within: .seconds(20), "systemd-socket-activate to create \(directory.socket)", log: { activator.log }) {
            FileManager.default.fileExists(atPath: directory.socket)
        }
        let status = try run(limberBinary(), ["status", "--socket", directory.socket], environment: ["XDG_RUNTIME_DIR": ""])
        #expect(status.status == 0, "\(status.stderr)\n\(activator.log)")
        #expect(status.stdout.hasPrefix("idle:"), "\(status.stdout)")
        #expect(try TestConnection(path: directory.socket).call("hello", as: HelloResult.self).pid == activator.pid)
        #expect(FileManager.default.fileExists(atPath: directory.socket + ".lock"), "the instance lock belongs next to the inherited socket")
        #expect(!activator.log.contains("XDG_RUNTIME_DIR is not set"), "\(activator.log)")
        #expect(try activator.signal(SIGTERM) == 0, "\(activator.log)")
    }
}

/// A test-owned `NOTIFY_SOCKET`: an AF_UNIX datagram socket bound at `path`.
final class NotifyReceiver {
    let path: String
    private let fd: Int32

    init(path: String) throws {
        self.path = path
        // Assigned last, so a throw never runs deinit on it (see TestConnection).
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: \(String(cString: strerror(errno)))") }
        guard withUnixAddress(path, { bind(fd, $0, $1) }) == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw TestFailure("bind \(path): \(message)")
        }
        self.fd = fd
    }

    deinit {
        close(fd)
        unlink(path)
    }

    /// Datagrams as they arrive, until one satisfies `done` (included), within `timeout`.
    func receive(until done: (String) -> Bool, within timeout: Duration) throws -> [String] {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var messages: [String] = []
        while true {
            messages += receiveQueued()
            if messages.contains(where: done) { return messages }
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else {
                throw TestFailure("no matching sd_notify datagram within \(timeout); got \(messages)")
            }
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            _ = poll(&descriptor, 1, Int32(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1))
        }
    }

    /// Every datagram queued so far, in order, without waiting.
    func receiveQueued() -> [String] {
        var messages: [String] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            guard count >= 0 else { return messages }
            messages.append(String(decoding: buffer[0..<count], as: UTF8.self))
        }
    }
}
