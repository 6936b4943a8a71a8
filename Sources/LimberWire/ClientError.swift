/// Why the client could not get an answer from the daemon.
public struct ClientError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// Nothing listens at the socket path.
        case notRunning
        /// The socket exists but talking to it failed.
        case io
        /// The daemon answered with something that is not a reply.
        case protocolError
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
