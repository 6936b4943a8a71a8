import Foundation
import LimberSpawn
import Logging
import SoundCheck
import Testing

@testable import LimberDaemon

#if canImport(Glibc)
import Glibc
#endif

/// The sd-bus connection against a real dbus-daemon: calls, error replies, signals, close.
@Suite(.timeLimit(.minutes(1)))
struct BusConnectionTests {
    /// A private dbus-daemon in a temporary directory, stopped when dropped.
    final class PrivateBus {
        let directory: String
        let address: String
        private let daemon: ChildProcess

        init() throws {
            var template = Array("/tmp/lbbusXXXXXX".utf8CString)
            guard let made = mkdtemp(&template) else { throw BusError(code: errno, message: "mkdtemp failed") }
            directory = String(cString: made)
            address = "unix:path=\(directory)/bus"
            daemon = try ChildProcess(
                "/usr/bin/dbus-daemon", ["--session", "--nofork", "--nopidfile", "--address=" + address],
                environment: ["PATH": "/usr/bin:/bin"])
            let deadline = ContinuousClock.now.advanced(by: .seconds(10))
            // The socket file appears at bind(), before listen(): wait until it accepts
            // (under load a connect in between was refused).
            while !socketAccepts(directory + "/bus") {
                guard ContinuousClock.now < deadline else { throw BusError(code: ETIMEDOUT, message: "dbus-daemon did not start") }
                usleep(10_000)
            }
        }

        deinit {
            _ = daemon.signal(SIGTERM)
            _ = daemon.wait(within: .seconds(5))
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    static let logger = Logger(label: "test")
    static let dbus = "org.freedesktop.DBus"
    static let path = "/org/freedesktop/DBus"

    @Test func aCallIsAnsweredAndAnErrorReplyNamesItsError() async throws {
        let bus = try PrivateBus()
        let connection = try BusConnection(address: bus.address, logger: Self.logger)
        defer { connection.close() }
        let owner = try await connection.call(Self.dbus, Self.path, Self.dbus, "GetNameOwner", [.string(Self.dbus)]) {
            message throws(BusError) in try message.string()
        }
        #expect(owner == Self.dbus)
        let names = try await connection.call(Self.dbus, Self.path, Self.dbus, "ListNames") { message throws(BusError) in
            try message.strings()
        }
        #expect(names.contains(Self.dbus))
        do {
            _ = try await connection.call("org.example.Nobody", "/", "org.example.Nobody", "Hello") { _ throws(BusError) in () }
            Issue.record("a call to a name nobody owns was answered")
        } catch {
            #expect(error.name == "org.freedesktop.DBus.Error.ServiceUnknown")
        }
    }

    @Test func signalsReachTheirHandler() async throws {
        let bus = try PrivateBus()
        let connection = try BusConnection(address: bus.address, logger: Self.logger)
        defer { connection.close() }
        let (owners, sink) = AsyncStream.makeStream(of: String.self)
        try await connection.onSignal(sender: Self.dbus, path: Self.path, interface: Self.dbus, member: "NameOwnerChanged") { message in
            if let name = try? message.string() { sink.yield(name) }
        }
        // A second client connecting makes the bus announce its unique name.
        let other = try BusConnection(address: bus.address, logger: Self.logger)
        _ = try await other.call(Self.dbus, Self.path, Self.dbus, "GetId") { message throws(BusError) in try message.string() }
        var iterator = owners.makeAsyncIterator()
        let announced = await iterator.next()
        #expect(announced?.hasPrefix(":1.") == true)
        other.close()
    }

    @Test func afterCloseCallsAreRefused() async throws {
        let bus = try PrivateBus()
        let connection = try BusConnection(address: bus.address, logger: Self.logger)
        connection.close()
        do {
            _ = try await connection.call(Self.dbus, Self.path, Self.dbus, "GetId") { message throws(BusError) in try message.string() }
            Issue.record("a closed connection made a call")
        } catch {
            #expect(error.code == ESHUTDOWN)
        }
    }

    @Test func aLostBusIsReportedAndLaterCallsAreRefused() async throws {
        var bus: PrivateBus? = try PrivateBus()
        let (losses, sink) = AsyncStream.makeStream(of: BusError.self)
        let connection = try BusConnection(address: try #require(bus).address, logger: Self.logger) { error in
            sink.yield(error)
        }
        _ = try await connection.call(Self.dbus, Self.path, Self.dbus, "GetId") { message throws(BusError) in try message.string() }
        bus = nil  // stops the dbus-daemon
        var iterator = losses.makeAsyncIterator()
        let lost = await iterator.next()
        #expect(lost?.message.hasPrefix("the unix:path=") == true, "\(String(describing: lost))")
        do {
            _ = try await connection.call(Self.dbus, Self.path, Self.dbus, "GetId") { message throws(BusError) in try message.string() }
            Issue.record("a lost connection made a call")
        } catch {
            #expect(error.code == ESHUTDOWN)
        }
        connection.close()
    }

    @Test func noBusIsAnErrorAtConnect() {
        #expect(throws: BusError.self) {
            try BusConnection(address: "unix:path=/nonexistent/limber-no-bus", logger: Self.logger)
        }
    }
}
