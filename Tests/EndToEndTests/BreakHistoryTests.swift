import Foundation
import GRDB
import LimberCore
import LimberHistory
import LimberProtocol
import Testing

/// Breaks the real daemon settles land in its history database.
@Suite(.timeLimit(.minutes(1)))
struct BreakHistoryTests {
    /// The break rows in the daemon's database, once there are `count` (or after 10 s).
    func breakRows(_ daemon: DaemonProcess, count: Int) throws -> [BreakEntry] {
        let deadline = Date().addingTimeInterval(10)
        while true {
            if let queue = try HistoryDatabase.openForReading(path: daemon.directory.historyFile) {
                let rows = try queue.read { try BreakEntry.order(Column("id")).fetchAll($0) }
                if rows.count >= count || Date() > deadline { return rows }
            } else if Date() > deadline {
                return []
            }
            usleep(20_000)
        }
    }

    @Test func skippedAndMissedBreaksAreRecordedWithTheirSnoozes() throws {
        let daemon = try DaemonProcess(config: """
            breaks:
              movement: {every: 600ms, duration: 100ms, session: none}
              snooze: 300ms
              max-snoozes: 2
              reminders: 1
              reminder-interval: 300ms
              natural-break: 1h

            """)
        let control = try daemon.connect()
        let watcher = try daemon.connect()
        _ = try watcher.watch()
        // First break: snoozed once, then skipped.
        _ = try watcher.events(until: { $0.event == .breakDue }, within: .seconds(5))
        _ = try control.call("break-snooze", as: BreakActionResult.self)
        _ = try watcher.events(until: { $0.event == .breakDue }, within: .seconds(5))
        _ = try control.call("break-skip", as: BreakActionResult.self)
        // Second break: left unanswered until it is missed.
        _ = try watcher.events(until: { $0.event == .breakMissed }, within: .seconds(5))

        let rows = try breakRows(daemon, count: 2)
        #expect(rows.map(\.outcome) == [.skipped, .missed], "\(rows)\n\(daemon.log)")
        #expect(rows.map(\.kind) == [.movement, .movement])
        #expect(rows.first?.snoozeCount == 1)
        #expect(rows.last?.snoozeCount == 0)
        #expect(rows.allSatisfy { ($0.ended ?? "") >= $0.due })
    }
}
