import Foundation

/// The share of `samples`' energy between `low` and `high` Hz, from Goertzel probes every
/// 100 Hz up to Nyquist: enough to tell speech (300–3400 Hz) from silence, tones or the
/// images a poor resampler leaves above the source's Nyquist.
public func bandShare(_ samples: [Float], rate: Double = 48_000, from low: Double, to high: Double) -> Double {
    var band = 0.0, total = 0.0
    for frequency in stride(from: 100.0, through: rate / 2 - 100, by: 100) {
        let k = 2 * cos(2 * Double.pi * frequency / rate)
        var s1 = 0.0, s2 = 0.0
        for sample in samples {
            let s0 = Double(sample) + k * s1 - s2
            s2 = s1
            s1 = s0
        }
        let power = s1 * s1 + s2 * s2 - k * s1 * s2
        total += power
        if frequency >= low && frequency <= high { band += power }
    }
    return total > 0 ? band / total : 0
}
