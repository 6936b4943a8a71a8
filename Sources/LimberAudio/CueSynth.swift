import Foundation
import LimberCore

/// Renders cue recipes to samples: pure arithmetic, no I/O.
public enum CueSynth {
    /// The one sample rate of Limber's audio: 48 kHz mono.
    public static let sampleRate = 48_000

    /// Renders a recipe normalised to a peak of exactly 1.
    public static func render(_ recipe: CueRecipe) -> [Float] {
        let rate = Double(sampleRate)
        let length = Int((recipe.duration * rate).rounded(.up))
        var mix = [Double](repeating: 0, count: length)
        for note in recipe.notes {
            add(note, into: &mix, rate: rate)
        }
        let peak = mix.reduce(0) { max($0, abs($1)) }
        guard peak > 0 else { return [Float](repeating: 0, count: length) }
        return mix.map { Float($0 / peak) }
    }

    /// How long `cue` sounds, in whole milliseconds (rounded up).
    @Sendable public static func lengthMs(_ cue: Cue) -> Int64 {
        Int64((cue.recipe.duration * 1000).rounded(.up))
    }

    /// Renders a cue as signed 16-bit samples whose peak is `volume` of full scale.
    public static func render(_ cue: Cue, volume: Double) -> [Int16] {
        quantize(render(cue.recipe), volume: volume)
    }

    /// Scales a normalised signal to S16; truncating toward zero keeps the peak ≤ volume.
    static func quantize(_ signal: [Float], volume: Double) -> [Int16] {
        let scale = Float(min(max(volume, 0), 1) * Double(Int16.max))
        return signal.map { Int16(($0 * scale).rounded(.towardZero)) }
    }

    /// One partial as a rotating phasor: a multiply per sample instead of `sin` and `exp`
    /// (rendering the vocabulary stays far below a frame of video).
    private struct Oscillator {
        var cosine = 1.0, sine = 0.0
        var amplitude: Double
        var decayStep: Double
        var stepCosine = 1.0, stepSine = 0.0

        /// Sets the per-sample rotation; a Taylor series is exact to ~1e-9 below 0.5 rad.
        mutating func setStep(_ angle: Double, exact: Bool) {
            if exact {
                stepCosine = cos(angle)
                stepSine = sin(angle)
            } else {
                let a2 = angle * angle
                stepCosine = 1 - a2 / 2 * (1 - a2 / 12 * (1 - a2 / 30 * (1 - a2 / 56)))
                stepSine = angle * (1 - a2 / 6 * (1 - a2 / 20 * (1 - a2 / 42 * (1 - a2 / 72))))
            }
        }

        mutating func next() -> Double {
            let value = amplitude * sine
            amplitude *= decayStep
            let rotatedCosine = cosine * stepCosine - sine * stepSine
            sine = cosine * stepSine + sine * stepCosine
            cosine = rotatedCosine
            return value
        }

        mutating func renormalise() {
            let magnitude = (cosine * cosine + sine * sine).squareRoot()
            cosine /= magnitude
            sine /= magnitude
        }
    }

    private static func add(_ note: Note, into mix: inout [Double], rate: Double) {
        let first = Int((note.start * rate).rounded())
        let count = min(Int((note.duration * rate).rounded()), mix.count - first)
        guard count > 1 else { return }
        let attack = max(Int(note.attack * rate), 1)
        let release = max(Int(note.release * rate), 2)
        let swell = Int(note.swell * rate)
        let glideSamples = max(note.glideTime * rate, 1)
        let twoPi = 2 * Double.pi
        // Exponential glide: equal musical steps per unit of time, a constant ratio per sample.
        let glideStep = note.glideTo.map { pow($0 / note.frequency, 1 / glideSamples) } ?? 1
        var oscillators = note.partials.map { partial in
            var oscillator = Oscillator(
                amplitude: partial.amplitude,
                decayStep: (partial.decay ?? note.decay).map { exp(-1 / ($0 * rate)) } ?? 1)
            oscillator.setStep(twoPi * (note.frequency * partial.ratio + partial.detune) / rate, exact: true)
            return oscillator
        }
        var pitch = note.frequency
        for i in 0..<count {
            var envelope = note.gain
            if i < attack { envelope *= 0.5 - 0.5 * cos(Double.pi * Double(i) / Double(attack)) }
            let tail = count - 1 - i
            if tail < release { envelope *= 0.5 - 0.5 * cos(Double.pi * Double(tail) / Double(release - 1)) }
            if i < swell { envelope *= 0.5 - 0.5 * cos(Double.pi * Double(i) / Double(swell)) }
            if let tremolo = note.tremolo {
                envelope *= 1 - tremolo.depth * (0.5 - 0.5 * cos(twoPi * tremolo.rate * Double(i) / rate))
            }
            var sample = 0.0
            for k in oscillators.indices {
                sample += oscillators[k].next()
            }
            mix[first + i] += envelope * sample
            if note.glideTo != nil, Double(i) < glideSamples {
                pitch *= glideStep
                for (k, partial) in note.partials.enumerated() {
                    oscillators[k].setStep(twoPi * (pitch * partial.ratio + partial.detune) / rate, exact: false)
                }
            }
            if i & 1023 == 1023 {
                for k in oscillators.indices { oscillators[k].renormalise() }
            }
        }
    }
}
