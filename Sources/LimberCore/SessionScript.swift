/// A position in a script file, 1-based.
public struct SourceLocation: Sendable, Hashable, Codable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// The whole file (line 0, column 0), for problems with no better place.
    public static let file = SourceLocation(line: 0, column: 0)
}

/// A parsed session script, before includes are resolved and the timeline is flattened.
///
/// Produced by ``SessionScript/parse(text:path:id:)``; compiled by ``TimelineCompiler``.
public struct SessionScript: Sendable, Hashable {
    /// The session id: the file stem (`Sessions/box-breathing.yaml` → `box-breathing`).
    public var id: String
    /// Where the script was read from, as diagnostics name it.
    public var path: String
    public var name: String
    public var kind: SessionKind
    public var description: String
    public var tags: [String]
    /// The countdown before the first step, if any.
    public var leadInMs: Int64?
    public var steps: [ScriptStep]
    /// Where `kind:` is written, for session-wide diagnostics such as heat safety.
    public var kindLocation: SourceLocation
    /// `voice: false`: nothing of this session is spoken.
    public var voice: Bool = true

    public init(
        id: String, path: String, name: String, kind: SessionKind, description: String,
        tags: [String] = [], leadInMs: Int64? = nil, steps: [ScriptStep],
        kindLocation: SourceLocation = .file
    ) {
        self.id = id
        self.path = path
        self.name = name
        self.kind = kind
        self.description = description
        self.tags = tags
        self.leadInMs = leadInMs
        self.steps = steps
        self.kindLocation = kindLocation
    }
}

/// One entry of a script's `steps:` list.
public struct ScriptStep: Sendable, Hashable {
    /// A breathing phase and the cue that announces it.
    public enum BreathPhase: String, Sendable, Hashable, CaseIterable {
        case inhale, hold, exhale
    }

    /// What the step does; the keys of the step decide which case it is.
    public enum Action: Sendable, Hashable {
        /// `do: TEXT` + `for: DUR`.
        case timed(text: String, durationMs: Int64)
        /// `do: TEXT` + `reps: N` + `pace: DUR`: lasts `count × pace`.
        case reps(text: String, count: Int, paceMs: Int64)
        /// `rest: DUR`.
        case rest(durationMs: Int64)
        /// `inhale: DUR`, `hold: DUR` or `exhale: DUR`, with `do:` overriding the text.
        case breath(phase: BreathPhase, text: String?, durationMs: Int64)
        /// `repeat: N` + nested `steps:`.
        case repeatBlock(count: Int, steps: [ScriptStep])
        /// `include: ID`: the steps of another session.
        case include(id: String)
    }

    public var action: Action
    /// `sides: [left, right]`: one segment per side, `switch` between them. Empty: no sides.
    public var sides: [String]
    /// `cue:`, overriding the default opening cue.
    public var cue: Cue?
    /// `countdown: N`: a tick in each of the last N seconds.
    public var countdown: Int
    /// `halfway: true`.
    public var halfway: Bool
    /// `every: DUR`: interval cues strictly inside the step.
    public var everyMs: Int64?
    /// `every-cue:`; nil means the default (`bell`, or `check` in a heat session).
    public var everyCue: Cue?
    /// `every-text:`, words that go with each interval cue.
    public var everyText: String?
    /// `say: TEXT` (spoken instead of the step's text) or `say: false` (nothing spoken).
    public var say: SpokenText?
    /// `count: true`: the reps are counted aloud.
    public var count: Bool = false
    /// Where the step's list item starts.
    public var location: SourceLocation

    public init(
        action: Action, sides: [String] = [], cue: Cue? = nil, countdown: Int = 0,
        halfway: Bool = false, everyMs: Int64? = nil, everyCue: Cue? = nil,
        everyText: String? = nil, location: SourceLocation = .file
    ) {
        self.action = action
        self.sides = sides
        self.cue = cue
        self.countdown = countdown
        self.halfway = halfway
        self.everyMs = everyMs
        self.everyCue = everyCue
        self.everyText = everyText
        self.location = location
    }
}

/// What a step's `say:` asks for.
public enum SpokenText: Sendable, Hashable {
    case text(String)
    case silent
}

/// The text of a session script and where it came from.
public struct SessionSource: Sendable, Hashable {
    public var id: String
    public var path: String
    public var text: String
    /// Why the file could not be read (too large, not UTF-8, unreadable); `text` is empty then.
    public var problem: String?

    public init(id: String, path: String, text: String, problem: String? = nil) {
        self.id = id
        self.path = path
        self.text = text
        self.problem = problem
    }
}

/// Finds sessions by id for `include:`; ``SessionLibrary`` is the file-backed one.
public protocol SessionResolver: Sendable {
    /// The script text of session `id`, or nil when there is none.
    ///
    /// A file that exists but cannot be read is a source with a `problem`.
    func source(forID id: String) -> SessionSource?
    /// Every id this resolver knows, for did-you-mean suggestions.
    var knownIDs: [String] { get }
    /// Session `id` parsed; the default parses ``source(forID:)`` on every call.
    func parsedSession(forID id: String) -> ParsedSession?
}

/// An included session as the compiler needs it: parsed, or why it cannot be read.
public struct ParsedSession: Sendable {
    public var id: String
    public var path: String
    public var result: SessionScript.ParseResult
    /// Why the file could not be read at all; `result` is empty then.
    public var unreadable: String?

    public init(source: SessionSource) {
        id = source.id
        path = source.path
        unreadable = source.problem
        result = source.problem == nil
            ? SessionScript.parse(text: source.text, path: source.path, id: source.id)
            : SessionScript.ParseResult(script: nil, diagnostics: [])
    }
}

extension SessionResolver {
    public func parsedSession(forID id: String) -> ParsedSession? {
        source(forID: id).map(ParsedSession.init(source:))
    }
}

/// Another resolver with every session parsed once up front, so that compiling a script
/// with includes parses only the script itself. Build one per library load (the daemon,
/// on start and reload) and compile against it many times.
public struct PreparsedSessions: SessionResolver {
    public let base: any SessionResolver
    private let parsed: [String: ParsedSession]
    public let knownIDs: [String]

    public init(_ base: any SessionResolver) {
        self.base = base
        let ids = base.knownIDs
        var parsed: [String: ParsedSession] = [:]
        for id in ids {
            if let session = base.parsedSession(forID: id) { parsed[id] = session }
        }
        self.parsed = parsed
        self.knownIDs = ids
    }

    public func source(forID id: String) -> SessionSource? { base.source(forID: id) }

    public func parsedSession(forID id: String) -> ParsedSession? {
        parsed[id] ?? base.parsedSession(forID: id)
    }
}

/// A resolver over scripts held in memory, keyed by id: for tests, and for callers that
/// have no library.
public struct InMemorySessions: SessionResolver {
    public var sources: [String: SessionSource]

    public init(_ texts: [String: String] = [:]) {
        var sources: [String: SessionSource] = [:]
        for (id, text) in texts {
            sources[id] = SessionSource(id: id, path: "\(id).yaml", text: text)
        }
        self.sources = sources
    }

    public func source(forID id: String) -> SessionSource? { sources[id] }
    public var knownIDs: [String] { sources.keys.sorted() }
}
