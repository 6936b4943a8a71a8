import CSoxr

/// Band-limited sample-rate conversion by libsoxr at its high-quality setting (20-bit,
/// steep low-pass below the lower Nyquist): espeak-ng speaks at 22 050 Hz and the stream
/// runs at 48 000 Hz; naive interpolation would image the voice's upper harmonics back
/// into the audible band.
public enum Resampler {
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    /// `samples` at `from` Hz, converted to `to` Hz.
    public static func convert(_ samples: [Float], from: Double, to: Double) throws(Problem) -> [Float] {
        if from == to || samples.isEmpty { return samples }
        let capacity = Int((Double(samples.count) * to / from).rounded(.up)) + 64
        var out = [Float](repeating: 0, count: capacity)
        var done = 0
        var io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I)
        var quality = soxr_quality_spec(UInt(SOXR_HQ), 0)
        let error = samples.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                soxr_oneshot(from, to, 1, input.baseAddress, input.count, nil,
                             output.baseAddress, output.count, &done, &io, &quality, nil)
            }
        }
        if let error {
            throw Problem(description: "resampling from \(Int(from)) Hz failed: \(String(cString: error))")
        }
        out.removeSubrange(done...)
        return out
    }
}
