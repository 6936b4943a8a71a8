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

    /// Renders a cue as signed 16-bit samples whose peak is `volume` of full scale.
    public static func render(_ cue: Cue, volume: Double) -> [Int16] {
        quantize(render(cue.recipe), volume: volume)
    }

    /// Scales a normalised signal to S16; truncating toward zero keeps the peak ≤ volume.
    static func quantize(_ signal: [Float], volume: Double) -> [Int16] {
        let scale = Float(min(max(volume, 0), 1) * Double(Int16.max))
        return signal.map { Int16(($0 * scale).rounded(.towardZero)) }
    }

    private static func add(_ note: Note, into mix: inout [Double], rate: Double) {
        let first = Int((note.start * rate).rounded())
        let count = min(Int((note.duration * rate).rounded()), mix.count - first)
        guard count > 1 else { return }
        let attack = max(Int(note.attack * rate), 1)
        let release = max(Int(note.release * rate), 2)
        let swell = Int(note.swell * rate)
        let glideSamples = max(note.glideTime * rate, 1)
        let glideRatio = (note.glideTo ?? note.frequency) / note.frequency
        var phases = [Double](repeating: 0, count: note.partials.count)
        let twoPi = 2 * Double.pi
        for i in 0..<count {
            let t = Double(i) / rate
            // Exponential glide: equal musical steps per unit of time.
            let pitch = note.glideTo == nil
                ? note.frequency
                : note.frequency * pow(glideRatio, min(Double(i) / glideSamples, 1))
            var envelope = note.gain
            if i < attack { envelope *= 0.5 - 0.5 * cos(Double.pi * Double(i) / Double(attack)) }
            let tail = count - 1 - i
            if tail < release { envelope *= 0.5 - 0.5 * cos(Double.pi * Double(tail) / Double(release - 1)) }
            if i < swell { envelope *= 0.5 - 0.5 * cos(Double.pi * Double(i) / Double(swell)) }
            if let tremolo = note.tremolo {
                envelope *= 1 - tremolo.depth * (0.5 - 0.5 * cos(twoPi * tremolo.rate * t))
            }
            var sample = 0.0
            for (k, partial) in note.partials.enumerated() {
                var amplitude = partial.amplitude
                if let decay = partial.decay ?? note.decay { amplitude *= exp(-t / decay) }
                sample += amplitude * sin(phases[k])
                phases[k] += twoPi * (pitch * partial.ratio + partial.detune) / rate
                if phases[k] > twoPi { phases[k] -= twoPi }
            }
            mix[first + i] += envelope * sample
        }
    }
}
