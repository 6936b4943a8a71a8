import LimberCore

/// One sine component of a note, relative to the note's frequency.
public struct Partial: Sendable, Hashable {
    /// Frequency as a multiple of the note's (glide-following) frequency.
    public var ratio: Double
    /// Amplitude relative to the other partials.
    public var amplitude: Double
    /// Exponential decay time constant in seconds; `nil` uses the note's.
    public var decay: Double?
    /// A fixed offset in hertz, for slow beating against a neighbouring partial.
    public var detune: Double

    public init(_ ratio: Double, _ amplitude: Double, decay: Double? = nil, detune: Double = 0) {
        self.ratio = ratio
        self.amplitude = amplitude
        self.decay = decay
        self.detune = detune
    }
}

/// One tone inside a cue: a pitch (or a glide), its partials and its envelope.
public struct Note: Sendable {
    /// Offset of the note from the start of the cue, in seconds.
    public var start: Double
    /// Length of the note, ramps included, in seconds.
    public var duration: Double
    /// Pitch in hertz (the glide's starting pitch when `glideTo` is set).
    public var frequency: Double
    /// Glide target in hertz, reached exponentially over `glideTime`, then held.
    public var glideTo: Double?
    /// Seconds the glide takes.
    public var glideTime: Double
    public var partials: [Partial]
    /// Gain of this note relative to the others in the cue.
    public var gain: Double
    /// Raised-cosine attack and release ramps in seconds (5–10 ms: click-free).
    public var attack: Double
    public var release: Double
    /// Exponential decay time constant in seconds; `nil` sustains.
    public var decay: Double?
    /// Raised-cosine swell in seconds after the attack (a soft, breath-like onset).
    public var swell: Double
    /// Tremolo rate in hertz and depth 0–1.
    public var tremolo: (rate: Double, depth: Double)?

    public init(
        at start: Double, for duration: Double, _ frequency: Double,
        glideTo: Double? = nil, glideTime: Double = 0,
        partials: [Partial] = [Partial(1, 1)], gain: Double = 1,
        attack: Double = 0.006, release: Double = 0.008,
        decay: Double? = nil, swell: Double = 0, tremolo: (rate: Double, depth: Double)? = nil
    ) {
        self.start = start
        self.duration = duration
        self.frequency = frequency
        self.glideTo = glideTo
        self.glideTime = glideTime
        self.partials = partials
        self.gain = gain
        self.attack = attack
        self.release = release
        self.decay = decay
        self.swell = swell
        self.tremolo = tremolo
    }
}

/// How one cue is synthesised; docs/cues.md describes each in words.
public struct CueRecipe: Sendable {
    public var notes: [Note]
    /// The frequency carrying most of the cue's energy (what a listener names as its pitch).
    public var dominantFrequency: Double

    /// Total length in seconds.
    public var duration: Double {
        notes.map { $0.start + $0.duration }.max() ?? 0
    }

    /// The highest frequency any partial reaches: bounds the sample-to-sample slope.
    public var highestFrequency: Double {
        notes.flatMap { note in
            note.partials.map { max(note.frequency, note.glideTo ?? 0) * $0.ratio + $0.detune }
        }.max() ?? 0
    }
}

// Pitches of the equal-tempered scale (A4 = 440 Hz) used by the recipes.
private enum Pitch {
    static let e4 = 329.63, g4 = 392.00, a4 = 440.00, b4 = 493.88
    static let c4 = 261.63, fSharp4 = 369.99
    static let c5 = 523.25, d5 = 587.33, e5 = 659.25, f5 = 698.46, fSharp5 = 739.99
    static let g5 = 783.99, a5 = 880.00, b5 = 987.77
    static let c6 = 1046.50, d6 = 1174.66, a6 = 1760.00
}

