import ArgumentParser
import LimberCore

extension Limber {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a session's compiled timeline: offset, duration, step, cues, total.",
            discussion: """
                REFERENCE is a session id from the search path, or a file (a path with `/` \
                or ending in .yaml). Exit status: 0 shown, 1 not found or invalid, 2 usage error.
                """
        )

        @Argument(help: ArgumentHelp("A session id or a script file.", valueName: "ID|FILE"))
        var reference: String

        @Flag(help: "Print the timeline as JSON.")
        var json = false

        @OptionGroup var sessions: SessionsOptions

        func run() async throws {
            let result = sessions.library().compile(reference: reference)
            for diagnostic in result.diagnostics { Output.error(diagnostic.description) }
            guard let timeline = result.timeline else {
                Output.error("\(reference) is not valid: fix the errors above (limber validate lists them)")
                throw ExitCode.problem
            }
            if json {
                try Output.json(timeline)
            } else {
                print(timeline.table(), terminator: "")
            }
        }
    }
}
