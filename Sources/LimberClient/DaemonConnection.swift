import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LimberVocabulary
import LimberProtocol

/// How `limber` finds the daemon: `--socket`, else `$LIMBER_SOCKET`, else the default path.
public struct DaemonConnection: ParsableArguments {
    public init() {}
    @Option(
        help: ArgumentHelp(
            "limberd's control socket.",
            discussion: "Default: $LIMBER_SOCKET, else $XDG_RUNTIME_DIR/limber/control.sock.",
            valueName: "path"))
    var socket: String?

    /// The socket path, or nil when there is no way to know it.
    public var path: String? { ControlSocketPath.resolve(explicit: socket) }

    /// Connects, or prints what to do and exits with status 3.
    public func connect() throws -> ControlClient {
        guard let path else {
            Output.fail(
                "XDG_RUNTIME_DIR is not set, so limber cannot find limberd's socket; pass --socket PATH or set LIMBER_SOCKET")
            throw ExitCode.unreachable
        }
        do {
            return try ControlClient(path: path)
        } catch {
            Output.fail(error.message)
            throw ExitCode.unreachable
        }
    }

    /// Connects when a daemon is there; nil (and no message) when it is not.
    public func connectIfRunning() -> ControlClient? {
        guard let path else { return nil }
        return try? ControlClient(path: path)
    }

    /// Tells a running limberd that the program followed changed, so that its offer at the
    /// program's time follows; false when no daemon answered (it reads the program at start).
    public func tellProgramChanged() -> Bool {
        guard let client = connectIfRunning() else { return false }
        return (try? client.call("program-changed", as: StatusResult.self)) != nil
    }

    /// Sends a command and returns its result, turning every failure into a message and an exit status.
    public func call<Result: Codable & Sendable>(
        _ cmd: String, args: [String: JSONValue]? = nil, as type: Result.Type = Result.self
    ) throws -> Result {
        try Self.call(connect(), cmd, args: args, as: type)
    }

    public static func call<Result: Codable & Sendable>(
        _ client: ControlClient, _ cmd: String, args: [String: JSONValue]? = nil, as type: Result.Type = Result.self
    ) throws -> Result {
        do {
            return try client.call(cmd, args: args, as: type)
        } catch let error as ControlError {
            Output.fail(error.message)
            for detail in error.details ?? [] { Output.fail(detail) }
            throw ExitCode.problem
        } catch let error as ClientError {
            Output.fail(error.message)
            throw ExitCode.unreachable
        }
    }
}