extension Cue {
    /// The synthesis recipe of this cue.
    public var recipe: CueRecipe {
        let warm = [Partial(1, 1), Partial(2, 0.2), Partial(3, 0.06)]
        switch self {
        case .start:
            // Rising major arpeggio: "here we go".
            return CueRecipe(notes: [
                Note(at: 0.00, for: 0.11, Pitch.c5, partials: warm, gain: 0.8, decay: 0.3),
                Note(at: 0.11, for: 0.11, Pitch.e5, partials: warm, gain: 0.9, decay: 0.3),
                Note(at: 0.22, for: 0.34, Pitch.g5, partials: warm, decay: 0.3),
            ], dominantFrequency: Pitch.g5)
        case .step:
            // One mallet note, bar-like 4th partial, quick decay.
            return CueRecipe(notes: [
                Note(at: 0, for: 0.22, Pitch.a5,
                     partials: [Partial(1, 1), Partial(3.93, 0.12, decay: 0.03)], decay: 0.09),
            ], dominantFrequency: Pitch.a5)
        case .tick:
            // The shortest cue: a 40 ms high blip, quiet enough to repeat every second.
            return CueRecipe(notes: [
                Note(at: 0, for: 0.04, Pitch.a6, attack: 0.005, release: 0.006, decay: 0.02),
            ], dominantFrequency: Pitch.a6)
        case .go:
            // A short pickup and a bright, held upward fourth.
            let bright = [Partial(1, 1), Partial(2, 0.25)]
            return CueRecipe(notes: [
                Note(at: 0.00, for: 0.07, Pitch.g5, partials: bright, gain: 0.8),
                Note(at: 0.09, for: 0.27, Pitch.c6, partials: bright, decay: 0.2),
            ], dominantFrequency: Pitch.c6)
        case .halfway:
            // Two equal taps on one pitch.
            let soft = [Partial(1, 1), Partial(3, 0.1)]
            return CueRecipe(notes: [
                Note(at: 0.00, for: 0.12, Pitch.f5, partials: soft, decay: 0.1),
                Note(at: 0.20, for: 0.12, Pitch.f5, partials: soft, decay: 0.1),
            ], dominantFrequency: Pitch.f5)
        case .switch:
            // Low–high–low, like a sound moving across and back.
            let body = [Partial(1, 1), Partial(2, 0.15)]
            return CueRecipe(notes: [
                Note(at: 0.00, for: 0.10, Pitch.d5, partials: body, decay: 0.15),
                Note(at: 0.12, for: 0.10, Pitch.b5, partials: body, gain: 0.8, decay: 0.15),
                Note(at: 0.24, for: 0.14, Pitch.d5, partials: body, decay: 0.15),
            ], dominantFrequency: Pitch.d5)
        case .inhale:
            // An octave glide up, swelling in like a breath, then held at the top.
            return CueRecipe(notes: [
                Note(at: 0, for: 0.85, Pitch.fSharp4, glideTo: Pitch.fSharp5, glideTime: 0.5,
                     partials: [Partial(1, 1), Partial(2, 0.12)],
                     attack: 0.01, release: 0.01, swell: 0.25),
            ], dominantFrequency: Pitch.fSharp5)
        case .exhale:
            // The mirror of inhale: an octave glide down, fading out at the bottom.
            return CueRecipe(notes: [
                Note(at: 0, for: 0.85, Pitch.fSharp5, glideTo: Pitch.fSharp4, glideTime: 0.5,
                     partials: [Partial(1, 1), Partial(2, 0.12)],
                     attack: 0.01, release: 0.01, decay: 0.9),
            ], dominantFrequency: Pitch.fSharp4)
        case .hold:
            // A level tone with a slow tremolo: nothing moves, keep still.
            return CueRecipe(notes: [
                Note(at: 0, for: 0.6, Pitch.b4, partials: [Partial(1, 1), Partial(2, 0.1), Partial(3, 0.05)],
                     attack: 0.01, release: 0.01, swell: 0.08, tremolo: (rate: 5, depth: 0.3)),
            ], dominantFrequency: Pitch.b4)
        case .rest:
            // A low falling fourth, warm and soft: relax.
            let mellow = [Partial(1, 1), Partial(2, 0.3), Partial(3, 0.1)]
            return CueRecipe(notes: [
                Note(at: 0.00, for: 0.14, Pitch.a4, partials: mellow, gain: 0.8, attack: 0.01, decay: 0.3),
                Note(at: 0.16, for: 0.45, Pitch.e4, partials: mellow, attack: 0.01, decay: 0.35),
            ], dominantFrequency: Pitch.e4)
        case .bell:
            // Singing bowl: struck, inharmonic partials (1 : 2.76 : 5.40 : 8.93) that die away
            // at different rates, the fundamental beating slowly against a detuned twin.
            return CueRecipe(notes: [
                Note(at: 0, for: 4.0, Pitch.c4, partials: [
                    Partial(1, 1, decay: 1.5),
                    Partial(1, 0.35, decay: 1.5, detune: 0.9),
                    Partial(2.756, 0.45, decay: 0.9),
                    Partial(5.404, 0.22, decay: 0.5),
                    Partial(8.933, 0.10, decay: 0.3),
                ], attack: 0.005, release: 0.01),
            ], dominantFrequency: Pitch.c4)
        case .check:
            // Three quick high taps: attention, look at your skin.
            return CueRecipe(notes: [0.0, 0.13, 0.26].map {
                Note(at: $0, for: 0.08, Pitch.d6, decay: 0.06)
            }, dominantFrequency: Pitch.d6)
        case .break:
            // A soft two-note door chime, falling a major third.
            return CueRecipe(notes: [
                Note(at: 0.00, for: 0.28, Pitch.e5, partials: warm, gain: 0.9, attack: 0.01, decay: 0.35),
                Note(at: 0.30, for: 0.60, Pitch.c5, partials: warm, attack: 0.01, decay: 0.45),
            ], dominantFrequency: Pitch.c5)
        case .end:
            // Falling major arpeggio (the mirror of start) settling on a long low note.
            let ring = [Partial(1, 1), Partial(2, 0.3), Partial(3, 0.12), Partial(4.2, 0.05, decay: 0.2)]
            return CueRecipe(notes: [
                Note(at: 0.00, for: 0.14, Pitch.e5, partials: warm, gain: 0.8, decay: 0.3),
                Note(at: 0.16, for: 0.14, Pitch.c5, partials: warm, gain: 0.9, decay: 0.3),
                Note(at: 0.32, for: 0.80, Pitch.g4, partials: ring, attack: 0.008, release: 0.01, decay: 0.5),
            ], dominantFrequency: Pitch.g4)
        }
    }
}
