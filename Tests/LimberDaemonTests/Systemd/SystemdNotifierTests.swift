#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Logging
import Testing
@testable import LimberDaemon

@Suite struct SystemdNotifierTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test(arguments: ["path", "abstract"])
    func sendsEachNotificationAsOneDatagram(kind: String) throws {
        let receiver = try kind == "path" ? DatagramReceiver.bindPath() : DatagramReceiver.bindAbstract()
        let notifier = SystemdNotifier(environmentValue: receiver.address.description, logger: logger)

        #expect(notifier.ready())
        #expect(notifier.status("idle; next break 14:35"))
        #expect(notifier.ready(status: "running box-breathing 2/16"))
        #expect(notifier.stopping())
        #expect(notifier.send(["EXTEND_TIMEOUT_USEC=5000000", "STATUS=slow start"]))

        #expect(receiver.receiveQueued() == [
            "READY=1",
            "STATUS=idle; next break 14:35",
            "READY=1\nSTATUS=running box-breathing 2/16",
            "STOPPING=1",
            "EXTEND_TIMEOUT_USEC=5000000\nSTATUS=slow start",
        ])
    }

    @Test func reloadingCarriesTheMonotonicClockInMicroseconds() throws {
        let receiver = try DatagramReceiver.bindPath()
        let notifier = SystemdNotifier(address: receiver.address, logger: logger)

        let before = SystemdNotifier.monotonicMicroseconds()
        #expect(notifier.reloading())
        let after = SystemdNotifier.monotonicMicroseconds()

        let messages = receiver.receiveQueued()
        try #require(messages.count == 1)
        let lines = messages[0].split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines.first == "RELOADING=1")
        let stamp = try #require(lines.last.flatMap { $0.hasPrefix("MONOTONIC_USEC=") ? UInt64($0.dropFirst(15)) : nil })
        #expect(before <= stamp && stamp <= after)
    }

    @Test func statusNewlinesCannotForgeFields() throws {
        let receiver = try DatagramReceiver.bindPath()
        let notifier = SystemdNotifier(address: receiver.address, logger: logger)

        #expect(notifier.status("line one\nREADY=1"))
        #expect(!notifier.send(["STATUS=ok", "READY=1\nSTOPPING=1"]))
        #expect(!notifier.send(["no assignment"]))
        #expect(!notifier.send([]))

        #expect(receiver.receiveQueued() == ["STATUS=line one READY=1"])
    }

    @Test func doesNothingWithoutNotifySocket() {
        for value in [nil, "", "relative/path", "@"] as [String?] {
            let notifier = SystemdNotifier(environmentValue: value, logger: logger)
            #expect(!notifier.isEnabled)
            #expect(!notifier.ready())
            #expect(!notifier.stopping())
        }
    }

    @Test func reportsFailureWhenNobodyListens() throws {
        let receiver = try DatagramReceiver.bindPath()
        guard case .path(let path) = receiver.address else { return }
        let notifier = SystemdNotifier(address: .path(path + "-missing"), logger: logger)
        #expect(notifier.isEnabled)
        #expect(!notifier.ready())
    }

    @Test func refusesAddressesThatDoNotFitInSunPath() {
        let notifier = SystemdNotifier(address: .path("/" + String(repeating: "a", count: 200)), logger: logger)
        #expect(!notifier.ready())
    }

    @Test func parsesNotifySocketValues() {
        #expect(NotifySocketAddress(environmentValue: "/run/user/1000/systemd/notify") == .path("/run/user/1000/systemd/notify"))
        #expect(NotifySocketAddress(environmentValue: "@/org/freedesktop/systemd1/notify/123") == .abstract("/org/freedesktop/systemd1/notify/123"))
        #expect(NotifySocketAddress(environmentValue: "vsock:2:1234") == nil)
        #expect(NotifySocketAddress(environmentValue: "/" + String(repeating: "a", count: 107)) == nil)
        #expect(NotifySocketAddress(environmentValue: "/" + String(repeating: "a", count: 106)) != nil)
    }
}
