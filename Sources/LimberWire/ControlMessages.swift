import LimberVocabulary

/// The version of the newline-delimited JSON control protocol (docs/protocol.md).
public let controlProtocolVersion = 1

/// Limber's release version, reported by `hello` and `--version`.
public let limberVersion = "0.1.0"

/// One request line: `{"id":..,"cmd":..,"args":{..}}`.
public struct ControlRequest: Sendable, Hashable, Codable {
    /// Echoed back unchanged in the reply; any JSON value.
    public var id: JSONValue?
    public var cmd: String
    public var args: [String: JSONValue]?

    public init(id: JSONValue? = nil, cmd: String, args: [String: JSONValue]? = nil) {
        self.id = id
        self.cmd = cmd
        self.args = args
    }
}

/// One reply line: `{"id":..,"ok":true,"result":..}` or `{"id":..,"ok":false,"error":{..}}`.
public struct ControlReply<Result: Codable & Sendable>: Sendable, Codable {
    public var id: JSONValue?
    public var ok: Bool
    public var result: Result?
    public var error: ControlError?

    public init(id: JSONValue?, result: Result) {
        self.id = id
        self.ok = true
        self.result = result
        self.error = nil
    }

    public init(id: JSONValue?, error: ControlError) {
        self.id = id
        self.ok = false
        self.result = nil
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case id, ok, result, error
    }

    /// Always writes `id`, as `null` when the request had none, so every reply can be matched.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id ?? .null, forKey: .id)
        try container.encode(ok, forKey: .ok)
        try container.encodeIfPresent(result, forKey: .result)
        try container.encodeIfPresent(error, forKey: .error)
    }
}

/// The result of a command that has nothing more to say than "done".
public struct Empty: Sendable, Hashable, Codable {
    public init() {}
}

/// `hello`'s result.
public struct HelloResult: Sendable, Hashable, Codable {
    public var protocolVersion: Int
    public var version: String
    public var pid: Int32

    public init(protocolVersion: Int, version: String, pid: Int32) {
        self.protocolVersion = protocolVersion
        self.version = version
        self.pid = pid
    }

    enum CodingKeys: String, CodingKey {
        case protocolVersion = "protocol"
        case version
        case pid
    }
}

/// What the session runner is doing.
public enum RunnerState: String, Sendable, Hashable, Codable {
    case idle
    case running
    case paused
}

/// `status`'s result: everything a status bar needs.
public struct StatusResult: Sendable, Hashable, Codable {
    public var state: RunnerState
    /// The running or paused session, nil when idle.
    public var session: SessionProgress?
    public var audio: AudioReport
    /// The next break, when the scheduler has one.
    public var nextBreak: NextBreak?
    /// The daemon's monotonic clock now, in seconds: the clock of events' `mono`, `due` and
    /// `heard`, so a client can tell how far off a due instant is.
    public var mono: Double?
    /// The program being followed, when one is (docs/programs.md).
    public var program: ProgramState?
    /// Whether you are at the desk, when the daemon tracks breaks.
    public var presence: PresenceReport?

    public init(
        state: RunnerState, session: SessionProgress?, audio: AudioReport, nextBreak: NextBreak? = nil, mono: Double? = nil,
        program: ProgramState? = nil, presence: PresenceReport? = nil
    ) {
        self.state = state
        self.session = session
        self.audio = audio
        self.nextBreak = nextBreak
        self.mono = mono
        self.program = program
        self.presence = presence
    }
}

/// `status`'s `presence`: at the desk, or away since when and why.
public struct PresenceReport: Sendable, Hashable, Codable {
    /// `present` or `away`.
    public var state: String
    /// When the absence began, ISO 8601 (away only).
    public var since: String?
    /// What began it: `manual`, `locked`, `idle` or `suspend` (away only).
    public var source: String?

    public init(state: String, since: String? = nil, source: String? = nil) {
        self.state = state
        self.since = since
        self.source = source
    }
}

