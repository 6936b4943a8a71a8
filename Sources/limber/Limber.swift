import ArgumentParser

/// Minimal root command so the audio branch builds; replaced on merge.
@main
struct Limber: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Control limberd, the guided back-exercise daemon.",
        subcommands: [Sound.self]
    )
}
