/// Brings speech to one loudness, level with the cues, whatever the engine's own level.
///
/// Loudness is the RMS over the voiced part (frames above −50 dBFS, so pauses between words
/// do not count), brought to ``targetRMS`` of full scale; then the whole phrase is scaled
/// down if needed so that no sample exceeds `peak`. Both are multiplied by `volume`.
public enum SpeechLevel {
    /// −16 dBFS: speech at this RMS sounds about as loud as the cues' tones at the same volume.
    public static let targetRMS: Float = 0.158
    /// Speech peaks may reach this fraction of full scale before `volume` applies.
    public static let peak: Float = 0.9

    /// `samples` normalised and converted to 16-bit at `volume` (0…1).
    public static func normalise(_ samples: [Float], volume: Double) -> [Int16] {
        let voiced = samples.filter { abs($0) > 0.003 }
        guard !voiced.isEmpty, volume > 0 else { return [Int16](repeating: 0, count: samples.count) }
        let rms = (voiced.reduce(Float(0)) { $0 + $1 * $1 } / Float(voiced.count)).squareRoot()
        let highest = samples.reduce(Float(0)) { max($0, abs($1)) }
        let level = Float(volume)
        var gain = targetRMS * level / max(rms, 1e-6)
        gain = min(gain, peak * level / max(highest, 1e-6))
        return samples.map { Int16(clamping: Int(($0 * gain * 32_767).rounded())) }
    }
}