/// Where a running or paused session stands.
public struct SessionProgress: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var kind: SessionKind
    /// 0-based index of the current segment.
    public var step: Int
    public var steps: Int
    public var stepText: String
    public var stepRemainingMs: Int64
    public var stepDurationMs: Int64
    public var elapsedMs: Int64
    public var totalMs: Int64

    public init(
        id: String, name: String, kind: SessionKind, step: Int, steps: Int, stepText: String,
        stepRemainingMs: Int64, stepDurationMs: Int64, elapsedMs: Int64, totalMs: Int64
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.step = step
        self.steps = steps
        self.stepText = stepText
        self.stepRemainingMs = stepRemainingMs
        self.stepDurationMs = stepDurationMs
        self.elapsedMs = elapsedMs
        self.totalMs = totalMs
    }

    /// Fraction of the session done, 0...1.
    public var progress: Double {
        totalMs > 0 ? min(1, max(0, Double(elapsedMs) / Double(totalMs))) : 1
    }
}

/// The audio output as `status` reports it.
public struct AudioReport: Sendable, Hashable, Codable {
    /// `idle`, `playing` or `unavailable`.
    public var state: String
    public var device: String
    /// Why the device could not be used, when unavailable.
    public var reason: String?
    /// Output latency measured while a stream is open.
    public var latencyMs: Double?
    /// How long the last session's stream took to be seen playing (its pre-roll).
    public var prerollMs: Double?
    /// Cues played late (each logged with its reason), since the daemon started.
    public var lateCues: Int?
    /// Cues never heard (due while the device was unavailable), since the daemon started.
    public var lostCues: Int?
    /// Times the audio clock was measured again mid-stream, since the daemon started.
    public var clockRemeasured: Int?

    public init(state: String, device: String, reason: String? = nil, latencyMs: Double? = nil) {
        self.state = state
        self.device = device
        self.reason = reason
        self.latencyMs = latencyMs
    }
}

/// The next break the scheduler will announce.
public struct NextBreak: Sendable, Hashable, Codable {
    public var kind: String
    /// Wall-clock time it is due, ISO 8601.
    public var due: String
    public var inMs: Int64

    public init(kind: String, due: String, inMs: Int64) {
        self.kind = kind
        self.due = due
        self.inMs = inMs
    }
}

/// One entry of `sessions`'s result.
public struct SessionSummary: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var kind: SessionKind
    public var totalMs: Int64
    public var path: String

    public init(id: String, name: String, kind: SessionKind, totalMs: Int64, path: String) {
        self.id = id
        self.name = name
        self.kind = kind
        self.totalMs = totalMs
        self.path = path
    }
}

/// `sessions`'s result: the valid sessions, and the files that failed to load.
public struct SessionsResult: Sendable, Hashable, Codable {
    public var sessions: [SessionSummary]
    /// `file:line:column: message` for each session file that does not validate.
    public var problems: [String]

    public init(sessions: [SessionSummary], problems: [String]) {
        self.sessions = sessions
        self.problems = problems
    }
}

/// `reload`'s result.
public struct ReloadResult: Sendable, Hashable, Codable {
    public var sessions: Int
    public var problems: [String]

    public init(sessions: Int, problems: [String]) {
        self.sessions = sessions
        self.problems = problems
    }
}

/// `watch`'s first reply; events follow, one per line.
public struct WatchResult: Sendable, Hashable, Codable {
    public var status: StatusResult

    public init(status: StatusResult) {
        self.status = status
    }
}

/// The result of a break command: what happened, and the status after it.
public struct BreakActionResult: Sendable, Hashable, Codable {
    public var message: String
    public var status: StatusResult

    public init(message: String, status: StatusResult) {
        self.message = message
        self.status = status
    }
}

/// `config`'s result: the effective configuration as YAML.
public struct ConfigResult: Sendable, Hashable, Codable {
    public var path: String
    public var yaml: String

    public init(path: String, yaml: String) {
        self.path = path
        self.yaml = yaml
    }
}
