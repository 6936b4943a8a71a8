import ArgumentParser
import Foundation
import LimberCore
import LimberDaemon

/// Exit statuses of `limber` (also listed in `limber --help`).
enum ExitStatus {
    /// The daemon refused the request, or a file is invalid.
    static let failure = ExitCode(1)
    /// Bad command-line usage.
    static let usage = ExitCode(2)
    /// limberd is not running or cannot be reached.
    static let unreachable = ExitCode(3)
}

/// How `limber` finds the daemon: `--socket`, else `$LIMBER_SOCKET`, else the default path.
struct DaemonConnection: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "limberd's control socket.",
            discussion: "Default: $LIMBER_SOCKET, else $XDG_RUNTIME_DIR/limber/control.sock.",
            valueName: "path"))
    var socket: String?

    /// The socket path, or nil when there is no way to know it.
    var path: String? { ControlSocketPath.resolve(explicit: socket) }

    /// Connects, or prints what to do and exits with status 3.
    func connect() throws -> ControlClient {
        guard let path else {
            Console.error(
                "XDG_RUNTIME_DIR is not set, so limber cannot find limberd's socket; pass --socket PATH or set LIMBER_SOCKET")
            throw ExitStatus.unreachable
        }
        do {
            return try ControlClient(path: path)
        } catch {
            Console.error(error.message)
            throw ExitStatus.unreachable
        }
    }

    /// Connects when a daemon is there; nil (and no message) when it is not.
    func connectIfRunning() -> ControlClient? {
        guard let path else { return nil }
        return try? ControlClient(path: path)
    }

    /// Sends a command and returns its result, turning every failure into a message and an exit status.
    func call<Result: Codable & Sendable>(
        _ cmd: String, args: [String: JSONValue]? = nil, as type: Result.Type = Result.self
    ) throws -> Result {
        try Self.call(connect(), cmd, args: args, as: type)
    }

    static func call<Result: Codable & Sendable>(
        _ client: ControlClient, _ cmd: String, args: [String: JSONValue]? = nil, as type: Result.Type = Result.self
    ) throws -> Result {
        do {
            return try client.call(cmd, args: args, as: type)
        } catch let error as ControlError {
            Console.error(error.message)
            for detail in error.details ?? [] { Console.error(detail) }
            throw ExitStatus.failure
        } catch let error as ClientError {
            Console.error(error.message)
            throw ExitStatus.unreachable
        }
    }
}

/// Output helpers shared by every command.
enum Console {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("limber: \(message)\n".utf8))
    }

    static func write(_ data: Data) {
        FileHandle.standardOutput.write(data)
    }

    static var isTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
}
