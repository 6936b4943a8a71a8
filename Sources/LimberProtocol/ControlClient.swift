#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A blocking connection to limberd's control socket: one request line, one reply line,
/// encoded and decoded with the protocol's Foundation codec.
public final class ControlClient {
    public let path: String
    private let connection: WireConnection
    private var nextID = 1

    /// Connects to the daemon at `path`.
    public init(path: String) throws(ClientError) {
        self.path = path
        connection = try WireConnection(path: path)
    }

    /// Sends `cmd` and decodes the reply's result as `Result`; a daemon error is thrown as `ControlError`.
    public func call<Result: Codable & Sendable>(
        _ cmd: String, args: [String: JSONValue]? = nil, as type: Result.Type = Result.self
    ) throws -> Result {
        let reply: ControlReply<Result> = try exchange(cmd, args: args)
        if let error = reply.error { throw error }
        guard let result = reply.result else {
            throw ClientError(.protocolError, "limberd's reply to \(cmd) has no result")
        }
        return result
    }

    /// Sends `cmd` and returns the raw reply line (for `--json` output).
    public func rawCall(_ cmd: String, args: [String: JSONValue]? = nil) throws -> Data {
        try send(cmd, args: args)
        guard let line = try readLine() else {
            throw ClientError(.io, "limberd closed the connection without answering \(cmd)")
        }
        return line
    }

    /// Sends a request and decodes the next line as its reply.
    public func exchange<Result: Codable & Sendable>(_ cmd: String, args: [String: JSONValue]? = nil) throws -> ControlReply<Result> {
        let line = try rawCall(cmd, args: args)
        do {
            return try ControlCodec.decoder().decode(ControlReply<Result>.self, from: line)
        } catch {
            throw ClientError(.protocolError, "limberd sent a reply limber cannot read (\(error)); are both from the same version?")
        }
    }

    /// What waiting for a line produced.
    public enum ReadOutcome: Sendable {
        case line(Data)
        case timedOut
        case closed
    }

    /// The next line, waiting at most `timeoutMilliseconds` (-1: forever).
    public func readLine(timeoutMilliseconds: Int32) throws(ClientError) -> ReadOutcome {
        switch try connection.readLine(timeoutMilliseconds: timeoutMilliseconds) {
        case .line(let bytes): .line(Data(bytes))
        case .timedOut: .timedOut
        case .closed: .closed
        }
    }

    /// The next line from the daemon, or nil at end of stream.
    public func readLine() throws(ClientError) -> Data? {
        try connection.readLine().map { Data($0) }
    }

    private func send(_ cmd: String, args: [String: JSONValue]?) throws(ClientError) {
        let request = ControlRequest(id: .number(Double(nextID)), cmd: cmd, args: args)
        nextID += 1
        try connection.send([UInt8](ControlCodec.line(request)))
    }
}
