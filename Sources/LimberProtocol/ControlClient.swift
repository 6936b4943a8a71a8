#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#endif

/// A blocking connection to limberd's control socket: one request line, one reply line.
///
/// Blocking on purpose: the CLI does one thing and exits, and a plain socket starts in
/// microseconds.
public final class ControlClient {
    public let path: String
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var nextID = 1

    /// Connects to the daemon at `path`.
    public init(path: String) throws(ClientError) {
        self.path = path
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else {
            throw ClientError(.io, "socket path is too long (\(bytes.count) bytes, the limit is \(capacity - 1)): \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ClientError(.io, "cannot create a socket: \(String(cString: strerror(errno)))") }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if result != 0 {
            let code = errno
            close(fd)
            if code == ENOENT || code == ECONNREFUSED {
                throw ClientError(
                    .notRunning,
                    "limberd is not running (nothing listens on \(path)) — start it with `systemctl --user start limberd` or `limberd &`")
            }
            throw ClientError(.io, "cannot connect to limberd at \(path): \(String(cString: strerror(code)))")
        }
        self.fd = fd
    }

    deinit {
        close(fd)
    }

    /// Sends `cmd` and decodes the reply's result as `Result`; a daemon error is thrown as `ControlError`.
    public func call<Result: Codable & Sendable>(
        _ cmd: String, args: [String: JSONValue]? = nil, as type: Result.Type = Result.self
    ) throws -> Result {
        let reply: ControlReply<Result> = try exchange(cmd, args: args)
        if let error = reply.error { throw error }
        guard let result = reply.result else {
            throw ClientError(.protocolError, "limberd's reply to \(cmd) has no result")
        }
        return result
    }

    /// Sends `cmd` and returns the raw reply line (for `--json` output).
    public func rawCall(_ cmd: String, args: [String: JSONValue]? = nil) throws -> Data {
        try send(cmd, args: args)
        guard let line = try readLine() else {
            throw ClientError(.io, "limberd closed the connection without answering \(cmd)")
        }
        return line
    }

    /// Sends a request and decodes the next line as its reply.
    public func exchange<Result: Codable & Sendable>(_ cmd: String, args: [String: JSONValue]? = nil) throws -> ControlReply<Result> {
        let line = try rawCall(cmd, args: args)
        do {
            return try ControlCodec.decoder().decode(ControlReply<Result>.self, from: line)
        } catch {
            throw ClientError(.protocolError, "limberd sent a reply limber cannot read (\(error)); are both from the same version?")
        }
    }

    /// What waiting for a line produced.
    public enum ReadOutcome: Sendable {
        case line(Data)
        case timedOut
        case closed
    }

    /// The next line, waiting at most `timeoutMilliseconds` (-1: forever).
    public func readLine(timeoutMilliseconds: Int32) throws(ClientError) -> ReadOutcome {
        if buffer.contains(0x0A) {
            return try readLine().map(ReadOutcome.line) ?? .closed
        }
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, timeoutMilliseconds)
        if ready < 0 {
            if errno == EINTR { return .timedOut }
            throw ClientError(.io, "waiting for limberd failed: \(String(cString: strerror(errno)))")
        }
        if ready == 0 { return .timedOut }
        return try readLine().map(ReadOutcome.line) ?? .closed
    }

    /// The next line from the daemon, or nil at end of stream.
    public func readLine() throws(ClientError) -> Data? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = Data(buffer[..<newline])
                buffer.removeSubrange(...newline)
                return line
            }
            var chunk = [UInt8](repeating: 0, count: 16 * 1024)
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ClientError(.io, "reading from limberd failed: \(String(cString: strerror(errno)))")
            }
            if count == 0 {
                if buffer.isEmpty { return nil }
                defer { buffer.removeAll() }
                return Data(buffer)
            }
            buffer.append(contentsOf: chunk[..<count])
        }
    }

    private func send(_ cmd: String, args: [String: JSONValue]?) throws(ClientError) {
        let request = ControlRequest(id: .number(Double(nextID)), cmd: cmd, args: args)
        nextID += 1
        let line = [UInt8](ControlCodec.line(request))
        var offset = 0
        while offset < line.count {
            let written = line[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw ClientError(.io, "sending to limberd failed: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }
}
