/// The compiled, flattened form of a session script: what the runner plays and
/// what `limber show` prints.
///
/// All offsets and durations are integer milliseconds from the start of the session,
/// so repeats and includes never introduce rounding.
public struct Timeline: Sendable, Codable, Hashable {
    /// The session id (the script's file stem).
    public var id: String
    public var name: String
    public var kind: SessionKind
    public var description: String
    public var tags: [String]
    /// Ordered, contiguous segments: `segments[i+1].offsetMs == segments[i].endMs`.
    public var segments: [Segment]
    /// Cue events ordered by offset (ties keep script order).
    public var cues: [CueEvent]
    /// Total duration in milliseconds, the end of the last segment.
    public var totalMs: Int64
    /// `voice: false` in the script: nothing is spoken. Nil means true.
    public var voice: Bool?

    public init(
        id: String, name: String, kind: SessionKind, description: String, tags: [String],
        segments: [Segment], cues: [CueEvent], totalMs: Int64
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.description = description
        self.tags = tags
        self.segments = segments
        self.cues = cues
        self.totalMs = totalMs
    }
}

/// One timed span of a compiled timeline.
public struct Segment: Sendable, Codable, Hashable {
    /// What the span is, which decides its default opening cue.
    public enum Role: String, Sendable, Codable, Hashable {
        case leadIn = "lead-in"
        case step
        case rest
        case inhale
        case hold
        case exhale
    }

    /// Position in `Timeline.segments`.
    public var index: Int
    public var role: Role
    /// The instruction as the user reads it ("Hamstring stretch (left)", "Inhale").
    public var text: String
    public var offsetMs: Int64
    public var durationMs: Int64
    /// `left`/`right` for a sided step, nil otherwise.
    public var side: String?
    /// Number of reps for a reps step, nil otherwise.
    public var reps: Int?
    /// `say:`: words spoken instead of the default, or "" for a silent step; nil: the default.
    public var say: String?
    /// `count: true`: reps counted aloud.
    public var count: Bool?
    /// Where the step is written (the include's line for included steps); not encoded.
    public var source: SourceLocation?

    enum CodingKeys: String, CodingKey {
        case index, role, text, offsetMs, durationMs, side, reps, say, count
    }

    public var endMs: Int64 { offsetMs + durationMs }

    public init(
        index: Int, role: Role, text: String, offsetMs: Int64, durationMs: Int64,
        side: String? = nil, reps: Int? = nil
    ) {
        self.index = index
        self.role = role
        self.text = text
        self.offsetMs = offsetMs
        self.durationMs = durationMs
        self.side = side
        self.reps = reps
    }
}

/// A cue to be played at an exact offset of the timeline.
public struct CueEvent: Sendable, Codable, Hashable {
    public var offsetMs: Int64
    public var cue: Cue
    /// Optional words that go with the cue (an interval bell's "Check your skin").
    public var text: String?
    /// The segment the cue belongs to.
    public var segmentIndex: Int

    public init(offsetMs: Int64, cue: Cue, text: String? = nil, segmentIndex: Int) {
        self.offsetMs = offsetMs
        self.cue = cue
        self.text = text
        self.segmentIndex = segmentIndex
    }
}
