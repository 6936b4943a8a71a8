import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A listening Unix socket in a fresh temporary directory, standing in for limberd.
///
/// A client's `connect` completes from the listen backlog, so a test can connect, accept,
/// queue the daemon's reply and only then let the client call: one thread, no sleeps.
final class ListeningSocket {
    let directory: String
    let path: String
    private let fd: Int32

    init() throws {
        var template = Array("/tmp/lproto.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw PeerError("mkdtemp: \(String(cString: strerror(errno)))") }
        directory = String(cString: made)
        let path = directory + "/s.sock"
        self.path = path
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw PeerError("socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8)
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(fd, 4) == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw PeerError("bind/listen \(path): \(message)")
        }
        self.fd = fd
    }

    deinit {
        close(fd)
        unlink(path)
        rmdir(directory)
    }

    /// The next connection from the backlog.
    func accept() throws -> Peer {
        let peer = Glibc.accept(fd, nil, nil)
        guard peer >= 0 else { throw PeerError("accept: \(String(cString: strerror(errno)))") }
        return Peer(fd: peer)
    }
}

/// The daemon's end of one connection.
final class Peer {
    private let fd: Int32
    private var buffer: [UInt8] = []

    init(fd: Int32) {
        self.fd = fd
    }

    deinit {
        close(fd)
    }

    /// Writes `text` in one `write`, so a test controls where the bytes are split.
    func write(_ text: String) {
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        precondition(written == bytes.count, "short write to the client")
    }

    /// The next line the client sent, without its newline; nil at end of stream.
    func readLine() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                defer { buffer.removeSubrange(...newline) }
                return String(decoding: buffer[..<newline], as: UTF8.self)
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { return nil }
            buffer.append(contentsOf: chunk[..<count])
        }
    }

    /// Hangs up the connection (the client then reads end of stream).
    func shutDown() {
        shutdown(fd, Int32(SHUT_RDWR))
    }
}

struct PeerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
