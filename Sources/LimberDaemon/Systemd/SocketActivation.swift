#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The listening socket systemd passed to this process.
public struct ActivatedSocket: Sendable, Hashable {
    /// The inherited file descriptor, already bound and listening.
    public var descriptor: Int32
    /// Its `FileDescriptorName=`, when systemd sent names.
    public var name: String?
}

/// A socket-activation environment that names descriptors this process cannot use.
public struct SocketActivationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, stable for tests and callers.
    public enum Code: String, Sendable, Hashable {
        case invalidListenPID
        case invalidListenFDs
        case namesDoNotMatchCount
        case noControlSocket
        case notAListeningStreamSocket
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

/// Adoption of a listening socket passed by systemd (`sd_listen_fds` without libsystemd).
///
/// systemd passes sockets as descriptors 3, 4, … and describes them with `LISTEN_PID` (the
/// process they are meant for), `LISTEN_FDS` (how many) and `LISTEN_FDNAMES` (colon-separated
/// `FileDescriptorName=` values).
public enum SocketActivation {
    /// The first passed descriptor (`SD_LISTEN_FDS_START`).
    public static let firstDescriptor: Int32 = 3
    /// The `FileDescriptorName=` of limberd's control socket in `limberd.socket`.
    public static let controlSocketName = "control"
    /// The variables systemd sets; removed after adoption so children do not inherit them.
    public static let environmentKeys = ["LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"]

    /// Picks the socket named `name` from a socket-activation environment.
    ///
    /// - Returns: nil when the environment does not pass sockets to `pid` (no `LISTEN_PID`, a
    ///   `LISTEN_PID` of another process, no `LISTEN_FDS` or zero of them): the caller then
    ///   binds its own socket.
    /// - Throws: ``SocketActivationError`` when the variables are malformed, the names do not
    ///   match the count, or several sockets are passed and none is named `name`.
    public static func select(
        environment: [String: String],
        pid: Int32,
        name: String = controlSocketName
    ) throws(SocketActivationError) -> ActivatedSocket? {
        guard let pidText = environment["LISTEN_PID"] else { return nil }
        guard let listenPID = Int32(pidText), listenPID > 0 else {
            throw SocketActivationError(.invalidListenPID, "LISTEN_PID=\(pidText) is not a process id")
        }
        guard listenPID == pid else { return nil }

        guard let countText = environment["LISTEN_FDS"] else { return nil }
        guard let count = Int32(countText), count >= 0, count <= Int32.max - firstDescriptor else {
            throw SocketActivationError(.invalidListenFDs, "LISTEN_FDS=\(countText) is not a descriptor count")
        }
        guard count > 0 else { return nil }

        guard let namesText = environment["LISTEN_FDNAMES"] else {
            return ActivatedSocket(descriptor: firstDescriptor, name: nil)
        }
        let names = namesText.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard names.count == count else {
            throw SocketActivationError(
                .namesDoNotMatchCount,
                "LISTEN_FDNAMES=\(namesText) names \(names.count) sockets but LISTEN_FDS=\(count)"
            )
        }
        if let index = names.firstIndex(of: name) {
            return ActivatedSocket(descriptor: firstDescriptor + Int32(index), name: name)
        }
        // A single socket is unambiguous even when a unit forgot FileDescriptorName= (systemd
        // then names it after the unit, e.g. "limberd.socket").
        guard count == 1 else {
            throw SocketActivationError(
                .noControlSocket,
                "none of the \(count) sockets passed by systemd is named \"\(name)\" (LISTEN_FDNAMES=\(namesText)); "
                    + "set FileDescriptorName=\(name) in limberd.socket"
            )
        }
        return ActivatedSocket(descriptor: firstDescriptor, name: names[0])
    }

    /// Adopts the control socket passed by systemd, if any.
    ///
    /// Reads `LISTEN_PID`, `LISTEN_FDS` and `LISTEN_FDNAMES`, then always removes them (as
    /// `sd_listen_fds(1)` does) so that hook processes do not believe sockets were passed to
    /// them. See ``adopt(environment:pid:name:)`` for what happens to the descriptors.
    ///
    /// Call once at startup, before other threads read the environment.
    /// - Returns: nil when the process was not socket-activated.
    public static func adoptFromEnvironment(name: String = controlSocketName) throws(SocketActivationError) -> ActivatedSocket? {
        var environment: [String: String] = [:]
        for key in environmentKeys {
            if let value = getenv(key) {
                environment[key] = String(cString: value)
            }
        }
        defer {
            for key in environmentKeys {
                unsetenv(key)
            }
        }
        return try adopt(environment: environment, pid: getpid(), name: name)
    }

    /// Selects the socket named `name` and prepares the passed descriptors for use.
    ///
    /// Marks every passed descriptor close-on-exec so none leaks into hook processes, and
    /// checks that the chosen one is a listening stream socket.
    public static func adopt(
        environment: [String: String],
        pid: Int32,
        name: String = controlSocketName
    ) throws(SocketActivationError) -> ActivatedSocket? {
        guard let socket = try select(environment: environment, pid: pid, name: name) else {
            return nil
        }
        if let countText = environment["LISTEN_FDS"], let count = Int32(countText) {
            for descriptor in firstDescriptor..<(firstDescriptor + count) {
                setCloseOnExec(descriptor)
            }
        }
        try checkListeningStreamSocket(socket.descriptor)
        return socket
    }

    /// The file system path a Unix socket is bound to (`getsockname`), or nil for another
    /// family, an abstract or an unnamed socket.
    ///
    /// A socket-activated limberd learns where its socket lives from the socket itself, so it
    /// needs no `XDG_RUNTIME_DIR` to find it (systemd user units may run without one).
    public static func boundPath(_ descriptor: Int32) -> String? {
        var address = sockaddr_un()
        var length = socklen_t(MemoryLayout<sockaddr_un>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard result == 0, address.sun_family == sa_family_t(AF_UNIX) else { return nil }
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path) ?? 2
        let pathLength = Int(length) - pathOffset
        guard pathLength > 0 else { return nil }
        return withUnsafeBytes(of: &address.sun_path) { raw in
            let bytes = raw.prefix(min(pathLength, raw.count))
            // An abstract socket's name starts with a NUL byte and has no file.
            guard let first = bytes.first, first != 0 else { return nil }
            let name = bytes.prefix { $0 != 0 }
            return String(decoding: name, as: UTF8.self)
        }
    }

    /// Sets `FD_CLOEXEC`, keeping the other descriptor flags.
    static func setCloseOnExec(_ descriptor: Int32) {
        let flags = fcntl(descriptor, F_GETFD)
        if flags >= 0, flags & FD_CLOEXEC == 0 {
            _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC)
        }
    }

    /// Throws unless `descriptor` is a stream socket in the listening state.
    public static func checkListeningStreamSocket(_ descriptor: Int32) throws(SocketActivationError) {
        var type: Int32 = 0
        var listening: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        let typeResult = getsockopt(descriptor, SOL_SOCKET, SO_TYPE, &type, &length)
        length = socklen_t(MemoryLayout<Int32>.size)
        let listeningResult = getsockopt(descriptor, SOL_SOCKET, SO_ACCEPTCONN, &listening, &length)
        guard typeResult == 0, listeningResult == 0, type == Int32(SOCK_STREAM.rawValue), listening != 0 else {
            throw SocketActivationError(
                .notAListeningStreamSocket,
                "descriptor \(descriptor) passed by systemd is not a listening stream socket; "
                    + "check ListenStream= in limberd.socket"
            )
        }
    }
}
