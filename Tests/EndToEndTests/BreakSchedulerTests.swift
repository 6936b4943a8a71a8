import Foundation
import LimberCore
import LimberProtocol
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The break scheduler through the real limberd: configs with sub-second intervals, the
/// break commands over the socket, hooks, restarts and reloads.
///
/// Every config sets `natural-break: 1h`: the default (the break's own length) would make a
/// restart, or the start-up of a test, count as a natural break and reset the schedule.
@Suite(.timeLimit(.minutes(1)))
struct BreakSchedulerTests {
    /// The next event named `kind`, skipping others.
    func awaitEvent(_ kind: ControlEvent.Kind, on watcher: TestConnection, within timeout: Duration = .seconds(5)) throws -> ControlEvent {
        try #require(try watcher.events(until: { $0.event == kind }, within: timeout).last)
    }

    func nextBreak(_ daemon: DaemonProcess) throws -> NextBreak {
        try #require(try daemon.connect().call("status").nextBreak, "status has no next_break")
    }

    // MARK: Due, reminders, missed

    @Test func subSecondIntervalsGiveDueRemindersAndMissedOnTime() throws {
        let daemon = try DaemonProcess(config: """
            breaks:
              movement: {every: 1s, duration: 200ms, session: none}
              reminders: 2
              reminder-interval: 400ms
              natural-break: 1h

            """)
        let watcher = try daemon.connect()
        let announced = try #require(try watcher.watch().nextBreak, "status has no next_break")
        #expect(announced.kind == "movement")
        // A daemon that took longer than `every` to accept would already have sent break-due.
        try #require(announced.inMs > 0 && announced.inMs <= 1000, "next_break.in_ms is \(announced.inMs)")
        let announcedDue = try wallTime(announced.due)

        var arrivals: [(event: ControlEvent, at: Date)] = []
        var statusWhileDue: NextBreak?
        while arrivals.last?.event.event != .breakMissed {
            let event = try watcher.nextEvent(within: .seconds(5))
            guard event.breakKind != nil else { continue }
            arrivals.append((event, Date()))
            if event.event == .breakDue { statusWhileDue = try nextBreak(daemon) }
        }
        #expect(arrivals.map(\.event.event) == [.breakDue, .breakReminder, .breakReminder, .breakMissed])
        #expect(arrivals.map(\.event.reminder) == [nil, 1, 2, nil])
        #expect(arrivals.last?.event.reason == "missed")

        let due = try wallTime(try #require(arrivals.first).event.wall)
        // status announced the instant the break then came due.
        #expect(abs(milliseconds(from: announcedDue, to: due)) <= 2, "status said \(announced.due), break-due came for \(wallText(due))")
        for (index, (event, arrived)) in arrivals.enumerated() {
            let planned = due.addingTimeInterval(0.4 * Double(index))
            #expect(event.breakKind == "movement")
            #expect(try wallTime(event.dueWall) == due)
            // The policy names each instant exactly, and the daemon wakes for it on time.
            #expect(abs(milliseconds(from: planned, to: try wallTime(event.wall))) <= 2)
            let lateness = milliseconds(from: planned, to: arrived)
            #expect(abs(lateness) <= 300, "\(event.event.rawValue) arrived \(Int(lateness)) ms from its planned time")
        }

        // While due, the break is reported at its due time, 0 ms away.
        let whileDue = try #require(statusWhileDue)
        #expect(whileDue.inMs == 0)
        #expect(try wallTime(whileDue.due) == due)
        // Missed restarts the sitting clock at the missed instant: the next break is `every` after it.
        let afterMissed = try nextBreak(daemon)
        let missedAt = due.addingTimeInterval(1.2)
        #expect(abs(milliseconds(from: missedAt.addingTimeInterval(1), to: try wallTime(afterMissed.due))) <= 2)
        #expect(afterMissed.inMs > 500 && afterMissed.inMs <= 1000, "in_ms \(afterMissed.inMs) right after break-missed")
    }

    // MARK: Snooze and skip

    @Test func snoozeAndSkipOverTheSocket() throws {
        let daemon = try DaemonProcess(config: """
            breaks:
              movement: {every: 600ms, duration: 100ms, session: none}
              snooze: 5m
              max-snoozes: 1
              reminder-interval: 10s
              natural-break: 1h

            """)
        let control = try daemon.connect()
        let watcher = try daemon.connect()
        _ = try watcher.watch()
        let due = try awaitEvent(.breakDue, on: watcher)
        #expect(due.snoozes == 0)

        #expect(try control.refusal("break-snooze", args: ["duration": .string("5")]).code == .badArgs)
        let snoozed = try control.call("break-snooze", args: ["duration": .string("700ms")], as: BreakActionResult.self)
        let snoozedAt = Date()
        #expect(snoozed.message == "break snoozed")
        // While snoozed, the break is next at the end of the snooze.
        let afterSnooze = try #require(snoozed.status.nextBreak)
        #expect(afterSnooze.inMs > 400 && afterSnooze.inMs <= 700, "in_ms \(afterSnooze.inMs) after a 700 ms snooze")
        let snoozeEvent = try awaitEvent(.breakSnoozed, on: watcher)
        #expect(snoozeEvent.snoozes == 1)
        #expect(snoozeEvent.dueWall == due.dueWall)
        let until = try wallTime(snoozeEvent.until)
        #expect(abs(milliseconds(from: snoozedAt.addingTimeInterval(0.7), to: until)) <= 300)
        #expect(try wallTime(afterSnooze.due) == until)

        // The snooze ends: due again, still the same break, once snoozed.
        let again = try awaitEvent(.breakDue, on: watcher)
        let againAt = Date()
        #expect(again.snoozes == 1)
        #expect(again.dueWall == due.dueWall)
        #expect(try wallTime(again.wall) == until)
        #expect(abs(milliseconds(from: until, to: againAt)) <= 300)

        // max-snoozes reached: refused, and the message says what to do instead.
        let limit = try control.refusal("break-snooze")
        #expect(limit.code == .wrongState)
        #expect(limit.message.contains("max-snoozes: 1"), "\(limit.message)")
        #expect(limit.message.contains("limber break now"), "\(limit.message)")
        #expect(limit.message.contains("limber break skip"), "\(limit.message)")

        let skipped = try control.call("break-skip", as: BreakActionResult.self)
        #expect(skipped.message == "break skipped")
        let skipEvent = try awaitEvent(.breakSkipped, on: watcher)
        #expect(skipEvent.reason == "skipped")
        #expect(skipEvent.snoozes == 1)
        #expect(skipEvent.dueWall == due.dueWall)
        // Skipping restarts the sitting clock.
        let afterSkip = try #require(skipped.status.nextBreak)
        #expect(afterSkip.inMs > 300 && afterSkip.inMs <= 600, "in_ms \(afterSkip.inMs) right after skip")

        // Nothing is due now (the next break is 600 ms away): both are refused.
        let nothingToSkip = try control.refusal("break-skip")
        #expect(nothingToSkip.code == .wrongState)
        #expect(nothingToSkip.message.contains("no break is due"), "\(nothingToSkip.message)")
        let nothingToSnooze = try control.refusal("break-snooze")
        #expect(nothingToSnooze.code == .wrongState)
        #expect(nothingToSnooze.message.contains("no break is due"), "\(nothingToSnooze.message)")
    }

    // MARK: Sessions

    @Test func breakNowStartsTheLinkedSession() throws {
        let daemon = try DaemonProcess(config: """
            breaks:
              movement: {every: 1h, duration: 1s, session: quick}
              natural-break: 1h

            """)
        let control = try daemon.connect()
        let watcher = try daemon.connect()
        _ = try watcher.watch()
        let result = try control.call("break-now", as: BreakActionResult.self)
        #expect(result.message == "break started: quick")
        #expect(result.status.state == .running)
        #expect(result.status.session?.id == "quick")

        let events = try watcher.events { $0.event == .sessionStarted }
        let started = try #require(events.first { $0.event == .breakStarted })
        #expect(started.breakKind == "movement")
        #expect(started.session == "quick")
        #expect(started.reason == "taken")
        #expect(events.last?.session == "quick")
        // The break counts at once: the clock restarted.
        let next = try #require(result.status.nextBreak)
        #expect(next.inMs > 3_600_000 - 1000 && next.inMs <= 3_600_000, "in_ms \(next.inMs) after break-now")
        _ = try awaitEvent(.sessionFinished, on: watcher)
    }

    @Test func completingAGuidedSessionPushesTheNextBreakOut() throws {
        let warm = "name: Warm\nkind: heat\ndescription: A heat pack, briefly.\nsteps:\n  - do: Heat pack\n    for: 300ms\n"
        let directory = try TestDirectory(scripts: TestScripts.all.merging(["warm": warm]) { $1 })
        let daemon = try DaemonProcess(config: """
            breaks:
              movement: {every: 6s, duration: 1s, session: none}
              natural-break: 1h

            """, in: directory)
        let control = try daemon.connect()
        let watcher = try daemon.connect()
        _ = try watcher.watch()

        // A heat session (lying still) is not a break: the due time stays.
        let before = try wallTime(try nextBreak(daemon).due)
        _ = try control.call("start", args: ["id": .string("warm")])
        let warmEvents = try watcher.events { $0.event == .sessionFinished }
        #expect(!warmEvents.contains { $0.event == .breakCounted })
        #expect(abs(milliseconds(from: before, to: try wallTime(try nextBreak(daemon).due))) <= 2)

        _ = try control.call("start", args: ["id": .string("quick")])
        _ = try awaitEvent(.sessionFinished, on: watcher)
        let finishedAt = Date()
        let counted = try awaitEvent(.breakCounted, on: watcher)
        #expect(counted.session == "quick")
        #expect(counted.breakKind == "movement")
        let after = try nextBreak(daemon)
        // About `every` again, from the end of the session: about 2.5 s later than before.
        #expect(after.inMs > 6000 - 300 && after.inMs <= 6000, "in_ms \(after.inMs) after the session")
        let due = try wallTime(after.due)
        #expect(abs(milliseconds(from: finishedAt.addingTimeInterval(6), to: due)) <= 300)
        #expect(milliseconds(from: before, to: due) >= 2000)
    }

    // MARK: Hooks

    @Test func breakDueHookGetsTheEventInItsEnvironment() throws {
        let directory = try TestDirectory()
        let hook = try directory.writeExecutable("hook.sh", "#!/bin/sh\nenv > \"$1.tmp\" && mv \"$1.tmp\" \"$1\"\n")
        // A space in an argument: only an argv (no shell) delivers it whole.
        let output = directory.path + "/hook env.txt"
        let daemon = try DaemonProcess(config: """
            breaks:
              movement: {every: 500ms, duration: 100ms, session: none}
              reminder-interval: 10s
              natural-break: 1h
            hooks:
              break-due: ["\(hook)", "\(output)"]

            """, in: directory, environment: ["LIMBER_SESSION": "inherited-from-the-daemon"])
        let watcher = try daemon.connect()
        _ = try watcher.watch()
        let due = try awaitEvent(.breakDue, on: watcher)
        try eventually("the hook to write \(output)", log: { daemon.log }) { FileManager.default.fileExists(atPath: output) }

        let text = try String(contentsOfFile: output, encoding: .utf8)
        var environment: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            environment[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        #expect(environment["LIMBER_EVENT"] == "break-due")
        #expect(environment["LIMBER_BREAK_KIND"] == "movement")
        #expect(environment["LIMBER_DUE"] == due.dueWall)
        #expect(environment["LIMBER_SNOOZES"] == "0")
        // The daemon's own LIMBER_* variables never reach a hook: only the event's.
        #expect(environment["LIMBER_SESSION"] == nil)
        #expect(environment["PATH"] != nil)
    }

    @Test func failingHooksAreLoggedAndTheDaemonGoesOn() throws {
        let directory = try TestDirectory()
        let missing = directory.path + "/no-such-hook"
        let daemon = try DaemonProcess(config: """
            breaks:
              movement: {every: 500ms, duration: 100ms, session: none}
              reminder-interval: 10s
              natural-break: 1h
            hooks:
              break-due: ["\(missing)"]
              break-skipped: [/bin/sh, -c, "exit 3"]

            """, in: directory)
        let control = try daemon.connect()
        let watcher = try daemon.connect()
        _ = try watcher.watch()
        _ = try awaitEvent(.breakDue, on: watcher)
        try daemon.waitForLog("hook could not start")
        #expect(daemon.log.contains(missing))

        _ = try control.call("break-skip", as: BreakActionResult.self)
        _ = try awaitEvent(.breakSkipped, on: watcher)
        try daemon.waitForLog("hook failed")
        #expect(daemon.log.contains("status=3"), "\(daemon.log)")

        #expect(daemon.isRunning)
        #expect(try control.call("status").nextBreak != nil)
        // The next break still comes due.
        _ = try awaitEvent(.breakDue, on: watcher)
    }

    // MARK: Persistence

    static let threeSeconds = """
        breaks:
          movement: {every: 3s, duration: 100ms, session: none}
          reminder-interval: 10s
          natural-break: 1h

        """

    @Test func killNineAndRestartKeepsTheSchedule() throws {
        let directory = try TestDirectory()
        let first = try DaemonProcess(config: Self.threeSeconds, in: directory)
        let due = try wallTime(try nextBreak(first).due)
        try eventually("state.json to be written") { FileManager.default.fileExists(atPath: directory.stateFile) }
        let saved = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory.stateFile)))
        let state = try #require(saved as? [String: Any], "state.json is not a JSON object")
        #expect(state["version"] as? Int == 1)
        #expect(state["movement"] is [String: Any])

