import CSystemd
import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Which message bus a connection is to.
public enum BusKind: String, Sendable {
    /// logind (`DBUS_SYSTEM_BUS_ADDRESS`, else `/run/dbus/system_bus_socket`).
    case system
    /// The desktop: notifications (`DBUS_SESSION_BUS_ADDRESS`, else `$XDG_RUNTIME_DIR/bus`).
    case session
}

/// A failed bus operation: the errno sd-bus returned and, for a D-Bus error reply, its name.
public struct BusError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The negative errno sd-bus returned, as a positive number.
    public var code: Int32
    /// The D-Bus error name (`org.freedesktop.DBus.Error.ServiceUnknown`), when the peer replied with one.
    public var name: String?
    public var message: String
    public var description: String { name.map { "\($0): \(message)" } ?? message }

    public init(code: Int32, name: String? = nil, message: String) {
        self.code = code
        self.name = name
        self.message = message
    }

    init(_ what: String, result: Int32) {
        self.init(code: -result, message: "\(what): \(String(cString: strerror(-result)))")
    }

    init(_ what: String, error: inout sd_bus_error, result: Int32) {
        let name = error.name.map { String(cString: $0) }
        let detail = error.message.map { String(cString: $0) } ?? String(cString: strerror(-result))
        self.init(code: -result, name: name, message: "\(what): \(detail)")
        sd_bus_error_free(&error)
    }
}

/// One sd-bus connection, driven from its file descriptor by a thread of its own.
///
/// sd-bus is not thread-safe, so every use of the bus happens on that thread: ``perform(_:)``
/// queues work there, and signal handlers run there. The thread sleeps in `poll()` on the
/// bus descriptor (the events `sd_bus_get_events` asks for) and an eventfd that new work
/// writes to, with the timeout `sd_bus_get_timeout` gives: none when no call is waiting for
/// a reply. Nothing happening on the bus costs no wake-up.
public final class BusConnection: Sendable {
    /// What this connection is to, for messages: `system bus`, `session bus`, or its address.
    public let name: String
    private let bus: BusPointer
    /// Written to wake the thread for queued work or shutdown.
    private let wake: Int32
    private let work = Mutex<Work>(Work())
    private let logger: Logger

    private struct Work {
        var queue: [@Sendable (OpaquePointer) -> Void] = []
        var closing = false
        /// Signal handlers, kept alive as long as the connection.
        var handlers: [SignalHandler] = []
    }

    /// Connects to `kind`'s bus; throws when there is none (no address, nothing listening).
    ///
    /// `onDisconnect` is called (on the bus thread) if the bus goes away; not after ``close()``.
    public convenience init(_ kind: BusKind, logger: Logger, onDisconnect: @escaping @Sendable (BusError) -> Void = { _ in }) throws(BusError) {
        var raw: OpaquePointer?
        let result = kind == .system ? sd_bus_open_system(&raw) : sd_bus_open_user(&raw)
        guard result >= 0, let raw else { throw BusError("cannot connect to the \(kind.rawValue) bus", result: result) }
        try self.init(name: "\(kind.rawValue) bus", bus: raw, logger: logger, onDisconnect: onDisconnect)
    }

    /// Connects, as a client, to the bus at `address` (`unix:path=/run/...`).
    public convenience init(address: String, logger: Logger, onDisconnect: @escaping @Sendable (BusError) -> Void = { _ in }) throws(BusError) {
        var raw: OpaquePointer?
        var result = sd_bus_new(&raw)
        guard result >= 0, let raw else { throw BusError("cannot make a bus connection", result: result) }
        result = sd_bus_set_address(raw, address)
        if result >= 0 { result = sd_bus_set_bus_client(raw, 1) }
        if result >= 0 { result = sd_bus_start(raw) }
        guard result >= 0 else {
            sd_bus_flush_close_unref(raw)
            throw BusError("cannot connect to the bus at \(address)", result: result)
        }
        try self.init(name: address, bus: raw, logger: logger, onDisconnect: onDisconnect)
    }

