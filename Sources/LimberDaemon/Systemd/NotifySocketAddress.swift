#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Where systemd listens for `sd_notify` datagrams, as given in `NOTIFY_SOCKET`.
///
/// systemd hands out either a filesystem path (`/run/user/1000/systemd/notify`) or a name in
/// the Linux abstract namespace, written with a leading `@`.
public enum NotifySocketAddress: Sendable, Hashable {
    /// A socket bound to a path in the filesystem.
    case path(String)
    /// A socket in the abstract namespace; the name excludes the leading `@`.
    case abstract(String)

    /// Bytes available in `sockaddr_un.sun_path`.
    static let maximumPathBytes = 108

    /// Parses the value of `NOTIFY_SOCKET`; returns nil for anything this notifier cannot reach.
    ///
    /// `vsock:` addresses (used for virtual machines) are not supported: limberd only ever
    /// runs under the user's own service manager.
    public init?(environmentValue value: String) {
        if value.hasPrefix("/") {
            // The path needs a terminating NUL inside sun_path.
            guard value.utf8.count < Self.maximumPathBytes, !value.utf8.contains(0) else { return nil }
            self = .path(value)
        } else if value.hasPrefix("@") {
            let name = String(value.dropFirst())
            // The abstract name follows a leading NUL and is not terminated.
            guard !name.isEmpty, name.utf8.count < Self.maximumPathBytes else { return nil }
            self = .abstract(name)
        } else {
            return nil
        }
    }

    /// Calls `body` with this address as a `sockaddr_un` and its length, for `sendto`/`bind`;
    /// returns nil without calling it when the name does not fit in `sun_path`.
    func withSockaddr<Result>(
        _ body: (UnsafePointer<sockaddr>, socklen_t) throws -> Result
    ) rethrows -> Result? {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes: [UInt8]
        switch self {
        case .path(let path):
            bytes = Array(path.utf8) + [0]
        case .abstract(let name):
            bytes = [0] + Array(name.utf8)
        }
        guard bytes.count <= MemoryLayout.size(ofValue: address.sun_path) else { return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { sunPath in
            sunPath.copyBytes(from: bytes)
        }
        // Abstract names are length-delimited, so the length must not cover trailing zeros.
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path) ?? 2
        let length = socklen_t(pathOffset + bytes.count)
        return try withUnsafePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, length) }
        }
    }
}

extension NotifySocketAddress: CustomStringConvertible {
    /// The address as it would be written in `NOTIFY_SOCKET`.
    public var description: String {
        switch self {
        case .path(let path): path
        case .abstract(let name): "@\(name)"
        }
    }
}
