import Foundation
import LimberCore
import Logging
import ServiceLifecycle

/// Presence from the desktop on the session bus, each monitor used where present:
///
/// - GNOME's `org.gnome.Mutter.IdleMonitor`: an idle watch at `presence.idle-after` makes you
///   away (idle); a one-shot user-active watch, added then, brings you back.
/// - `org.freedesktop.ScreenSaver` (KDE and others): `ActiveChanged(true)` is a locked screen.
///
/// Both are signals: nothing is polled, and an idle desktop costs no wake-up.
struct DesktopIdle: Service {
    /// The session bus; nil when there is none.
    let bus: BusConnection?
    let scheduler: BreakScheduler
    let idleAfterMs: Int64
    let logger: Logger

    static let mutter = "org.gnome.Mutter.IdleMonitor"
    static let mutterPath = "/org/gnome/Mutter/IdleMonitor/Core"
    static let screenSaver = "org.freedesktop.ScreenSaver"
    static let screenSaverPath = "/org/freedesktop/ScreenSaver"

    private enum Report: Sendable {
        case watchFired(UInt32)
        case screenSaver(active: Bool)
    }

    func run() async {
        guard let bus else {
            try? await gracefulShutdown()
            return
        }
        let (reports, sink) = AsyncStream.makeStream(of: Report.self)
        var monitors: [String] = []
        var idleWatch: UInt32?
        do {
            try await bus.onSignal(sender: Self.mutter, path: Self.mutterPath, interface: Self.mutter, member: "WatchFired") { message in
                if let id = try? message.uint32() { sink.yield(.watchFired(id)) }
            }
            idleWatch = try await bus.call(Self.mutter, Self.mutterPath, Self.mutter, "AddIdleWatch", [.uint64(UInt64(max(1, idleAfterMs)))]) {
                message throws(BusError) in try message.uint32()
            }
            monitors.append("GNOME idle monitor")
        } catch {
            logger.debug("no GNOME idle monitor: \(error.message)")
        }
        do {
            try await bus.onSignal(sender: Self.screenSaver, path: nil, interface: Self.screenSaver, member: "ActiveChanged") { message in
                if let active = try? message.bool() { sink.yield(.screenSaver(active: active)) }
            }
            let active = try await bus.call(Self.screenSaver, Self.screenSaverPath, Self.screenSaver, "GetActive") {
                message throws(BusError) in try message.bool()
            }
            monitors.append("org.freedesktop.ScreenSaver")
            sink.yield(.screenSaver(active: active))
        } catch {
            logger.debug("no org.freedesktop.ScreenSaver: \(error.message)")
        }
        if monitors.isEmpty {
            logger.info("no desktop idle monitor on the session bus (GNOME's, org.freedesktop.ScreenSaver): presence comes from logind and `limber away` / `limber back`")
        } else {
            logger.info("following the desktop", metadata: ["monitors": "\(monitors.joined(separator: ", "))"])
            var activeWatch: UInt32?
            await reports.forEachUntilShutdown { report in
                switch report {
                case .watchFired(let id) where id == idleWatch:
                    await scheduler.presence(.idle, away: true)
                    do throws(BusError) {
                        activeWatch = try await bus.call(Self.mutter, Self.mutterPath, Self.mutter, "AddUserActiveWatch") {
                            message throws(BusError) in try message.uint32()
                        }
                    } catch {
                        // Without the watch nothing would say "back": better not to be away.
                        logger.notice("GNOME's idle monitor refused a user-active watch (\(error.message)): not counting this idleness")
                        await scheduler.presence(.idle, away: false)
                    }
                case .watchFired(let id) where id == activeWatch:
                    activeWatch = nil
                    await scheduler.presence(.idle, away: false)
                case .watchFired:
                    break
                case .screenSaver(let active):
                    await scheduler.presence(.locked, away: active)
                }
            }
        }
        try? await gracefulShutdown()
    }
}
