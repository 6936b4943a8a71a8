import ArgumentParser
import Foundation
import LimberCore
import LimberDaemon
import LimberProtocol
import Logging

/// `limberd`: parses flags and runs the daemon; everything else lives in LimberDaemon.
@main
struct Limberd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "limberd",
        abstract: "The Limber daemon: movement breaks and guided sessions with audio cues.",
        discussion: """
            Listens on a Unix socket for the `limber` client (see `limber --help`) and runs one \
            guided session at a time. Normally started by systemd (`systemctl --user enable --now \
            limberd.socket`); run it by hand in a terminal to see its log.

            Stop it with SIGTERM or Ctrl-C: a running session is stopped and recorded, and the \
            socket is removed.

            Exit status: 0 after a clean shutdown, 1 when it cannot start (another limberd runs \
            on the same socket, XDG_RUNTIME_DIR is unset and no --socket was given, a directory \
            cannot be created), 64 for bad flags.
            """,
        version: limberVersion)

    @Option(help: ArgumentHelp("Control socket path.", discussion: "Default: $XDG_RUNTIME_DIR/limber/control.sock.", valueName: "path"))
    var socket: String?

    @Option(help: ArgumentHelp("Config file.", discussion: "Default: $XDG_CONFIG_HOME/limber/config.yaml.", valueName: "path"))
    var config: String?

    @Option(
        name: .customLong("sessions"),
        help: ArgumentHelp(
            "Session directory to use instead of the search path (repeatable).",
            discussion: "Default search path: $XDG_CONFIG_HOME/limber/sessions, then $XDG_DATA_HOME and $XDG_DATA_DIRS limber/sessions.",
            valueName: "dir"))
    var sessionDirectories: [String] = []

    @Option(
        name: .customLong("programs"),
        help: ArgumentHelp(
            "Program directory to use instead of the search path (repeatable).",
            discussion: "Default search path: $XDG_CONFIG_HOME/limber/programs, then $XDG_DATA_HOME and $XDG_DATA_DIRS limber/programs.",
            valueName: "dir"))
    var programDirectories: [String] = []

    @Option(help: ArgumentHelp("State directory (run records, scheduler state).", discussion: "Default: $XDG_STATE_HOME/limber.", valueName: "dir"))
    var stateDir: String?

    @Option(help: ArgumentHelp("ALSA PCM for cues, e.g. default, pulse, null, hw:0.", valueName: "pcm"))
    var device: String?

    @Option(help: ArgumentHelp("Log level: trace, debug, info, notice, warning, error, critical.", valueName: "level"))
    var logLevel: String = "info"

    @Option(help: .hidden)
    var idleTimeout: Double = 30

    @Option(help: ArgumentHelp("Most client connections served at once; each watcher (a status bar, a script) holds one.", valueName: "n"))
    var maxClients: Int = 64

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("unknown log level '\(logLevel)'; use one of trace, debug, info, notice, warning, error, critical")
        }
        guard idleTimeout > 0 else { throw ValidationError("--idle-timeout must be positive") }
        guard maxClients > 0 else { throw ValidationError("--max-clients must be at least 1") }
    }

    func run() throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        let format = JournalLogHandler.Format.detect()
        LoggingSystem.bootstrap { label in JournalLogHandler(label: label, format: format, logLevel: level) }
        let logger = Logger(label: "limberd")
        var options = DaemonOptions()
        options.socket = socket
        options.config = config
        options.sessionDirectories = sessionDirectories
        options.programDirectories = programDirectories
        options.stateDirectory = stateDir
        options.device = device
        options.logLevel = level
        options.idleTimeout = .milliseconds(Int64(idleTimeout * 1000))
        options.maxClients = maxClients
        do {
            // A synchronous main: nothing of the daemon ever runs on Swift's global executor
            // (see DaemonLoop), from the first line on.
            let settings = options
            try DaemonLoop.run { loop in try await Daemon.run(options: settings, logger: logger, loop: loop) }
        } catch let error as StartupError {
            FileHandle.standardError.write(Data("limberd: \(error.message)\n".utf8))
            throw ExitCode(1)
        }
    }
}

