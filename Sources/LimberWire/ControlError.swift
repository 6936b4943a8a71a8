/// A failure reported over the control socket: a stable `code` for programs and a
/// human `message` that says what to do next.
public struct ControlError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// Stable error codes of the control protocol (docs/protocol.md lists each).
    public struct Code: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(from decoder: any Decoder) throws {
            rawValue = try decoder.singleValueContainer().decode(String.self)
        }
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }
        public var description: String { rawValue }

        /// The line is not valid JSON, or not a JSON object.
        public static let badJSON = Code(rawValue: "bad-json")
        /// The object lacks `cmd` or has fields of the wrong type.
        public static let badRequest = Code(rawValue: "bad-request")
        public static let unknownCommand = Code(rawValue: "unknown-command")
        /// An argument is missing or has the wrong type.
        public static let badArgs = Code(rawValue: "bad-args")
        /// The request line is over the 64 KiB limit; the connection is closed.
        public static let lineTooLong = Code(rawValue: "line-too-long")
        /// All client slots are taken; the connection is closed.
        public static let tooManyClients = Code(rawValue: "too-many-clients")
        /// The connection sent nothing for the idle timeout (30 s); it is closed.
        public static let idleTimeout = Code(rawValue: "idle-timeout")
        /// The peer runs as another user.
        public static let forbidden = Code(rawValue: "forbidden")
        /// A session is already running and `replace` was not given.
        public static let busy = Code(rawValue: "busy")
        /// The command needs a running or paused session and there is none.
        public static let noSession = Code(rawValue: "no-session")
        /// The command does not apply in the current state (resume while running...).
        public static let wrongState = Code(rawValue: "wrong-state")
        public static let unknownSession = Code(rawValue: "unknown-session")
        /// The script has errors; `message` lists them as file:line:column.
        public static let invalidSession = Code(rawValue: "invalid-session")
        public static let invalidConfig = Code(rawValue: "invalid-config")
        public static let unknownCue = Code(rawValue: "unknown-cue")
        public static let audioUnavailable = Code(rawValue: "audio-unavailable")
        public static let internalError = Code(rawValue: "internal")
    }

    public var code: Code
    public var message: String
    /// Individual problems (validation diagnostics), when there are several.
    public var details: [String]?

    public init(_ code: Code, _ message: String, details: [String]? = nil) {
        self.code = code
        self.message = message
        self.details = details
    }

    public var description: String { message }
}
