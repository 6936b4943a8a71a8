#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Logging

/// Tells systemd what the daemon is doing, over the `sd_notify` datagram protocol.
///
/// Implements the documented wire format (newline-separated `KEY=VALUE` assignments in one
/// `AF_UNIX` datagram to the socket named by `NOTIFY_SOCKET`) without linking libsystemd.
/// When the daemon was not started by systemd with `Type=notify`, `NOTIFY_SOCKET` is unset and
/// every call is a no-op. Failures are logged, never thrown: a service must keep running even
/// if its manager stopped listening.
public struct SystemdNotifier: Sendable {
    /// Where datagrams go; nil when notifications are disabled.
    public let address: NotifySocketAddress?
    private let logger: Logger

    /// Creates a notifier for an explicit address, or a disabled one for nil.
    public init(address: NotifySocketAddress?, logger: Logger) {
        self.address = address
        self.logger = logger
    }

    /// Creates a notifier from the process's `NOTIFY_SOCKET`.
    ///
    /// - Parameter unsettingEnvironment: Removes `NOTIFY_SOCKET` from the environment so that
    ///   hook processes do not inherit it. Call this once at startup, before other threads read
    ///   the environment.
    public init(logger: Logger, unsettingEnvironment: Bool = false) {
        let value = getenv("NOTIFY_SOCKET").map { String(cString: $0) }
        if unsettingEnvironment {
            unsetenv("NOTIFY_SOCKET")
        }
        self.init(environmentValue: value, logger: logger)
    }

    /// Creates a notifier from a `NOTIFY_SOCKET` value (nil meaning unset).
    public init(environmentValue value: String?, logger: Logger) {
        guard let value, !value.isEmpty else {
            self.init(address: nil, logger: logger)
            return
        }
        let address = NotifySocketAddress(environmentValue: value)
        if address == nil {
            logger.warning(
                "NOTIFY_SOCKET is not a path or abstract socket name; systemd notifications are off",
                metadata: ["notify-socket": "\(value)"]
            )
        }
        self.init(address: address, logger: logger)
    }

    /// Whether datagrams are sent at all.
    public var isEnabled: Bool { address != nil }

    /// Reports start-up finished: the control socket accepts and the config is loaded.
    ///
    /// Also ends a reload begun with ``reloading()``.
    @discardableResult
    public func ready(status: String? = nil) -> Bool {
        send(["READY=1"] + (status.map { [Self.statusField($0)] } ?? []))
    }

    /// Sets the one-line status shown by `systemctl --user status limberd`.
    @discardableResult
    public func status(_ text: String) -> Bool {
        send([Self.statusField(text)])
    }

    /// Reports that a configuration reload began; follow it with ``ready(status:)``.
    ///
    /// Carries `MONOTONIC_USEC` so that systemd can match the reload to the request that
    /// caused it (required by `Type=notify-reload`, harmless with `Type=notify`).
    @discardableResult
    public func reloading() -> Bool {
        send(["RELOADING=1", "MONOTONIC_USEC=\(Self.monotonicMicroseconds())"])
    }

    /// Reports that the daemon began shutting down.
    @discardableResult
    public func stopping(status: String? = nil) -> Bool {
        send(["STOPPING=1"] + (status.map { [Self.statusField($0)] } ?? []))
    }

    /// Sends `KEY=VALUE` fields as one datagram.
    ///
    /// - Returns: true when the datagram was sent; false when notifications are disabled, a
    ///   field contains a newline (which would forge further fields), or the send failed.
    @discardableResult
    public func send(_ fields: [String]) -> Bool {
        guard let address else { return false }
        guard !fields.isEmpty else { return false }
        if let bad = fields.first(where: { $0.contains("\n") || !$0.contains("=") }) {
            logger.error(
                "refusing malformed sd_notify field",
                metadata: ["field": "\(bad)"]
            )
            return false
        }
        let message = fields.joined(separator: "\n")
        let result = Self.sendDatagram(message, to: address)
        if case .failure(let failure) = result {
            logger.warning(
                "could not notify systemd",
                metadata: [
                    "notify-socket": "\(address)",
                    "step": "\(failure.step)",
                    "errno": "\(failure.errno)",
                    "reason": "\(failure.reason)",
                ]
            )
            return false
        }
        return true
    }

    /// A `STATUS=` field from free text; newlines would end the field, so they become spaces.
    static func statusField(_ text: String) -> String {
        "STATUS=" + text.replacing("\n", with: " ")
    }

    /// `CLOCK_MONOTONIC` in microseconds, the clock systemd uses for `MONOTONIC_USEC`.
    static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }

    struct SendFailure: Error {
        var step: String
        var errno: Int32
        var reason: String {
            String(cString: strerror(errno))
        }
    }

    /// One short-lived socket per message, as libsystemd does: nothing to share between threads.
    static func sendDatagram(_ message: String, to address: NotifySocketAddress) -> Result<Void, SendFailure> {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            return .failure(SendFailure(step: "socket", errno: errno))
        }
        defer { close(fd) }
        let bytes = Array(message.utf8)
        let sent = address.withSockaddr { sockaddr, length in
            bytes.withUnsafeBytes { buffer in
                sendto(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL), sockaddr, length)
            }
        }
        guard let sent else {
            return .failure(SendFailure(step: "address", errno: ENAMETOOLONG))
        }
        guard sent == bytes.count else {
            return .failure(SendFailure(step: "sendto", errno: sent < 0 ? errno : EMSGSIZE))
        }
        return .success(())
    }
}
