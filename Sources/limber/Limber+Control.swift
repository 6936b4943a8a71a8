import ArgumentParser
import Foundation
import LimberCore
import LimberProtocol

extension Limber {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
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

        func validate() throws {
            if json && format != nil { throw ValidationError("use either --json or --format, not both") }
        }

        func run() throws {
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

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start a guided session.",
            discussion: """
                SESSION is a session id (see `limber sessions`) or a path to a script file. A \
                file is read here and sent to limberd as text, so the daemon runs exactly what \
                you see. Follow it with `limber watch`.

                --rate asks for your pain (0–10) before starting, then stays attached until the \
                session finishes or is stopped and asks again; both ratings go to the history \
                database (see `limber stats`). Press Enter to skip a rating.
                """)

        @OptionGroup var connection: DaemonConnection

        @Argument(help: ArgumentHelp("Session id or script file.", valueName: "session"))
        var session: String

        @Flag(help: "Stop a running session and start this one instead.")
        var replace = false

        @Flag(help: "Ask for a pain rating (0–10) before the session and after it ends.")
        var rate = false

        @OptionGroup var location: HistoryLocation

        /// The `start` request's arguments: the script's text for a file, else the id.
        func startArguments() throws -> [String: JSONValue] {
            var args: [String: JSONValue] = ["replace": .bool(replace)]
            if let script = try ScriptArgument.read(session) {
                args["script"] = .string(script.text)
                args["path"] = .string(script.path)
            } else {
                args["id"] = .string(session)
            }
            return args
        }

        func run() throws {
            if rate { return try runRated() }
            let status: StatusResult = try connection.call("start", args: startArguments())
            if let progress = status.session {
                print("started \(progress.name) (\(progress.id)), \(StatusText.clock(progress.totalMs)); follow it with `limber watch`")
            }
        }
    }

    struct Pause: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pause the running session; `limber resume` continues it.")
        @OptionGroup var connection: DaemonConnection

        func run() throws {
            let status: StatusResult = try connection.call("pause")
            if let session = status.session {
                print("paused \(session.id) at step \(session.step + 1)/\(session.steps), \(StatusText.clock(session.stepRemainingMs)) left in it")
            }
        }
    }

    struct Resume: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resume the paused session with exactly the time it had left.")
        @OptionGroup var connection: DaemonConnection

        func run() throws {
            let status: StatusResult = try connection.call("resume")
            if let session = status.session { print("resumed \(session.id): \(session.stepText)") }
        }
    }

    struct Next: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Skip to the next step (on the last step, end the session).")
        @OptionGroup var connection: DaemonConnection

        func run() throws {
            let status: StatusResult = try connection.call("next")
            print(status.session.map { "step \($0.step + 1)/\($0.steps): \($0.stepText)" } ?? "session finished")
        }
    }

    struct Prev: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Restart the current step, or go back one step when within its first 2 seconds.")
        @OptionGroup var connection: DaemonConnection

        func run() throws {
            let status: StatusResult = try connection.call("prev")
            if let session = status.session { print("step \(session.step + 1)/\(session.steps): \(session.stepText)") }
        }
    }

    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the running session (it is recorded as stopped).")
        @OptionGroup var connection: DaemonConnection

        func run() throws {
            let _: StatusResult = try connection.call("stop")
            print("stopped")
        }
    }

    struct Reload: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make limberd re-read its config and sessions.",
            discussion: "Returns once limberd has finished reloading; an invalid config is refused and the old one stays in force.")
        @OptionGroup var connection: DaemonConnection

        func run() throws {
            let result: ReloadResult = try connection.call("reload")
            print("reloaded: \(result.sessions) sessions")
            for problem in result.problems { Output.fail(problem) }
        }
    }
}

/// A `start`/`show` argument that names a script file rather than a session id.
enum ScriptArgument {
    /// The file's text and absolute path when `argument` is a file; nil for an id.
    static func read(_ argument: String) throws -> (text: String, path: String)? {
        let looksLikePath = argument.contains("/") || argument.hasSuffix(".yaml") || argument.hasSuffix(".yml")
        guard looksLikePath || FileManager.default.fileExists(atPath: argument) else { return nil }
        let url = URL(fileURLWithPath: argument)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            Output.fail("cannot read \(argument): no such file (give a session id or a path to a .yaml script)")
            throw ExitCode.problem
        }
        guard let text = String(data: data, encoding: .utf8) else {
            Output.fail("\(argument) is not UTF-8 text; save it as UTF-8")
            throw ExitCode.problem
        }
        return (text, url.standardizedFileURL.path)
    }
}
