import ArgumentParser
import LimberClient
import Foundation
import LimberCore
import LimberProtocol

/// The `limber` client: offline script tools now, daemon control as it lands.
@main
struct Limber: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "limber",
        abstract: "Guided back-care sessions and movement breaks, with audio cues.",
        discussion: """
            limber talks to limberd over its Unix socket (--socket, $LIMBER_SOCKET, else \
            $XDG_RUNTIME_DIR/limber/control.sock). Sessions are YAML scripts (see \
            docs/scripts.md); validate, show and sessions also work without the daemon.

            Exit status: 0 success; 1 failure (an invalid script, an unknown session, or \
            limberd refused the request, with the reason on stderr); 2 usage error; 3 limberd \
            is not running or cannot be reached.
            """,
        version: limberVersion,
        subcommands: [
            ClientCommands.Status.self, Start.self, ClientCommands.Pause.self, ClientCommands.Resume.self,
            ClientCommands.Next.self, ClientCommands.Prev.self, ClientCommands.Stop.self, ClientCommands.Watch.self,
            ClientCommands.Break.self, ClientCommands.Breaks.self, ClientCommands.Away.self, ClientCommands.Back.self,
            ListSessions.self, Show.self, Validate.self, Config.self, ClientCommands.Reload.self, Sound.self,
            Log.self, Stats.self, History.self, Report.self, ProgramCommand.self, Today.self, Checkin.self,
            Say.self, Voices.self,
        ]
    )

    /// Runs the command, mapping usage errors to exit status 2 (ArgumentParser's default is 64).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ExitCode.usage.rawValue)
            }
            exit(withError: error)
        }
    }
}

/// `--sessions DIR`, shared by every command that reads the session library.
struct SessionsOptions: ParsableArguments {
    @Option(
        name: .customLong("sessions"),
        help: ArgumentHelp(
            "Read sessions from DIR instead of the search path (repeatable; earlier wins).",
            valueName: "DIR"))
    var directories: [String] = []

    /// The library of `--sessions`, or of the standard search path.
    func library() -> SessionLibrary {
        SessionLibrary(explicitDirectories: directories.isEmpty ? nil : directories)
    }
}
