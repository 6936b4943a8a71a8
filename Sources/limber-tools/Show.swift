import ArgumentParser
import LimberClient
import LimberCore
import LimberProtocol

extension Limber {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a session's compiled timeline: offset, duration, step, cues, total.",
            discussion: """
                REFERENCE is a session id from the search path, or a file (a path with `/` \
                or ending in .yaml). When limberd runs (and no --sessions is given) it compiles \
                the session, so you see exactly what it would play; otherwise limber reads the \
                files itself. With the voice on (docs/speech.md), the spoken lines follow the \
                table, each with its offset and rendered length; `!` marks one that runs into \
                the next cue. Exit status: 0 shown, 1 not found or invalid, 2 usage error.
                """
        )

        @Argument(help: ArgumentHelp("A session id or a script file.", valueName: "ID|FILE"))
        var reference: String

        @Flag(help: "Print the timeline as JSON.")
        var json = false

        @Flag(help: "Leave out the spoken lines (listing them renders each phrase).")
        var noSpeech = false

        @OptionGroup var sessions: SessionsOptions
        @OptionGroup var connection: DaemonConnection

        func run() async throws {
            if sessions.directories.isEmpty, let client = connection.connectIfRunning() {
                var args: [String: JSONValue] = [:]
                if let script = try ScriptArgument.read(reference) {
                    args = ["script": .string(script.text), "path": .string(script.path)]
                } else {
                    args = ["id": .string(reference)]
                }
                let timeline: Timeline = try DaemonConnection.call(client, "show", args: args)
                try print(timeline)
                return
            }
            let result = sessions.library().compile(reference: reference)
            for diagnostic in result.diagnostics { Output.error(diagnostic.description) }
            guard let timeline = result.timeline else {
                Output.error("\(reference) is not valid: fix the errors above (limber validate lists them)")
                throw ExitCode.problem
            }
            try print(timeline)
        }

        private func print(_ timeline: Timeline) throws {
            if json {
                try Output.json(timeline)
            } else {
                Swift.print(timeline.table(), terminator: "")
                if !noSpeech { Swift.print(SpokenTextCheck().listing(timeline), terminator: "") }
            }
        }
    }
}
