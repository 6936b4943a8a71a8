import Foundation
import LimberCore
import LimberProtocol

#if canImport(Glibc)
import Glibc
#endif

/// Why a test's conversation with limberd went wrong, with the daemon's log attached.
struct TestFailure: Error, CustomStringConvertible {
    var description: String

    init(_ message: String, log: String? = nil) {
        description = message + (log.map { "\n--- limberd log ---\n\($0)" } ?? "")
    }
}

/// A test-owned connection to limberd's control socket that sends whatever bytes a test
/// likes (valid or not) and reads reply lines with a deadline, so a daemon that stops
/// answering fails the test instead of hanging it.
final class TestConnection {
    /// What waiting for a line produced.
    enum Read: Equatable {
        case line(String)
        /// The daemon closed the connection (end of stream or reset).
        case closed
        case timedOut
    }

    let path: String
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var nextID = 1
    private let log: () -> String

    /// Connects, or throws `TestFailure` naming errno (ECONNREFUSED, ENOENT...).
    init(path: String, log: @escaping () -> String = { "" }) throws {
        self.path = path
        self.log = log
        // `fd` is assigned last: once every property is set, a throw runs deinit, which
        // would close the descriptor a second time (and maybe another test's socket).
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: \(String(cString: strerror(errno)))") }
        let result = withUnixAddress(path) { connect(fd, $0, $1) }
        guard result == 0 else {
            let code = errno
            Glibc.close(fd)
            throw ConnectFailure(errno: code, path: path)
        }
        self.fd = fd
    }

    deinit {
        Glibc.close(fd)
    }

    /// Sends raw bytes; never raises SIGPIPE. Returns false when the daemon already hung up.
    @discardableResult
    func send(_ text: String) throws -> Bool {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE || errno == ECONNRESET { return false }
                throw TestFailure("send: \(String(cString: strerror(errno)))", log: log())
            }
            offset += written
        }
        return true
    }

    /// The next line (without its newline), waiting at most `timeout`.
    func readLine(within timeout: Duration = .seconds(5)) throws -> Read {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return .line(line)
            }
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { return .timedOut }
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(max(1, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)))
            if ready < 0 {
                if errno == EINTR { continue }
                throw TestFailure("poll: \(String(cString: strerror(errno)))")
            }
            if ready == 0 { return .timedOut }
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                if errno == ECONNRESET { return .closed }
                throw TestFailure("read: \(String(cString: strerror(errno)))")
            }
            if count == 0 { return .closed }
            buffer.append(contentsOf: chunk[..<count])
        }
    }

    /// The next line, or a `TestFailure` saying it never came.
    func expectLine(within timeout: Duration = .seconds(5), _ what: String = "a reply") throws -> String {
        switch try readLine(within: timeout) {
        case .line(let line): return line
        case .closed: throw TestFailure("limberd closed the connection instead of sending \(what)", log: log())
        case .timedOut: throw TestFailure("no \(what) from limberd within \(timeout)", log: log())
        }
    }

    /// Sends one request and decodes the reply, whatever `ok` says.
    func request<Result: Codable & Sendable>(
        _ cmd: String, args: [String: JSONValue]? = nil, as type: Result.Type = Empty.self,
        within timeout: Duration = .seconds(5)
    ) throws -> ControlReply<Result> {
        let id = JSONValue.number(Double(nextID))
        nextID += 1
        let line = String(decoding: ControlCodec.line(ControlRequest(id: id, cmd: cmd, args: args)), as: UTF8.self)
        try send(line)
        let reply = try expectLine(within: timeout, "the reply to \(cmd)")
        let decoded: ControlReply<Result>
        do {
            decoded = try ControlCodec.decoder().decode(ControlReply<Result>.self, from: Data(reply.utf8))
        } catch {
            throw TestFailure("cannot decode the reply to \(cmd) (\(error)): \(reply)", log: log())
        }
        guard decoded.id == id else { throw TestFailure("reply to \(cmd) has id \(String(describing: decoded.id)), not \(id): \(reply)") }
        return decoded
    }

    /// Sends one request and returns its result; a refusal is a `TestFailure`.
    func call<Result: Codable & Sendable>(
        _ cmd: String, args: [String: JSONValue]? = nil, as type: Result.Type = StatusResult.self,
        within timeout: Duration = .seconds(5)
    ) throws -> Result {
        let reply = try request(cmd, args: args, as: type, within: timeout)
        guard reply.ok, let result = reply.result else {
            throw TestFailure("limberd refused \(cmd): \(String(describing: reply.error))", log: log())
        }
        return result
    }

    /// Sends one request that must be refused, and returns the error.
    func refusal(_ cmd: String, args: [String: JSONValue]? = nil) throws -> ControlError {
        let reply = try request(cmd, args: args, as: JSONValue.self)
        guard !reply.ok, let error = reply.error else {
            throw TestFailure("limberd accepted \(cmd) \(String(describing: args)), expected a refusal", log: log())
        }
        return error
    }

    /// Parses a line that carries no id of ours (an error sent before any request).
    func expectError(within timeout: Duration = .seconds(5)) throws -> ControlError {
        let line = try expectLine(within: timeout, "an error")
        guard let reply = try? ControlCodec.decoder().decode(ControlReply<JSONValue>.self, from: Data(line.utf8)),
            !reply.ok, let error = reply.error
        else { throw TestFailure("expected an error reply, got: \(line)", log: log()) }
        return error
    }

    /// Turns this connection into an event stream; returns the status it starts with.
    func watch() throws -> StatusResult {
        try call("watch", as: WatchResult.self).status
    }

    /// The next event of a watch stream.
    func nextEvent(within timeout: Duration = .seconds(5)) throws -> ControlEvent {
        let line = try expectLine(within: timeout, "an event")
        do {
            return try ControlCodec.decoder().decode(ControlEvent.self, from: Data(line.utf8))
        } catch {
            throw TestFailure("not an event (\(error)): \(line)", log: log())
        }
    }

    /// Events until one matches `stop` (included), within `timeout` overall.
    func events(until stop: (ControlEvent) -> Bool, within timeout: Duration = .seconds(5)) throws -> [ControlEvent] {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var events: [ControlEvent] = []
        while true {
            let event = try nextEvent(within: max(.milliseconds(1), ContinuousClock.now.duration(to: deadline)))
            events.append(event)
            if stop(event) { return events }
        }
    }
}

/// `connect` failed; `errno` tells "nothing listens" (ECONNREFUSED, ENOENT) from the rest.
struct ConnectFailure: Error, CustomStringConvertible {
    var errno: Int32
    var path: String
    var description: String { "connect \(path): \(String(cString: strerror(errno)))" }
}

/// Calls `body` with `path` as a `sockaddr_un`.
func withUnixAddress<T>(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let bytes = Array(path.utf8)
    precondition(bytes.count < MemoryLayout.size(ofValue: address.sun_path), "socket path too long: \(path)")
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
        raw.copyBytes(from: bytes)
        raw[bytes.count] = 0
    }
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
}
