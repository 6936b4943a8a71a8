import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// `count` watch connections, all drained by one thread with poll(2), so that many
/// watchers cost the benchmark one thread rather than hundreds.
final class DrainedWatchers: Sendable {
    private struct Progress {
        var running = true
        var lines = 0
    }

    private let descriptors: [Int32]
    private let progress = Mutex(Progress())
    private let done = DispatchSemaphore(value: 0)

    init(socket: String, count: Int) throws {
        var descriptors: [Int32] = []
        for _ in 0..<count {
            let fd = try connectedSocket(socket, name: "watcher \(descriptors.count)")
            let request = Array(#"{"id":1,"cmd":"watch"}"#.utf8) + [10]
            guard write(fd, request, request.count) == request.count else { throw BenchError("cannot send watch") }
            descriptors.append(fd)
        }
        self.descriptors = descriptors
        Thread { [self] in drain() }.start()
    }

    /// Event lines read across all watchers so far.
    var linesRead: Int { progress.withLock { $0.lines } }

    private func drain() {
        var polled = descriptors.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while progress.withLock({ $0.running }) {
            guard poll(&polled, nfds_t(polled.count), 100) >= 0 else { continue }
            var count = 0
            for index in polled.indices where polled[index].revents != 0 {
                let read = Glibc.read(polled[index].fd, &buffer, buffer.count)
                if read > 0 { count += buffer[0..<read].reduce(0) { $0 + ($1 == 10 ? 1 : 0) } }
            }
            progress.withLock { $0.lines += count }
        }
        done.signal()
    }

    func close() {
        progress.withLock { $0.running = false }
        done.wait()
        for fd in descriptors { Glibc.close(fd) }
    }
}

/// A stream socket connected to the Unix socket at `path`; `name` says which in an error.
func connectedSocket(_ path: String, name: String) throws -> Int32 {
    let fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw BenchError("socket: \(String(cString: strerror(errno)))") }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
        let bytes = Array(path.utf8.prefix(raw.count - 1))
        raw.copyBytes(from: bytes + [0])
    }
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    guard connected == 0 else {
        let message = String(cString: strerror(errno))
        close(fd)
        throw BenchError("connect \(name) to \(path): \(message)")
    }
    return fd
}
