import ArgumentParser
import Foundation
import LimberCore
import LimberClient
import LimberProtocol

extension Limber {
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
