import Foundation
import LimberCore
import LimberProtocol
import Logging

/// Carries out control requests: the one place that knows what each command does.
public struct ControlCommands<C: Clock>: Sendable where C.Duration == Duration {
    public let runner: SessionRunner<C>
    public let sessions: any SessionCatalog
    public let output: any CueOutput
    public let events: EventHub
    /// Re-reads configuration and sessions; throws the config's errors.
    public let reload: @Sendable () async throws(ControlError) -> ReloadResult
    /// The break scheduler, when breaks are wired (nil in tests of sessions alone).
    public let breaks: BreakScheduler?
    /// The config file the daemon reads.
    public let configPath: String?
    /// The program being followed, for `status`.
    public let program: @Sendable () -> ProgramState?

    public init(
        runner: SessionRunner<C>, sessions: any SessionCatalog, output: any CueOutput, events: EventHub,
        reload: @escaping @Sendable () async throws(ControlError) -> ReloadResult,
        breaks: BreakScheduler? = nil, configPath: String? = nil,
        program: @escaping @Sendable () -> ProgramState? = { nil }
    ) {
        self.runner = runner
        self.sessions = sessions
        self.output = output
        self.events = events
        self.reload = reload
        self.breaks = breaks
        self.configPath = configPath
        self.program = program
    }

    /// Every command name, for `unknown-command` messages and docs.
    public static var names: [String] {
        [
            "hello", "status", "sessions", "show", "start", "pause", "resume", "next", "prev", "stop", "watch", "reload",
            "sound-test", "break-now", "break-snooze", "break-skip", "breaks-off", "breaks-on", "presence", "config",
            "program-changed",
        ]
    }

    /// Runs one request and returns the reply line (newline included).
    public func reply(to request: ControlRequest) async -> Data {
        do {
            return try await perform(request)
        } catch {
            return ControlCodec.line(ControlReply<Empty>(id: request.id, error: error))
        }
    }

    /// The current status, as `status` and the first line of `watch` report it.
    ///
    /// Synchronous and callable from any thread: every part is published by its owner on
    /// each change (the runner's progress, the scheduler's outlook) and brought to now here,
    /// with no hop to their actors. The control pipeline answers `status` with it directly
    /// (``StatusFastPath``).
    public func status() -> StatusResult {
        let (state, progress) = runner.progressNow()
        return StatusResult(
            state: state, session: progress, audio: output.report, nextBreak: breaks?.nextBreakNow(),
            mono: runner.monotonicSeconds(), program: program(), presence: breaks?.presenceNow())
    }

