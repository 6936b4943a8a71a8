import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Why the daemon could not take its place.
public struct StartupError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// One daemon per socket: an exclusive `flock` on `<socket>.lock`, held for the process's life.
///
/// The kernel drops the lock when the process dies, so a crash never leaves a stale lock;
/// a socket file left by a crash is recognised as stale because its lock is free.
public final class InstanceLock: Sendable {
    public let path: String
    private let fd: Int32

    /// Takes the lock or explains who holds it.
    public init(socketPath: String) throws(StartupError) {
        path = socketPath + ".lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StartupError("cannot create the lock file \(path): \(String(cString: strerror(errno)))")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            var holder = ""
            var bytes = [UInt8](repeating: 0, count: 32)
            let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
            if count > 0, let pid = String(decoding: bytes[..<count], as: UTF8.self).split(separator: "\n").first {
                holder = " (pid \(pid))"
            }
            close(fd)
            throw StartupError(
                "limberd is already running\(holder) on \(socketPath); talk to it with `limber status`, or stop it with `systemctl --user stop limberd` (or kill that pid) before starting another")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        self.fd = fd
    }

    deinit {
        unlink(path)
        close(fd)
    }
}
