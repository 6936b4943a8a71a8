import Foundation
import LimberCore
import LimberProtocol
import Logging
import ServiceLifecycle

/// Break (and optionally session) notifications through org.freedesktop.Notifications on the
/// session bus, with Start / Snooze 5 min / Skip buttons where the server shows actions.
///
/// A button runs the same control request as the CLI's `limber break now|snooze 5m|skip`.
/// No session bus (headless, SSH): notifications are off, said once in the log, and nothing
/// else changes.
struct DesktopNotifications: Service {
    /// The session bus; nil when there is none (notifications are off).
    let bus: BusConnection?
    let events: EventHub
    let scheduler: BreakScheduler
    /// Runs a control request as the socket would: the buttons' way to the break commands.
    let answer: @Sendable (ControlRequest) async -> Data
    let logger: Logger

    static let name = "org.freedesktop.Notifications"
    static let path = "/org/freedesktop/Notifications"

    private enum Input: Sendable {
        case event(ControlEvent)
        case action(id: UInt32, key: String)
        case closed(id: UInt32)
    }

    func run() async {
        let config = await scheduler.config
        guard let bus, config.notifications.breaks || config.notifications.sessions else {
            try? await gracefulShutdown()
            return
        }
        let (inputs, sink) = AsyncStream.makeStream(of: Input.self)
        let buttons: Bool
        do {
            try await bus.onSignal(sender: nil, path: Self.path, interface: Self.name, member: "ActionInvoked") { message in
                if let id = try? message.uint32(), let key = try? message.string() { sink.yield(.action(id: id, key: key)) }
            }
            try await bus.onSignal(sender: nil, path: Self.path, interface: Self.name, member: "NotificationClosed") { message in
                if let id = try? message.uint32() { sink.yield(.closed(id: id)) }
            }
            let capabilities = try await bus.call(Self.name, Self.path, Self.name, "GetCapabilities") {
                message throws(BusError) in try message.strings()
            }
            buttons = capabilities.contains("actions")
        } catch {
            logger.info("no notification server on the session bus (\(error.message)): desktop notifications are off")
            try? await gracefulShutdown()
            return
        }
        logger.info("desktop notifications on", metadata: ["buttons": "\(buttons)"])
        let subscription = events.subscribe()
        await withDiscardingTaskGroup { group in
            group.addTask {
                for await event in subscription { sink.yield(.event(event)) }
                sink.finish()
            }
            var board = NoticeBoard()
            await inputs.forEachUntilShutdown { input in
                switch input {
                case .event(let event):
                    let config = await scheduler.config
                    for action in board.actions(for: event, config: config, buttons: buttons) {
                        await perform(action, on: bus, board: &board)
                    }
                case .action(let id, let key):
                    guard board.breakKey(of: id) != nil, let request = NoticeBoard.request(forAction: key) else { return }
                    logger.info("notification button", metadata: ["action": "\(key)"])
                    let reply = await answer(request)
                    if let line = String(data: reply, encoding: .utf8), line.contains("\"ok\":false") {
                        logger.notice("the notification's \(key) was refused: \(line.trimmingCharacters(in: .newlines))")
                    }
                case .closed(let id):
                    board.closed(id: id)
                }
            }
            group.cancelAll()
        }
        // A service that returns early would stop the whole daemon.
        try? await gracefulShutdown()
    }

    private func perform(_ action: NoticeBoard.Action, on bus: BusConnection, board: inout NoticeBoard) async {
        do {
            switch action {
            case .show(let notice):
                let id = try await bus.call(
                    Self.name, Self.path, Self.name, "Notify",
                    [.string("Limber"), .uint32(notice.replaces), .string(""), .string(notice.summary), .string(notice.body),
                     .strings(notice.actions), .stringProperties(["desktop-entry": "limber"]), .int32(0)]
                ) { message throws(BusError) in try message.uint32() }
                board.shown(notice.key, id: id)
            case .close(_, let id):
                board.closed(id: id)
                try await bus.call(Self.name, Self.path, Self.name, "CloseNotification", [.uint32(id)]) { _ throws(BusError) in () }
            }
        } catch {
            logger.notice("desktop notification failed: \(error.message)")
        }
    }
}
