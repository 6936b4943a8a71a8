import LimberCore
import LimberProtocol

/// Which desktop notifications are showing, and what each daemon event does to them: pure,
/// so the rules are tested without a bus.
///
/// One notification per break kind: shown when the break comes due, replaced in place by
/// each reminder, closed once the break is answered by any route (taken, snoozed, skipped,
/// missed, natural, counted, breaks off). Sessions get one notification each, replaced when
/// the session ends.
struct NoticeBoard: Sendable, Equatable {
    /// The id the server gave each notification showing: `movement`, `posture`, `session`.
    private(set) var showing: [String: UInt32] = [:]

    /// A notification to show (or replace), or one to close.
    enum Action: Sendable, Equatable {
        case show(Notice)
        case close(key: String, id: UInt32)
    }

    struct Notice: Sendable, Equatable {
        var key: String
        /// The notification it replaces, 0 for a new one.
        var replaces: UInt32
        var summary: String
        var body: String
        /// Action keys and labels, flattened as the Notify call takes them.
        var actions: [String]
    }

    /// The snooze the notification's button offers (its label says 5 min).
    static let snooze = "5m"

    /// The control request an action button runs: the same commands as `limber break`.
    static func request(forAction key: String) -> ControlRequest? {
        switch key {
        case "start": ControlRequest(cmd: "break-now")
        case "snooze": ControlRequest(cmd: "break-snooze", args: ["duration": .string(snooze)])
        case "skip": ControlRequest(cmd: "break-skip")
        default: nil
        }
    }

    /// What `event` does, given the config and whether the server shows action buttons.
    func actions(for event: ControlEvent, config: LimberConfig, buttons: Bool) -> [Action] {
        switch event.event {
        case .breakDue, .breakReminder:
            guard config.notifications.breaks, let kind = event.breakKind.flatMap(BreakKind.init(rawValue:)) else { return [] }
            let settings = config.breaks.settings(kind)
            let what = kind == .movement ? "Time to move" : "Time for a posture check"
            let body = settings.session.map { "Start runs \(SessionName.spoken($0)) (\(DurationText.format(settings.durationMs)))." }
                ?? "A \(DurationText.format(settings.durationMs)) break."
            return [.show(Notice(
                key: kind.rawValue, replaces: showing[kind.rawValue] ?? 0,
                summary: "\(what) — \(Self.minutes(settings.everyMs)) of sitting", body: body,
                actions: buttons ? ["start", "Start", "snooze", "Snooze 5 min", "skip", "Skip"] : []))]
        case .breakStarted, .breakSnoozed, .breakSkipped, .breakMissed, .breakNatural, .breakCounted:
            let kinds = event.breakKind.map { [$0] } ?? BreakKind.allCases.map(\.rawValue)
            return kinds.compactMap { key in showing[key].map { .close(key: key, id: $0) } }
        case .breaksOff:
            return BreakKind.allCases.compactMap { kind in showing[kind.rawValue].map { .close(key: kind.rawValue, id: $0) } }
        case .sessionStarted:
            guard config.notifications.sessions else { return [] }
            return [.show(Notice(key: "session", replaces: showing["session"] ?? 0,
                                 summary: "Session started: \(event.name ?? event.session.map(SessionName.spoken) ?? "session")",
                                 body: "`limber pause` or `limber stop` to interrupt it.", actions: []))]
        case .sessionFinished, .sessionStopped:
            guard config.notifications.sessions else { return [] }
            let how = event.event == .sessionFinished ? "finished" : "stopped"
            return [.show(Notice(key: "session", replaces: showing["session"] ?? 0,
                                 summary: "Session \(how): \(event.session.map(SessionName.spoken) ?? "session")",
                                 body: "`limber history` shows what you have done.", actions: []))]
        default:
            return []
        }
    }

    /// The server showed `key` as `id`.
    mutating func shown(_ key: String, id: UInt32) { showing[key] = id }

    /// `id` is gone (closed by us, by the user, or expired).
    mutating func closed(id: UInt32) { showing = showing.filter { $0.value != id } }

    /// The break kind a notification id belongs to, for its action buttons.
    func breakKey(of id: UInt32) -> String? {
        showing.first { $0.value == id && BreakKind(rawValue: $0.key) != nil }?.key
    }

    static func minutes(_ ms: Int64) -> String {
        ms >= 60_000 && ms % 60_000 == 0 ? "\(ms / 60_000) min" : DurationText.format(ms)
    }
}
