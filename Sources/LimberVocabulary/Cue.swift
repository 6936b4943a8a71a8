/// One sound in Limber's fixed cue vocabulary.
///
/// Every cue is synthesised by LimberAudio; scripts name cues by these raw values
/// (`cue: start`, `every-cue: check`).
public enum Cue: String, CaseIterable, Sendable, Codable, Hashable {
    /// A session begins.
    case start
    /// A new instruction begins.
    case step
    /// One countdown tick in the last seconds of a step.
    case tick
    /// The lead-in is over: move now.
    case go
    /// Half of the step has passed.
    case halfway
    /// Change sides (left → right).
    case `switch`
    /// Breathe in (rising glide).
    case inhale
    /// Breathe out (falling glide).
    case exhale
    /// Hold the breath.
    case hold
    /// A rest begins.
    case rest
    /// A singing-bowl-like interval bell.
    case bell
    /// Heat therapy: check your skin.
    case check
    /// A break reminder.
    case `break`
    /// The session is over.
    case end
}