    private init(name: String, bus raw: OpaquePointer, logger: Logger, onDisconnect: @escaping @Sendable (BusError) -> Void) throws(BusError) {
        let wake = eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK))
        guard wake >= 0 else {
            sd_bus_flush_close_unref(raw)
            throw BusError(code: errno, message: "eventfd: \(String(cString: strerror(errno)))")
        }
        self.name = name
        self.bus = BusPointer(raw: raw)
        self.wake = wake
        self.logger = logger
        let thread = Thread { [self] in
            limber_name_this_thread("limber-dbus")
            let error = self.serve()
            if let error { onDisconnect(error) }
        }
        thread.start()
    }

    deinit {
        Glibc.close(wake)
    }

    /// Runs `body` with the bus on its thread and returns what it returns.
    public func perform<T: Sendable>(_ body: @escaping @Sendable (OpaquePointer) throws(BusError) -> T) async throws(BusError) -> T {
        let result: Result<T, BusError> = await withCheckedContinuation { continuation in
            let queued = work.withLock { work -> Bool in
                guard !work.closing else { return false }
                work.queue.append { bus in
                    do throws(BusError) {
                        continuation.resume(returning: .success(try body(bus)))
                    } catch {
                        continuation.resume(returning: .failure(error))
                    }
                }
                return true
            }
            if queued {
                wakeThread()
            } else {
                continuation.resume(returning: .failure(BusError(code: ESHUTDOWN, message: "the \(name) connection is closed")))
            }
        }
        return try result.get()
    }

    /// Calls `interface.member` on `destination` at `path` and hands the reply to `read`.
    public func call<T: Sendable>(
        _ destination: String, _ path: String, _ interface: String, _ member: String, _ arguments: [BusArgument] = [],
        read: @escaping @Sendable (BusMessage) throws(BusError) -> T
    ) async throws(BusError) -> T {
        try await perform { bus throws(BusError) in
            var message: OpaquePointer?
            var result = sd_bus_message_new_method_call(bus, &message, destination, path, interface, member)
            guard result >= 0, let message else { throw BusError("\(member): cannot build the call", result: result) }
            defer { sd_bus_message_unref(message) }
            for argument in arguments { try argument.append(to: message) }
            var error = sd_bus_error(name: nil, message: nil, _need_free: 0)
            var reply: OpaquePointer?
            // Peers on these buses answer at once; a hung one must not hold the thread long.
            result = sd_bus_call(bus, message, 5_000_000, &error, &reply)
            guard result >= 0, let reply else { throw BusError("\(interface).\(member)", error: &error, result: result) }
            defer { sd_bus_message_unref(reply) }
            return try read(BusMessage(raw: reply))
        }
    }

    /// Calls `handler` on the bus thread for each matching signal, for the connection's lifetime.
    public func onSignal(
        sender: String?, path: String?, interface: String, member: String,
        _ handler: @escaping @Sendable (BusMessage) -> Void
    ) async throws(BusError) {
        let box = SignalHandler(handler)
        try await perform { [self] bus throws(BusError) in
            let result = sd_bus_match_signal(
                bus, nil, sender, path, interface, member,
                { message, userdata, _ in
                    guard let message, let userdata else { return 0 }
                    Unmanaged<SignalHandler>.fromOpaque(userdata).takeUnretainedValue().handler(BusMessage(raw: message))
                    return 0
                }, Unmanaged.passUnretained(box).toOpaque())
            guard result >= 0 else { throw BusError("cannot listen for \(interface).\(member)", result: result) }
            self.work.withLock { $0.handlers.append(box) }
        }
    }

    /// Flushes what is queued and closes the connection; later calls throw.
    public func close() {
        work.withLock { $0.closing = true }
        wakeThread()
    }

    private func wakeThread() {
        var one: UInt64 = 1
        _ = write(wake, &one, 8)
    }

    /// The thread's loop: run queued work, let sd-bus process what arrived, sleep in poll().
    /// Returns the error that ended the connection, or nil when it was closed.
    private func serve() -> BusError? {
        let bus = self.bus.raw
        // The eventfd stays open until deinit: close() may still write to it, and a number
        // closed here could by then belong to another file.
        defer { sd_bus_flush_close_unref(bus) }
        while true {
            let (jobs, closing) = work.withLock { work in
                defer { work.queue = [] }
                return (work.queue, work.closing)
            }
            for job in jobs { job(bus) }
            if closing {
                // Drop the handlers only once sd-bus can no longer call them.
                work.withLock { $0.handlers = [] }
                return nil
            }
            var result: Int32
            repeat { result = sd_bus_process(bus, nil) } while result > 0
            if result < 0 {
                let error = BusError("the \(name) connection was lost", result: result)
                logger.warning("\(error.message)")
                work.withLock { $0.closing = true; $0.handlers = [] }
                // Fail work queued since the last pass instead of leaving its callers waiting.
                for job in work.withLock({ work in defer { work.queue = [] }; return work.queue }) { job(bus) }
                return error
            }
            var fds = [
                pollfd(fd: sd_bus_get_fd(bus), events: Int16(truncatingIfNeeded: sd_bus_get_events(bus)), revents: 0),
                pollfd(fd: wake, events: Int16(POLLIN), revents: 0),
            ]
            _ = poll(&fds, 2, Self.pollTimeout(bus))
            if fds[1].revents != 0 {
                var count: UInt64 = 0
                _ = read(wake, &count, 8)
            }
        }
    }

    /// Milliseconds until sd-bus's next deadline (a pending call's timeout), or -1 for none.
    private static func pollTimeout(_ bus: OpaquePointer) -> Int32 {
        var deadline: UInt64 = 0
        guard sd_bus_get_timeout(bus, &deadline) >= 0, deadline != UInt64.max else { return -1 }
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let nowUsec = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
        guard deadline > nowUsec else { return 0 }
        return Int32(clamping: (deadline - nowUsec + 999) / 1000)
    }
}

/// The sd_bus pointer, handed between threads but used only on the connection's own.
private struct BusPointer: @unchecked Sendable {
    let raw: OpaquePointer
}

/// A signal handler, passed to sd-bus as its userdata.
private final class SignalHandler: Sendable {
    let handler: @Sendable (BusMessage) -> Void
    init(_ handler: @escaping @Sendable (BusMessage) -> Void) { self.handler = handler }
}
