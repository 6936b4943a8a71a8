import Foundation
import LimberProtocol
import Testing

/// Presence from the desktop's own monitors on the session bus, mocked with bare dbusmock
/// objects (python-dbusmock has no template for them): GNOME's idle monitor and
/// org.freedesktop.ScreenSaver.
@Suite(.timeLimit(.minutes(1)))
struct DesktopIdleTests {
    func awaitPresence(on watcher: TestConnection) throws -> ControlEvent {
        try #require(try watcher.events(until: { $0.event == .presenceChanged }, within: .seconds(5)).last)
    }

    @Test func gnomesIdleWatchMakesYouAwayAndItsUserActiveWatchBringsYouBack() throws {
        let directory = try TestDirectory()
        let bus = try MessageBus(in: directory, name: "session")
        let mutter = try DBusMock(
            name: "org.gnome.Mutter.IdleMonitor", path: "/org/gnome/Mutter/IdleMonitor/Core", interface: "org.gnome.Mutter.IdleMonitor",
            methods: [("AddIdleWatch", "t", "u", "ret = 7"), ("AddUserActiveWatch", "", "u", "ret = 8")], on: bus, in: directory)
        let daemon = try DaemonProcess(
            config: "presence:\n  idle-after: 90s\n", in: directory, environment: ["DBUS_SESSION_BUS_ADDRESS": bus.address])
        try daemon.waitForLog("following the desktop")
        // One idle watch, at idle-after.
        #expect(try mutter.calls(of: "AddIdleWatch", count: 1) == ["90000"])
        let watcher = try daemon.connect()
        _ = try watcher.watch()

        try mutter.emit("/org/gnome/Mutter/IdleMonitor/Core", "org.gnome.Mutter.IdleMonitor", "WatchFired", signature: "u", "[<uint32 7>]")
        let away = try awaitPresence(on: watcher)
        #expect(away.presence == "away")
        #expect(away.source == "idle")
        _ = try mutter.calls(of: "AddUserActiveWatch", count: 1)
        try mutter.emit("/org/gnome/Mutter/IdleMonitor/Core", "org.gnome.Mutter.IdleMonitor", "WatchFired", signature: "u", "[<uint32 8>]")
        let back = try awaitPresence(on: watcher)
        #expect(back.presence == "present")
    }

    @Test func anActiveScreenSaverIsALockedScreen() throws {
        let directory = try TestDirectory()
        let bus = try MessageBus(in: directory, name: "session")
        let saver = try DBusMock(
            name: "org.freedesktop.ScreenSaver", path: "/org/freedesktop/ScreenSaver", interface: "org.freedesktop.ScreenSaver",
            methods: [("GetActive", "", "b", "ret = False")], on: bus, in: directory)
        let daemon = try DaemonProcess(config: "", in: directory, environment: ["DBUS_SESSION_BUS_ADDRESS": bus.address])
        try daemon.waitForLog("following the desktop")
        let watcher = try daemon.connect()
        #expect(try watcher.watch().presence == PresenceReport(state: "present"))

        try saver.emit("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver", "ActiveChanged", signature: "b", "[<true>]")
        let away = try awaitPresence(on: watcher)
        #expect(away.presence == "away")
        #expect(away.source == "locked")
        try saver.emit("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver", "ActiveChanged", signature: "b", "[<false>]")
        #expect(try awaitPresence(on: watcher).presence == "present")
    }
}
