import Foundation
import LimberCore
import Logging
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// What logind said about the session or the machine, in presence terms.
enum LogindReport: Sendable, Equatable {
    case locked(Bool)
    /// IdleHint, with IdleSinceHint (µs since the epoch; 0 when unknown).
    case idle(Bool, sinceMicroseconds: UInt64)
    case sleeping(Bool)
    /// The system bus went away: nothing logind said holds any more.
    case lost

    /// The reports in a PropertiesChanged or GetAll dictionary of a Session.
    static func reports(_ properties: [String: BusValue]) -> [LogindReport] {
        var reports: [LogindReport] = []
        if case .bool(let locked) = properties["LockedHint"] { reports.append(.locked(locked)) }
        if case .bool(let idle) = properties["IdleHint"] {
            var since: UInt64 = 0
            if case .uint64(let value) = properties["IdleSinceHint"] { since = value }
            reports.append(.idle(idle, sinceMicroseconds: since))
        }
        return reports
    }
}

/// Presence from logind on the system bus: the session's LockedHint and IdleHint (through
/// PropertiesChanged), its Lock and Unlock signals, and PrepareForSleep for suspend.
///
/// The session is `XDG_SESSION_ID`'s, else the user's display session (User.Display): the
/// user manager runs outside any session. No system bus, or no logind, and presence comes
/// from `limber away` / `limber back` alone.
struct LogindPresence: Service {
    let scheduler: BreakScheduler
    /// `presence.logind` at start: false leaves logind alone.
    let enabled: Bool
    /// Where the idle timer runs.
    var loop: DaemonLoop = .global
    let logger: Logger
    var environment: [String: String] = ProcessInfo.processInfo.environment

    static let logind = "org.freedesktop.login1"
    static let manager = "org.freedesktop.login1.Manager"
    static let sessionInterface = "org.freedesktop.login1.Session"
    static let properties = "org.freedesktop.DBus.Properties"

    func run() async {
        guard enabled else {
            try? await gracefulShutdown()
            return
        }
        let (reports, sink) = AsyncStream.makeStream(of: LogindReport.self)
        let bus: BusConnection
        do {
            bus = try BusConnection(.system, logger: logger, onDisconnect: { _ in
                sink.yield(.lost)
                sink.finish()
            })
        } catch {
            logger.info("no system bus (\(error.message)): lock, idle and suspend are not followed; `limber away` and `limber back` still work")
            try? await gracefulShutdown()
            return
        }
        defer { bus.close() }
        do {
            try await bus.onSignal(sender: Self.logind, path: "/org/freedesktop/login1", interface: Self.manager, member: "PrepareForSleep") { message in
                if let sleeping = try? message.bool() { sink.yield(.sleeping(sleeping)) }
            }
            if let session = try await sessionPath(bus) {
                try await follow(session: session, on: bus, into: sink)
                logger.info("following logind", metadata: ["session": "\(session)"])
            } else {
                logger.info("logind has no graphical session for this user: following suspend only; lock and idle come from `limber away` / `limber back`")
            }
        } catch {
            logger.info("logind is not answering (\(error.message)): lock, idle and suspend are not followed; `limber away` and `limber back` still work")
            try? await gracefulShutdown()
            return
        }
        await handle(reports)
        // The bus is gone (or shutdown began): limberd goes on without logind.
        try? await gracefulShutdown()
    }

    /// Acts on each report until shutdown or a lost bus. Idle counts once it has lasted
    /// `idle-after`, measured from IdleSinceHint.
    private func handle(_ reports: AsyncStream<LogindReport>) async {
        var idleTimer: Task<Void, Never>?
        defer { idleTimer?.cancel() }
        await reports.forEachUntilShutdown { report in
            switch report {
            case .locked(let locked):
                await scheduler.presence(.locked, away: locked)
            case .sleeping(let sleeping):
                await scheduler.presence(.suspend, away: sleeping)
            case .idle(false, _):
                idleTimer?.cancel()
                idleTimer = nil
                await scheduler.presence(.idle, away: false)
            case .idle(true, let since):
                guard idleTimer == nil else { return }
                let idleForMs = since == 0 ? 0 : max(0, Int64(Date().timeIntervalSince1970 * 1000) - Int64(since / 1000))
                // The config in force now: a reload changes idle-after for the next idleness.
                let remainingMs = await scheduler.config.presence.idleAfterMs - idleForMs
                let scheduler = self.scheduler
                let loop = self.loop
                idleTimer = loop.task {
                    if remainingMs > 0 {
                        do { try await loop.sleep(for: .milliseconds(remainingMs)) } catch { return }
                    }
                    await scheduler.presence(.idle, away: true)
                }
            case .lost:
                idleTimer?.cancel()
                logger.warning("lost the system bus: lock, idle and suspend are no longer followed")
                for source in [PresenceSource.locked, .idle, .suspend] { await scheduler.presence(source, away: false) }
            }
        }
    }

    /// Listens for the session's changes, then reads where it stands now (in that order, so
    /// that no change falls between the two).
    private func follow(session: String, on bus: BusConnection, into sink: AsyncStream<LogindReport>.Continuation) async throws(BusError) {
        try await bus.onSignal(sender: Self.logind, path: session, interface: Self.properties, member: "PropertiesChanged") { message in
            guard (try? message.string()) == Self.sessionInterface, let changed = try? message.properties() else { return }
            for report in LogindReport.reports(changed) { sink.yield(report) }
        }
        try await bus.onSignal(sender: Self.logind, path: session, interface: Self.sessionInterface, member: "Lock") { _ in
            sink.yield(.locked(true))
        }
        try await bus.onSignal(sender: Self.logind, path: session, interface: Self.sessionInterface, member: "Unlock") { _ in
            sink.yield(.locked(false))
        }
        let now = try await bus.call(Self.logind, session, Self.properties, "GetAll", [.string(Self.sessionInterface)]) {
            message throws(BusError) in try message.properties()
        }
        for report in LogindReport.reports(now) { sink.yield(report) }
    }

    /// The session to follow: `XDG_SESSION_ID`'s, else the user's display session; nil when
    /// the user has none.
    private func sessionPath(_ bus: BusConnection) async throws(BusError) -> String? {
        if let id = environment["XDG_SESSION_ID"], !id.isEmpty {
            return try await bus.call(Self.logind, "/org/freedesktop/login1", Self.manager, "GetSession", [.string(id)]) {
                message throws(BusError) in try message.objectPath()
            }
        }
        let user = try await bus.call(Self.logind, "/org/freedesktop/login1", Self.manager, "GetUser", [.uint32(getuid())]) {
            message throws(BusError) in try message.objectPath()
        }
        let display = try await bus.call(Self.logind, user, Self.properties, "Get", [.string("org.freedesktop.login1.User"), .string("Display")]) {
            message throws(BusError) in try message.variant()
        }
        guard case .idAndPath(_, let path) = display, path != "/" else { return nil }
        return path
    }
}
