#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A blocking connection to limberd's control socket, in bytes: request lines out, reply and
/// event lines in. No Foundation; `ControlClient` (LimberProtocol) adds Codable on top.
///
/// Blocking on purpose: the CLI does one thing and exits, and a plain socket starts in
/// microseconds.
public final class WireConnection {
    public let path: String
    private let fd: Int32
    private var buffer: [UInt8] = []

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

    /// What waiting for a line produced.
    public enum ReadOutcome: Sendable {
        case line([UInt8])
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

    /// The next line from the daemon (without its newline), or nil at end of stream.
    public func readLine() throws(ClientError) -> [UInt8]? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = Array(buffer[..<newline])
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
                return buffer
            }
            buffer.append(contentsOf: chunk[..<count])
        }
    }

    /// Writes `line` (which ends with its newline) whole.
    public func send(_ line: [UInt8]) throws(ClientError) {
        if let code = writeWhole(fd, line) {
            throw ClientError(.io, "sending to limberd failed: \(String(cString: strerror(code)))")
        }
    }
}
