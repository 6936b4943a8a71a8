import ArgumentParser
import LimberCore

@main
struct Limber: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "limber",
        abstract: "Control limberd: guided sessions, breaks and audio cues.",
        version: limberVersion,
        subcommands: [Status.self, Start.self, Pause.self, Resume.self, Next.self, Prev.self, Stop.self, Watch.self, Reload.self])
}
