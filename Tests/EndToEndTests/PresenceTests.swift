import Foundation
import GRDB
import LimberHistory
import LimberProtocol
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Presence through the real limberd: logind (dbusmock's template on a private bus standing in
/// for the system bus), `limber away` / `limber back`, and no bus at all.
@Suite(.timeLimit(.minutes(1)))
struct PresenceTests {
    static let login1 = "org.freedesktop.login1"
    static let session = "/org/freedesktop/login1/session/c1"

    /// A private "system" bus with dbusmock's logind and a session `c1` for this user.
    final class Logind {
        let bus: MessageBus
        let mock: DBusMock

        init(in directory: TestDirectory) throws {
            bus = try MessageBus(in: directory, name: "system")
            mock = try DBusMock(template: "logind", name: PresenceTests.login1, on: bus, system: true, in: directory)
            try bus.call(PresenceTests.login1, "/org/freedesktop/login1", "org.freedesktop.DBus.Mock.AddSession",
                         ["c1", "seat0", "\(getuid())", "limber", "true"])
        }

        /// What limberd needs to find this bus and session.
        var environment: [String: String] { ["DBUS_SYSTEM_BUS_ADDRESS": bus.address, "XDG_SESSION_ID": "c1"] }

        func session(_ method: String, _ arguments: [String] = []) throws {
            try bus.call(PresenceTests.login1, PresenceTests.session, method, arguments)
        }
    }

    func awaitEvent(_ kind: ControlEvent.Kind, on watcher: TestConnection, within timeout: Duration = .seconds(5)) throws -> (event: ControlEvent, before: [ControlEvent]) {
        let events = try watcher.events(until: { $0.event == kind }, within: timeout)
        return (try #require(events.last), Array(events.dropLast()))
    }

    @Test func lockingForABreakLengthIsANaturalBreakAndSilencesReminders() throws {
        let directory = try TestDirectory()
        let logind = try Logind(in: directory)
        let daemon = try DaemonProcess(config: """
            breaks:
              movement: {every: 1s, duration: 700ms, session: none}
              reminders: 3
              reminder-interval: 200ms

            """, in: directory, environment: logind.environment)
        try daemon.waitForLog("following logind")
        let watcher = try daemon.connect()
        _ = try watcher.watch()
        let due = try awaitEvent(.breakDue, on: watcher).event

        try logind.session("org.freedesktop.login1.Session.SetLockedHint", ["true"])
        let away = try awaitEvent(.presenceChanged, on: watcher).event
        #expect(away.presence == "away")
        #expect(away.source == "locked")
        let status = try #require(try daemon.connect().call("status").presence)
        #expect(status.state == "away")
        #expect(status.source == "locked")
        #expect(status.since == away.since)

        // Away longer than the break (700 ms) and than every reminder and the missed
        // instant (3 × 200 ms + 200 ms) would take: the user is away, so none may come.
        usleep(1_000_000)
        try logind.session("org.freedesktop.login1.Session.Unlock")
        let (natural, between) = try awaitEvent(.breakNatural, on: watcher)
        #expect(between.map(\.event) == [.presenceChanged], "events while locked: \(between.map(\.event.rawValue))")
        #expect(between.first?.presence == "present")
        #expect(natural.source == "locked")
        #expect(natural.breakKind == "movement")
        #expect(natural.dueWall == due.dueWall)
        #expect(try daemon.connect().call("status").presence == PresenceReport(state: "present"))

        // History has the natural break, with what the absence was, dated from the lock.
        try eventually("the natural break in history", log: { daemon.log }) {
            try naturalBreaks(daemon).count == 1
        }
        let row = try #require(try naturalBreaks(daemon).first)
        #expect(row.source == "locked")
        #expect(row.due == HistoryTime.iso8601(try wallTime(away.since)))
        let history = try run(limberBinary(), ["history", "--state-dir", directory.state])
        #expect(history.stdout.contains("break    movement natural (locked)"), "\(history.stdout)")
    }

    func naturalBreaks(_ daemon: DaemonProcess) throws -> [BreakEntry] {
        guard let queue = try HistoryDatabase.openForReading(path: daemon.directory.historyFile) else { return [] }
        return try queue.read { try BreakEntry.filter(Column("outcome") == "natural").fetchAll($0) }
    }

    @Test func prepareForSleepAndIdleHintMakeYouAway() throws {
        let directory = try TestDirectory()
        let logind = try Logind(in: directory)
        let daemon = try DaemonProcess(config: """
            breaks:
              movement: {every: 1h, duration: 3m}
            presence:
              idle-after: 500ms

            """, in: directory, environment: logind.environment)
        try daemon.waitForLog("following logind")
        let watcher = try daemon.connect()
        _ = try watcher.watch()

        try logind.mock.emit("/org/freedesktop/login1", "org.freedesktop.login1.Manager", "PrepareForSleep", signature: "b", "[<true>]")
        let asleep = try awaitEvent(.presenceChanged, on: watcher).event
        #expect(asleep.presence == "away")
        #expect(asleep.source == "suspend")
        try logind.mock.emit("/org/freedesktop/login1", "org.freedesktop.login1.Manager", "PrepareForSleep", signature: "b", "[<false>]")
        #expect(try awaitEvent(.presenceChanged, on: watcher).event.presence == "present")

        // Idle for five minutes already: away at once.
        let longAgo = UInt64((Date().timeIntervalSince1970 - 300) * 1_000_000)
        try logind.mock.bus.call(Self.login1, Self.session, "org.freedesktop.DBus.Mock.UpdateProperties",
                                 ["org.freedesktop.login1.Session", "{'IdleHint': <true>, 'IdleSinceHint': <uint64 \(longAgo)>}"])
        let idle = try awaitEvent(.presenceChanged, on: watcher).event
        #expect(idle.presence == "away")
        #expect(idle.source == "idle")
        try logind.mock.bus.call(Self.login1, Self.session, "org.freedesktop.DBus.Mock.UpdateProperties",
                                 ["org.freedesktop.login1.Session", "{'IdleHint': <false>}"])
        #expect(try awaitEvent(.presenceChanged, on: watcher).event.presence == "present")

        // Idle from now: away only once idle-after (500 ms) has passed.
        let idleSince = Date()
        let now = UInt64(idleSince.timeIntervalSince1970 * 1_000_000)
        try logind.mock.bus.call(Self.login1, Self.session, "org.freedesktop.DBus.Mock.UpdateProperties",
                                 ["org.freedesktop.login1.Session", "{'IdleHint': <true>, 'IdleSinceHint': <uint64 \(now)>}"])
        let later = try awaitEvent(.presenceChanged, on: watcher).event
        #expect(later.source == "idle")
        let waited = milliseconds(from: idleSince, to: try wallTime(later.wall))
        #expect(waited >= 450, "away \(Int(waited)) ms after the idle hint, with idle-after 500ms")
    }

    @Test func awayAndBackRoundTripThroughTheCLI() throws {
        let daemon = try DaemonProcess(config: "breaks:\n  natural-break: 1h\n")
        let watcher = try daemon.connect()
        #expect(try watcher.watch().presence == PresenceReport(state: "present"))

        let away = try run(limberBinary(), ["away", "--socket", daemon.socket])
        #expect(away.status == 0, "\(away.stderr)")
        #expect(away.stdout == "away: the sitting clock has stopped; `limber back` when you return\n")
        let event = try awaitEvent(.presenceChanged, on: watcher).event
        #expect(event.presence == "away")
        #expect(event.source == "manual")

        let json = try run(limberBinary(), ["status", "--json", "--socket", daemon.socket])
        let status = try ControlCodec.decoder().decode(StatusResult.self, from: Data(json.stdout.utf8))
        #expect(status.presence?.state == "away")
        #expect(status.presence?.source == "manual")
        let human = try run(limberBinary(), ["status", "--socket", daemon.socket])
        #expect(human.stdout.contains("presence: away since "), "\(human.stdout)")
        #expect(human.stdout.contains(" (manual) — the sitting clock is stopped"), "\(human.stdout)")

        let back = try run(limberBinary(), ["back", "--socket", daemon.socket])
        #expect(back.status == 0, "\(back.stderr)")
        #expect(back.stdout.hasPrefix("back: the sitting clock runs again; next movement break in "), "\(back.stdout)")
        let present = try awaitEvent(.presenceChanged, on: watcher).event
        #expect(present.presence == "present")
        #expect((present.durationMs ?? -1) >= 0)
        #expect(try run(limberBinary(), ["status", "--socket", daemon.socket]).stdout.contains("presence: present"))
    }

    @Test func withNoBusAtAllTheDaemonRunsAsBefore() throws {
        let daemon = try DaemonProcess(config: """
            breaks:
              movement: {every: 500ms, duration: 100ms, session: none}
              natural-break: 1h

            """)
        try daemon.waitForLog("no system bus")
        try daemon.waitForLog("no session bus")
        let watcher = try daemon.connect()
        _ = try watcher.watch()
        _ = try awaitEvent(.breakDue, on: watcher)
        #expect(try daemon.connect().call("break-skip", as: BreakActionResult.self).message == "break skipped")
        #expect(daemon.isRunning)
    }
}
