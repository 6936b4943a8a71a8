import LimberCore
import LimberProtocol
import Testing

@testable import LimberDaemon

/// Which desktop notifications show, replace and close, without a bus.
@Suite struct NoticeBoardTests {
    func event(_ kind: ControlEvent.Kind, _ breakKind: String? = "movement") -> ControlEvent {
        ControlEvent(event: kind, mono: 0, wall: "2026-11-30T08:45:00.000Z", breakKind: breakKind)
    }

    @Test func aDueBreakShowsButtonsAndRemindersReplaceIt() throws {
        var board = NoticeBoard()
        let config = LimberConfig()
        guard case .show(let due) = try #require(board.actions(for: event(.breakDue), config: config, buttons: true).first) else {
            Issue.record("break-due shows nothing")
            return
        }
        #expect(due.summary == "Time to move — 45 min of sitting")
        #expect(due.body == "Start runs Desk reset (3m).")
        #expect(due.replaces == 0)
        #expect(due.actions == ["start", "Start", "snooze", "Snooze 5 min", "skip", "Skip"])
        board.shown("movement", id: 7)
        #expect(board.actions(for: event(.breakReminder), config: config, buttons: true)
            == [.show(NoticeBoard.Notice(key: "movement", replaces: 7, summary: due.summary, body: due.body, actions: due.actions))])
        let plain = board.actions(for: event(.breakDue), config: config, buttons: false)
        #expect(plain == [.show(NoticeBoard.Notice(key: "movement", replaces: 7, summary: due.summary, body: due.body, actions: []))])
    }

    @Test func anAnsweredBreakClosesItsNotificationOnly() {
        var board = NoticeBoard()
        board.shown("movement", id: 1)
        board.shown("posture", id: 2)
        for kind in [ControlEvent.Kind.breakStarted, .breakSnoozed, .breakSkipped, .breakMissed, .breakNatural, .breakCounted] {
            #expect(board.actions(for: event(kind, "posture"), config: LimberConfig(), buttons: true) == [.close(key: "posture", id: 2)])
        }
        #expect(board.actions(for: event(.breaksOff, nil), config: LimberConfig(), buttons: true)
            == [.close(key: "movement", id: 1), .close(key: "posture", id: 2)])
        board.closed(id: 1)
        #expect(board.actions(for: event(.breakSkipped), config: LimberConfig(), buttons: true) == [])
        #expect(board.breakKey(of: 2) == "posture")
        #expect(board.breakKey(of: 1) == nil)
    }

    @Test func configSwitchesBreakAndSessionNotifications() {
        let board = NoticeBoard()
        var config = LimberConfig()
        config.notifications.breaks = false
        #expect(board.actions(for: event(.breakDue), config: config, buttons: true) == [])
        let started = ControlEvent(event: .sessionStarted, mono: 0, wall: "", session: "desk-reset", name: "Desk reset")
        #expect(board.actions(for: started, config: config, buttons: true) == [])
        config.notifications.sessions = true
        #expect(board.actions(for: started, config: config, buttons: true).count == 1)
    }

    @Test func buttonsRunTheCLIsRequests() {
        #expect(NoticeBoard.request(forAction: "start")?.cmd == "break-now")
        #expect(NoticeBoard.request(forAction: "snooze") == ControlRequest(cmd: "break-snooze", args: ["duration": .string("5m")]))
        #expect(NoticeBoard.request(forAction: "skip")?.cmd == "break-skip")
        #expect(NoticeBoard.request(forAction: "default") == nil)
    }
}
