import Foundation
import LimberProtocol
import Testing

/// Desktop notifications through the real limberd, on a private session bus with dbusmock's
/// notification_daemon template (its call log shows what limberd asked for).
@Suite(.timeLimit(.minutes(1)))
struct NotificationTests {
    static let notifications = "org.freedesktop.Notifications"

    /// A session bus with a notification server listing `capabilities`, and limberd using it.
    func start(capabilities: String, config: String) throws -> (daemon: DaemonProcess, mock: DBusMock) {
        let directory = try TestDirectory()
        let bus = try MessageBus(in: directory, name: "session")
        let mock = try DBusMock(
            template: "notification_daemon", name: Self.notifications, on: bus, system: false,
            parameters: "{\"capabilities\": \"\(capabilities)\"}", in: directory)
        let daemon = try DaemonProcess(config: config, in: directory, environment: ["DBUS_SESSION_BUS_ADDRESS": bus.address])
        try daemon.waitForLog("desktop notifications on")
        return (daemon, mock)
    }

    static let config = """
        breaks:
          movement: {every: 1s, duration: 100ms, session: none}
          reminders: 2
          reminder-interval: 400ms
          natural-break: 1h

        """

    func awaitEvent(_ kind: ControlEvent.Kind, on watcher: TestConnection) throws -> ControlEvent {
        try #require(try watcher.events(until: { $0.event == kind }, within: .seconds(5)).last)
    }

    @Test func aDueBreakShowsOneNotificationThatRemindersReplaceAndSkipCloses() throws {
        let (daemon, mock) = try start(capabilities: "body actions", config: Self.config)
        let watcher = try daemon.connect()
        _ = try watcher.watch()
        _ = try awaitEvent(.breakDue, on: watcher)
        let first = try #require(try mock.calls(of: "Notify", count: 1).first)
        #expect(first.hasPrefix("\"Limber\" 0 \"\" \"Time to move — 1s of sitting\" \"A 100ms break.\" "), "\(first)")
        #expect(first.contains("[\"start\", \"Start\", \"snooze\", \"Snooze 5 min\", \"skip\", \"Skip\"]"), "\(first)")

        // The reminder replaces it: same id (1), no second notification.
        _ = try awaitEvent(.breakReminder, on: watcher)
        let second = try mock.calls(of: "Notify", count: 2)[1]
        #expect(second.hasPrefix("\"Limber\" 1 "), "\(second)")

        _ = try daemon.connect().call("break-skip", as: BreakActionResult.self)
        #expect(try mock.calls(of: "CloseNotification", count: 1) == ["1"])
        #expect(try mock.calls(of: "Notify", count: 2).count == 2)
    }

    @Test func theSnoozeButtonSnoozesTheBreak() throws {
        let (daemon, mock) = try start(capabilities: "body actions", config: Self.config)
        let watcher = try daemon.connect()
        _ = try watcher.watch()
        _ = try awaitEvent(.breakDue, on: watcher)
        _ = try mock.calls(of: "Notify", count: 1)
        let pressed = Date()
        try mock.emit("/org/freedesktop/Notifications", Self.notifications, "ActionInvoked", signature: "us", "[<uint32 1>, <'snooze'>]")
        let snoozed = try awaitEvent(.breakSnoozed, on: watcher)
        #expect(snoozed.snoozes == 1)
        // The button's 5 minutes, not the config's snooze.
        let until = try wallTime(snoozed.until)
        #expect(abs(milliseconds(from: pressed.addingTimeInterval(300), to: until)) < 2000, "snoozed until \(snoozed.until ?? "-")")
        // Answered, so closed.
        #expect(try mock.calls(of: "CloseNotification", count: 1) == ["1"])
    }

    @Test func withoutActionsTheNotificationHasNoButtons() throws {
        let (daemon, mock) = try start(capabilities: "body", config: Self.config)
        let watcher = try daemon.connect()
        _ = try watcher.watch()
        _ = try awaitEvent(.breakDue, on: watcher)
        let first = try #require(try mock.calls(of: "Notify", count: 1).first)
        #expect(first.contains("\"A 100ms break.\" [] "), "\(first)")
    }
}

extension NotificationTests {
    @Test func sessionsNotifyTheirStartAndEndWhenAskedTo() throws {
        let (daemon, mock) = try start(capabilities: "body actions", config: """
            breaks:
              movement: {every: 1h, duration: 3m}
            notifications: {breaks: true, sessions: true}

            """)
        let watcher = try daemon.connect()
        _ = try watcher.watch()
        _ = try daemon.connect().call("start", args: ["id": .string("quick")])
        _ = try awaitEvent(.sessionFinished, on: watcher)
        let shown = try mock.calls(of: "Notify", count: 2)
        #expect(shown[0].hasPrefix("\"Limber\" 0 \"\" \"Session started: "), "\(shown[0])")
        // The end replaces the start's notification, without buttons.
        #expect(shown[1].hasPrefix("\"Limber\" 1 \"\" \"Session finished: Quick\" "), "\(shown[1])")
        #expect(shown[1].contains(" [] "), "\(shown[1])")
    }
}
