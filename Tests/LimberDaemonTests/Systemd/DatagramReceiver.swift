#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
@testable import LimberDaemon

/// A test-owned SOCK_DGRAM socket standing in for systemd's notify socket.
///
/// `AF_UNIX` datagrams are queued on the receiver before `sendto` returns, so a
/// non-blocking read right after a send sees exactly what was sent: no waiting involved.
final class DatagramReceiver {
    let address: NotifySocketAddress
    private let descriptor: Int32
    private let directory: String?

    /// Binds to `n` inside a fresh short directory under /tmp (sun_path holds 108 bytes).
    static func bindPath() throws -> DatagramReceiver {
        var template = Array("/tmp/limber-notify-XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else { throw TestSocketError("mkdtemp", errno) }
        let directory = String(cString: created)
        return try DatagramReceiver(address: .path(directory + "/n"), directory: directory)
    }

    /// Binds to a unique name in the abstract namespace.
    static func bindAbstract() throws -> DatagramReceiver {
        let name = "limber-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        return try DatagramReceiver(address: .abstract(name), directory: nil)
    }

    private init(address: NotifySocketAddress, directory: String?) throws {
        self.address = address
        self.directory = directory
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw TestSocketError("socket", errno) }
        let result = address.withSockaddr { bind(descriptor, $0, $1) }
        guard result == 0 else {
            let error = TestSocketError("bind", errno)
            close(descriptor)
            throw error
        }
    }

    deinit {
        close(descriptor)
        if case .path(let path) = address {
            unlink(path)
        }
        if let directory {
            rmdir(directory)
        }
    }

    /// Every datagram queued so far, in order.
    func receiveQueued() -> [String] {
        var messages: [String] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            guard count >= 0 else { return messages }
            messages.append(String(decoding: buffer[0..<count], as: UTF8.self))
        }
    }
}

struct TestSocketError: Error, CustomStringConvertible {
    var description: String
    init(_ step: String, _ code: Int32) {
        description = "\(step): \(String(cString: strerror(code)))"
    }
}
