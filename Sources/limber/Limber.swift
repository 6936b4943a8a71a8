import ArgumentParser
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
            Status.self, Start.self, Pause.self, Resume.self, Next.self, Prev.self, Stop.self, Watch.self,
            Break.self, Breaks.self, Away.self, Back.self, ListSessions.self, Show.self, Validate.self, Config.self, Reload.self, Sound.self,
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

extension ExitCode {
    /// A command-line usage error.
    static let usage = ExitCode(2)
    /// The command ran and found a problem (an invalid script, a session not found).
    static let problem = ExitCode(1)
    /// limberd is not running or cannot be reached.
    static let unreachable = ExitCode(3)
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

/// Text output helpers for commands.
enum Output {
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// A message for the user, prefixed with the program name.
    static func fail(_ message: String) {
        error("limber: \(message)")
    }

    /// Writes at once (no stdio buffer), so a reader at the end of a pipe sees it now.
    static func write(_ data: Data) {
        FileHandle.standardOutput.write(data)
    }

    /// One line to standard output, written at once.
    static func line(_ text: String) {
        write(Data((text + "\n").utf8))
    }

    static var isTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// `value` as indented JSON in the protocol's conventions (snake_case keys), as the daemon
    /// would send it.
    static func json<T: Encodable>(_ value: T) throws {
        write(try ControlCodec.encoder(pretty: true).encode(value) + Data([0x0A]))
    }
}