    private func perform(_ request: ControlRequest) async throws(ControlError) -> Data {
        let id = request.id
        switch request.cmd {
        case "hello":
            return ControlCodec.line(
                ControlReply(
                    id: id,
                    result: HelloResult(protocolVersion: controlProtocolVersion, version: limberVersion, pid: getpid())))
        case "status":
            return ControlCodec.line(ControlReply(id: id, result: status()))
        case "sessions":
            return ControlCodec.line(ControlReply(id: id, result: await sessions.list()))
        case "show":
            return ControlCodec.line(ControlReply(id: id, result: try await timeline(for: request)))
        case "start":
            let timeline = try await timeline(for: request)
            let replace = try request.bool("replace")
            try await ControlError.refusing { () async throws(RunnerRefusal) in try await runner.start(timeline, replace: replace) }
            return ControlCodec.line(ControlReply(id: id, result: status()))
        case "pause":
            try await ControlError.refusing { () async throws(RunnerRefusal) in try await runner.pause() }
            return ControlCodec.line(ControlReply(id: id, result: status()))
        case "resume":
            try await ControlError.refusing { () async throws(RunnerRefusal) in try await runner.resume() }
            return ControlCodec.line(ControlReply(id: id, result: status()))
        case "next":
            try await ControlError.refusing { () async throws(RunnerRefusal) in try await runner.next() }
            return ControlCodec.line(ControlReply(id: id, result: status()))
        case "prev":
            try await ControlError.refusing { () async throws(RunnerRefusal) in try await runner.previous() }
            return ControlCodec.line(ControlReply(id: id, result: status()))
        case "stop":
            try await ControlError.refusing { () async throws(RunnerRefusal) in try await runner.stop() }
            return ControlCodec.line(ControlReply(id: id, result: status()))
        case "reload":
            return ControlCodec.line(ControlReply(id: id, result: try await reload()))
        case "sound-test":
            let names = try request.strings("cues") ?? Cue.allCases.map(\.rawValue)
            var cues: [Cue] = []
            for name in names {
                guard let cue = Cue(rawValue: name) else {
                    throw ControlError(
                        .unknownCue,
                        "unknown cue '\(name)'; the cues are: \(Cue.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                cues.append(cue)
            }
            for cue in cues { output.play(cue) }
            return ControlCodec.line(ControlReply(id: id, result: output.report))
        case "break-now":
            let started = try await scheduler().breakNow()
            return ControlCodec.line(ControlReply(id: id, result: BreakActionResult(message: "break started: \(started)", status: status())))
        case "break-snooze":
            var durationMs: Int64?
            if let text = try request.string("duration") {
                do {
                    durationMs = try DurationText.parse(text)
                } catch {
                    throw ControlError(.badArgs, error.message)
                }
            }
            try await scheduler().snooze(durationMs: durationMs)
            return ControlCodec.line(ControlReply(id: id, result: BreakActionResult(message: "break snoozed", status: status())))
        case "break-skip":
            try await scheduler().skip()
            return ControlCodec.line(ControlReply(id: id, result: BreakActionResult(message: "break skipped", status: status())))
        case "breaks-off":
            let request = try Self.breaksOffRequest(request)
            try await scheduler().breaksOff(request)
            return ControlCodec.line(ControlReply(id: id, result: BreakActionResult(message: "breaks off", status: status())))
        case "breaks-on":
            try await scheduler().breaksOn()
            return ControlCodec.line(ControlReply(id: id, result: BreakActionResult(message: "breaks on", status: status())))
        case "presence":
            let away: Bool
            switch try request.string("state") {
            case "away"?: away = true
            case "present"?: away = false
            default: throw ControlError(.badArgs, "presence needs \"state\": \"away\" or \"present\"")
            }
            try await scheduler().presence(.manual, away: away)
            let report = try scheduler().presenceNow()
            let message = away ? "away: the sitting clock has stopped; `limber back` when you return" : report.state == "away"
                ? "back by hand, but still away (\(report.source ?? "?")): the sitting clock stays stopped until that ends"
                : "back: the sitting clock runs again"
            return ControlCodec.line(ControlReply(id: id, result: BreakActionResult(message: message, status: status())))
        case "config":
            guard let configPath else { throw ControlError(.internalError, "this daemon has no config") }
            // The config in force, not the file as it is now: after a refused reload they differ.
            let config = try await scheduler().config
            return ControlCodec.line(ControlReply(id: id, result: ConfigResult(path: configPath, yaml: config.render())))
        case "program-changed":
            // `limber program start|stop` wrote the history; the offer at the program's time follows.
            try await scheduler().programChanged()
            return ControlCodec.line(ControlReply(id: id, result: status()))
        case "watch":
            throw ControlError(.internalError, "watch is handled by the connection")
        default:
            throw ControlError(
                .unknownCommand,
                "unknown command '\(request.cmd)'; the commands are: \(Self.names.joined(separator: ", "))")
        }
    }

    private func scheduler() throws(ControlError) -> BreakScheduler {
        guard let breaks else { throw ControlError(.internalError, "breaks are not available in this daemon") }
        return breaks
    }

    /// `breaks-off` arguments: `for` (a duration), `until` (HH:MM local time), or `indefinitely`.
    static func breaksOffRequest(_ request: ControlRequest) throws(ControlError) -> BreakPolicy.BreaksOffRequest {
        if let text = try request.string("for") {
            do {
                return .forDuration(try DurationText.parse(text))
            } catch {
                throw ControlError(.badArgs, error.message)
            }
        }
        if let text = try request.string("until") {
            guard let time = LocalTime.parse(text) else {
                throw ControlError(.badArgs, "'\(text)' is not a time of day; give it as HH:MM, e.g. 14:00")
            }
            return .untilLocalTime(time)
        }
        if try request.bool("indefinitely") { return .indefinitely }
        throw ControlError(.badArgs, "breaks-off needs \"for\" (e.g. \"1h\"), \"until\" (e.g. \"14:00\") or \"indefinitely\": true")
    }

    private func timeline(for request: ControlRequest) async throws(ControlError) -> Timeline {
        if let script = try request.string("script") {
            let path = try request.string("path") ?? "<script>"
            return try await sessions.timeline(script: script, path: path)
        }
        guard let sessionID = try request.string("id") else {
            throw ControlError(.badArgs, "\(request.cmd) needs \"id\" (a session id) or \"script\" (the script's text)")
        }
        return try await sessions.timeline(id: sessionID)
    }
}
