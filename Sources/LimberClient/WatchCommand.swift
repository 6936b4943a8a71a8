import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LimberVocabulary
import LimberProtocol

extension ClientCommands {
    public struct Watch: ParsableCommand {
        public init() {}
        public static let configuration = CommandConfiguration(
            abstract: "Follow limberd live: a progress line, JSON events, or Waybar output.",
            discussion: """
                On a terminal, draws one line that updates in place: session, progress bar, step \
                and time left. Piped, prints one line per step. --json prints the protocol's \
                event lines as they come (the first line is the current status). --waybar prints \
                Waybar custom-module JSON ({"text","tooltip","class","percentage"}) on each \
                change; use it as a module with "return-type": "json". Runs until interrupted or \
                until limberd stops.
                """)

        @OptionGroup var connection: DaemonConnection

        @Flag(help: "Print each event as a JSON line.")
        var json = false

        @Flag(help: "Print Waybar custom-module JSON lines.")
        var waybar = false

        public func validate() throws {
            if json && waybar { throw ValidationError("use either --json or --waybar, not both") }
        }

        public func run() throws {
            let client = try connection.connect()
            let first: Data
            do {
                first = try client.rawCall("watch")
            } catch let error as ClientError {
                Output.fail(error.message)
                throw ExitCode.unreachable
            }
            let reply = try? ControlCodec.decoder().decode(ControlReply<WatchResult>.self, from: first)
            guard let status = reply?.result?.status else {
                Output.fail(reply?.error?.message ?? "limberd did not accept watch")
                throw ExitCode.problem
            }
            var view = WatchView(status: status)
            let mode: WatchView.Mode = json ? .json : waybar ? .waybar : (Output.isTerminal ? .terminal : .lines)
            if mode == .json { Output.write(first + Data([0x0A])) }
            view.render(mode, changed: true)
            while true {
                let outcome: ControlClient.ReadOutcome
                do {
                    outcome = try client.readLine(timeoutMilliseconds: mode == .terminal ? 200 : mode == .waybar ? 1000 : -1)
                } catch {
                    view.finish(mode)
                    Output.fail("lost the connection to limberd: \(error.message)")
                    throw ExitCode.unreachable
                }
                switch outcome {
                case .closed:
                    view.finish(mode)
                    if mode != .json && mode != .waybar { Output.fail("limberd closed the connection (it stopped, or dropped this watcher for reading too slowly)") }
                    return
                case .timedOut:
                    view.render(mode, changed: false)
                case .line(let line):
                    if mode == .json { Output.write(line + Data([0x0A])) }
                    guard let event = try? ControlCodec.decoder().decode(ControlEvent.self, from: line) else { continue }
                    view.apply(event)
                    view.render(mode, changed: true)
                }
            }
        }
    }
}

/// The client-side picture of a session, advanced by events and the local clock.
struct WatchView {
    enum Mode {
        case terminal
        case lines
        case json
        case waybar
    }

    var state: RunnerState
    var session: String?
    var name: String?
    var step = 0
    var steps = 0
    var text = ""
    var stepDurationMs: Int64 = 0
    var stepOffsetMs: Int64 = 0
    var totalMs: Int64 = 0
    /// Milliseconds into the current step when `since` was taken.
    var intoStepMs: Int64 = 0
    var since = ContinuousClock.now
    var lastWaybar = ""
    var lastLine = ""
    /// False between a session's start and its first step, when there is no step to show.
    var stepKnown = true

    init(status: StatusResult) {
        state = status.state
        if let progress = status.session {
            session = progress.id
            name = progress.name
            step = progress.step
            steps = progress.steps
            text = progress.stepText
            stepDurationMs = progress.stepDurationMs
            totalMs = progress.totalMs
            intoStepMs = progress.stepDurationMs - progress.stepRemainingMs
            stepOffsetMs = progress.elapsedMs - intoStepMs
        }
    }

    private var elapsedInStep: Int64 {
        guard state == .running else { return intoStepMs }
        let passed = since.duration(to: .now).components
        return min(stepDurationMs, intoStepMs + passed.seconds * 1000 + passed.attoseconds / 1_000_000_000_000_000)
    }

    mutating func apply(_ event: ControlEvent) {
        switch event.event {
        case .sessionStarted:
            state = .running
            session = event.session
            name = event.name ?? event.session
            steps = event.steps ?? 0
            totalMs = event.durationMs ?? 0
            stepKnown = false
        case .step:
            stepKnown = true
            step = event.step ?? step
            text = event.text ?? text
            stepDurationMs = event.durationMs ?? 0
            stepOffsetMs = event.offsetMs ?? stepOffsetMs
            intoStepMs = 0
            since = .now
        case .paused:
            intoStepMs = max(0, (event.offsetMs ?? stepOffsetMs) - stepOffsetMs)
            state = .paused
        case .resumed:
            intoStepMs = max(0, (event.offsetMs ?? stepOffsetMs) - stepOffsetMs)
            since = .now
            state = .running
        case .sessionFinished, .sessionStopped:
            state = .idle
            text = event.event == .sessionFinished ? "finished" : "stopped"
        default:
            break
        }
    }

    mutating func render(_ mode: Mode, changed: Bool) {
        let remaining = max(0, stepDurationMs - elapsedInStep)
        let elapsed = stepOffsetMs + elapsedInStep
        let fraction = totalMs > 0 ? Double(elapsed) / Double(totalMs) : 0
        switch mode {
        case .json:
            break
        case .terminal:
            let line: String
            if state == .idle {
                line = session == nil ? "idle — start a session with `limber start ID`" : "\(name ?? "") \(text)"
            } else {
                let marker = state == .paused ? "⏸" : "▶"
                line = "\(marker) \(name ?? "") \(StatusText.bar(fraction, width: 16)) \(step + 1)/\(steps) \(text)  \(StatusText.clock(remaining))"
            }
            Output.write(Data("\r\u{1B}[2K\(line)".utf8))
        case .lines:
            guard changed, state == .idle || stepKnown else { return }
            let line: String
            switch state {
            case .idle: line = session == nil ? "idle" : "\(session ?? "") \(text)"
            case .paused: line = "paused: step \(step + 1)/\(steps) \(text), \(StatusText.clock(remaining)) left"
            case .running: line = "step \(step + 1)/\(steps): \(text) (\(StatusText.clock(stepDurationMs)))"
            }
            if line != lastLine {
                // Unbuffered, so that `limber watch | cat` shows each step as it starts.
                Output.line(line)
                lastLine = line
            }
        case .waybar:
            let output: [String: JSONValue]
            if state == .idle {
                output = ["text": .string(""), "tooltip": .string("Limber: idle"), "class": .string("idle"), "percentage": .number(0)]
            } else {
                output = [
                    "text": .string("\(state == .paused ? "⏸" : "▶") \(text) \(StatusText.clock(remaining))"),
                    "tooltip": .string("\(name ?? "") — step \(step + 1)/\(steps), \(StatusText.clock(totalMs - elapsed)) left"),
                    "class": .string(state.rawValue),
                    "percentage": .number((fraction * 100).rounded()),
                ]
            }
            let line = String(decoding: ControlCodec.line(output), as: UTF8.self)
            if line != lastWaybar {
                Output.write(Data(line.utf8))
                lastWaybar = line
            }
        }
    }

    func finish(_ mode: Mode) {
        if mode == .terminal { Output.write(Data("\n".utf8)) }
    }
}
