import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LimberVocabulary
import LimberProtocol

extension ClientCommands {
    public struct Status: ParsableCommand {
        public init() {}
        public static let configuration = CommandConfiguration(
            abstract: "Show what limberd is doing.",
            discussion: """
                --format expands tokens: {state} {session} {name} {kind} {step} {steps} {text} \
                {remaining} {session_remaining} {elapsed} {total} {progress} {audio} {next_break} {presence}; \
                \\n is a newline. Example: limber status --format '{state} {text} {remaining}'
                """)

        @OptionGroup var connection: DaemonConnection

        @Flag(help: "Print the status as JSON (the protocol's `status` result).")
        var json = false

        @Option(help: ArgumentHelp("Print one line built from tokens (see below).", valueName: "template"))
        var format: String?

        public func validate() throws {
            if json && format != nil { throw ValidationError("use either --json or --format, not both") }
        }

        public func run() throws {
            let client = try connection.connect()
            if json {
                let status: StatusResult = try DaemonConnection.call(client, "status")
                Output.write(ControlCodec.line(status))
                return
            }
            let status: StatusResult = try DaemonConnection.call(client, "status")
            if let format {
                print(StatusText.format(format, status))
            } else {
                print(StatusText.human(status))
            }
        }
    }

    public struct Pause: ParsableCommand {
        public init() {}
        public static let configuration = CommandConfiguration(abstract: "Pause the running session; `limber resume` continues it.")
        @OptionGroup var connection: DaemonConnection

        public func run() throws {
            let status: StatusResult = try connection.call("pause")
            if let text = ControlReplyText.text(for: "pause", status) { print(text) }
        }
    }

    public struct Resume: ParsableCommand {
        public init() {}
        public static let configuration = CommandConfiguration(abstract: "Resume the paused session with exactly the time it had left.")
        @OptionGroup var connection: DaemonConnection

        public func run() throws {
            let status: StatusResult = try connection.call("resume")
            if let text = ControlReplyText.text(for: "resume", status) { print(text) }
        }
    }

    public struct Next: ParsableCommand {
        public init() {}
        public static let configuration = CommandConfiguration(abstract: "Skip to the next step (on the last step, end the session).")
        @OptionGroup var connection: DaemonConnection

        public func run() throws {
            let status: StatusResult = try connection.call("next")
            if let text = ControlReplyText.text(for: "next", status) { print(text) }
        }
    }

    public struct Prev: ParsableCommand {
        public init() {}
        public static let configuration = CommandConfiguration(
            abstract: "Restart the current step, or go back one step when within its first 2 seconds.")
        @OptionGroup var connection: DaemonConnection

        public func run() throws {
            let status: StatusResult = try connection.call("prev")
            if let text = ControlReplyText.text(for: "prev", status) { print(text) }
        }
    }

    public struct Stop: ParsableCommand {
        public init() {}
        public static let configuration = CommandConfiguration(abstract: "Stop the running session (it is recorded as stopped).")
        @OptionGroup var connection: DaemonConnection

        public func run() throws {
            let status: StatusResult = try connection.call("stop")
            if let text = ControlReplyText.text(for: "stop", status) { print(text) }
        }
    }

    public struct Reload: ParsableCommand {
        public init() {}
        public static let configuration = CommandConfiguration(
            abstract: "Make limberd re-read its config and sessions.",
            discussion: "Returns once limberd has finished reloading; an invalid config is refused and the old one stays in force.")
        @OptionGroup var connection: DaemonConnection

        public func run() throws {
            let result: ReloadResult = try connection.call("reload")
            print("reloaded: \(result.sessions) sessions")
            for problem in result.problems { Output.fail(problem) }
        }
    }
}