        #expect(try first.signal(SIGKILL) == 128 + SIGKILL)
        // Down for a second: shorter than natural-break, so it counts as sitting, not as a
        // break, and the break stays due when it was.
        Thread.sleep(forTimeInterval: 1)
        let restartedAt = Date()
        let second = try DaemonProcess(in: directory, arguments: ["--config", directory.config])
        let watcher = try second.connect()
        let resumed = try #require(try watcher.watch().nextBreak)
        let resumedDue = try wallTime(resumed.due)
        #expect(abs(milliseconds(from: due, to: resumedDue)) <= 200, "due \(resumed.due) after the restart, \(wallText(due)) before")
        #expect(milliseconds(from: restartedAt, to: resumedDue) < 2600, "the schedule restarted with the daemon")
        let event = try awaitEvent(.breakDue, on: watcher)
        #expect(abs(milliseconds(from: due, to: try wallTime(event.wall))) <= 200)
        #expect(!second.log.contains("break natural"), "\(second.log)")
    }

    @Test func corruptStateFileIsMovedAsideAndTheDaemonStartsFresh() throws {
        let directory = try TestDirectory()
        try FileManager.default.createDirectory(atPath: directory.state, withIntermediateDirectories: true)
        let garbage = "{\"version\": 1, \"movement\": not json at all"
        try Data(garbage.utf8).write(to: URL(fileURLWithPath: directory.stateFile))
        let daemon = try DaemonProcess(config: Self.threeSeconds, in: directory)

        let files = try FileManager.default.contentsOfDirectory(atPath: directory.state)
        let aside = files.filter { $0.hasPrefix("state.json.corrupt-") }
        try #require(aside.count == 1, "state dir holds \(files)")
        #expect(try String(contentsOfFile: directory.state + "/" + aside[0], encoding: .utf8) == garbage)
        try daemon.waitForLog("the state file could not be read and was moved aside")
        #expect(daemon.log.contains("warning"), "\(daemon.log)")

        let next = try nextBreak(daemon)
        #expect(next.inMs > 2000 && next.inMs <= 3000, "in_ms \(next.inMs) on a fresh start")
        try eventually("a valid state.json") {
            guard let data = FileManager.default.contents(atPath: directory.stateFile) else { return false }
            return (try? JSONSerialization.jsonObject(with: data)) is [String: Any]
        }
    }

    // MARK: Reload

    @Test func badConfigOnReloadIsRefusedAndTheOldOneKept() throws {
        let daemon = try DaemonProcess(config: """
            breaks:
              movement: {every: 17m, duration: 1m, session: none}
              snooze: 7m
              natural-break: 1h

            """)
        let path = daemon.directory.config
        let control = try daemon.connect()
        let watcher = try daemon.connect()
        _ = try watcher.watch()
        let original = try control.call("config", as: ConfigResult.self)
        #expect(original.path == path)
        #expect(original.yaml.contains("  movement:\n    every: 17m\n"), "\(original.yaml)")
        #expect(original.yaml.contains("  snooze: 7m\n"))

        try daemon.directory.writeConfig("""
            breaks:
              movement:
                every: 45
            brakes: {}

            """)
        let refused = try control.refusal("reload")
        #expect(refused.code == .invalidConfig)
        #expect(refused.message.contains("limber config check"), "\(refused.message)")
        let details = refused.details ?? []
        #expect(details.contains { $0.hasPrefix("\(path):3:12: error:") && $0.contains("bare number") }, "\(details)")
        #expect(details.contains { $0.hasPrefix("\(path):4:1: error:") && $0.contains("did you mean 'breaks'?") }, "\(details)")
        try daemon.waitForLog("config refused on reload")
        // The old config stays in force, and `config` says so.
        #expect(try control.call("config", as: ConfigResult.self) == original)
        let kept = try #require(try control.call("status").nextBreak)
        #expect(kept.inMs > 16 * 60_000, "in_ms \(kept.inMs) with every: 17m")

        try daemon.directory.writeConfig("""
            breaks:
              movement: {every: 11m, duration: 1m, session: none}
              natural-break: 1h

            """)
        _ = try control.call("reload", as: ReloadResult.self)
        _ = try awaitEvent(.reloaded, on: watcher)
        // Only the successful reload announced itself.
        #expect(try watcher.readLine(within: .milliseconds(200)) == .timedOut)
        let reloaded = try control.call("config", as: ConfigResult.self)
        #expect(reloaded.yaml.contains("  movement:\n    every: 11m\n"), "\(reloaded.yaml)")
        #expect(reloaded.yaml.contains("  snooze: 5m\n"))
        let shorter = try #require(try control.call("status").nextBreak)
        #expect(shorter.inMs > 10 * 60_000 && shorter.inMs <= 11 * 60_000, "in_ms \(shorter.inMs) with every: 11m")

        try daemon.directory.writeConfig("""
            breaks:
              movement: {every: 23m, duration: 1m, session: none}
              natural-break: 1h

            """)
        kill(daemon.pid, SIGHUP)
        _ = try awaitEvent(.reloaded, on: watcher)
        #expect(try control.call("config", as: ConfigResult.self).yaml.contains("  movement:\n    every: 23m\n"))
        let longer = try #require(try control.call("status").nextBreak)
        #expect(longer.inMs > 22 * 60_000 && longer.inMs <= 23 * 60_000, "in_ms \(longer.inMs) with every: 23m")
    }

    // MARK: The limber client

    @Test func configCheckThroughTheClient() throws {
        let directory = try TestDirectory(scripts: [:])
        let valid = directory.path + "/valid.yaml"
        let invalid = directory.path + "/invalid.yaml"
        try Data("breaks:\n  movement: {every: 30m}\n".utf8).write(to: URL(fileURLWithPath: valid))
        try Data("breaks:\n  movement:\n    every: 45\nbrakes: {}\n".utf8).write(to: URL(fileURLWithPath: invalid))

        let good = try run(limberBinary(), ["config", "check", valid])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout == "\(valid): valid\n")

        let bad = try run(limberBinary(), ["config", "check", invalid])
        #expect(bad.status == 1)
        let lines = bad.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("\(invalid):3:12: error:") && $0.contains("bare number") }, "\(bad.stderr)")
        #expect(lines.contains { $0.hasPrefix("\(invalid):4:1: error:") && $0.contains("did you mean 'breaks'?") }, "\(bad.stderr)")
    }

    @Test func breaksOffAndOnThroughTheClient() throws {
        let daemon = try DaemonProcess(config: """
            breaks:
              movement: {every: 20s, duration: 1s, session: none}
              natural-break: 1h

            """)
        let watcher = try daemon.connect()
        _ = try watcher.watch()
        let socket = ["--socket", daemon.socket]

        let off = try run(limberBinary(), ["breaks", "off", "--for", "1h"] + socket)
        #expect(off.status == 0, "\(off.stderr)")
        #expect(off.stdout == "breaks off for 1h\n")
        let offEvent = try awaitEvent(.breaksOff, on: watcher)
        #expect(abs(milliseconds(from: Date().addingTimeInterval(3600), to: try wallTime(offEvent.until))) <= 2000)
        // While breaks are off no break is coming, and status does not pretend one is.
        #expect(try daemon.connect().call("status").nextBreak == nil)
        let status = try run(limberBinary(), ["status"] + socket)
        #expect(status.status == 0, "\(status.stderr)")
        #expect(!status.stdout.contains("next break"), "\(status.stdout)")

        let on = try run(limberBinary(), ["breaks", "on"] + socket)
        #expect(on.status == 0, "\(on.stderr)")
        #expect(on.stdout.hasPrefix("breaks on; next movement break in 0:"), "\(on.stdout)")
        _ = try awaitEvent(.breaksOn, on: watcher)
        let next = try nextBreak(daemon)
        #expect(next.inMs > 15_000 && next.inMs <= 20_000, "in_ms \(next.inMs) after breaks on")

        // Bad arguments are refused before the daemon is asked.
        let both = try run(limberBinary(), ["breaks", "off", "--for", "1h", "--indefinitely"] + socket)
        #expect(both.status == 2)
        #expect(both.stderr.contains("give exactly one of"), "\(both.stderr)")
    }
}

/// A date in the daemon's format, for failure messages.
private func wallText(_ date: Date) -> String {
    date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
}
