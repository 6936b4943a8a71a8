/// Finds where each expected cue starts in a recording, by the cue's own rendered samples.
///
/// Pure: given the recording, the rendered samples of every cue kind, and when each cue is
/// expected relative to the first, it says where each one actually is. The first cue is
/// found as the first sound after silence, refined by correlation; every later cue is
/// searched near its expected frame by the normalised cross-correlation of its first 20 ms,
/// so a cue that is missing, merged into another or shifted shows up as such instead of
/// being matched to whatever sound is nearest.
public struct OnsetMatcher {
    public struct Expected: Sendable {
        public var label: String
        public var samples: [Int16]
        /// Seconds after the first expected cue.
        public var offset: Double

        /// Frames of the head correlated (20 ms unless set: speech needs longer, its voiced
        /// start repeats every pitch period).
        public var head: Int = OnsetMatcher.headFrames

        public init(label: String, samples: [Int16], offset: Double, head: Int = OnsetMatcher.headFrames) {
            self.head = head
            self.label = label
            self.samples = samples
            self.offset = offset
        }
    }

    public struct Found: Sendable {
        public var label: String
        /// Where the cue was expected and where it best matched, in recorded frames.
        public var expectedFrame: Int
        public var frame: Int
        /// Normalised correlation at the match, 0–1 (1: exactly the rendered cue).
        public var correlation: Double
        /// found − expected, in milliseconds.
        public var errorMs: Double { Double(frame - expectedFrame) / 48.0 }
    }

    /// A match weaker than this is not the cue (a missing or merged one).
    public static let minimumCorrelation = 0.8
    public static let headFrames = 960

    public let recording: [Int16]
    /// How far from its expected frame a cue is searched for.
    public var radius = 7_200

    public init(recording: [Int16]) {
        self.recording = recording
    }

    /// The first sound above `threshold` after at least 50 ms of quiet (a recording that
    /// starts in the tail of a sound does not count that sound).
    public func firstSound(threshold: Int, from start: Int = 0) -> Int? {
        var quiet = 0
        for index in start..<recording.count {
            if abs(Int(recording[index])) >= threshold {
                if quiet >= 2_400 { return index }
                quiet = 0
            } else {
                quiet += 1
            }
        }
        return nil
    }

    /// Matches every expected cue; nil when the first cannot be found at all.
    ///
    /// The first cue is the first sound in the recording, or, given `firstNear` (a frame
    /// from an absolute clock mapping), the best match within 150 ms of it.
    public func match(_ expected: [Expected], firstNear: Int? = nil) -> [Found]? {
        guard let first = expected.first else { return [] }
        let anchor: (frame: Int, correlation: Double)
        if let firstNear {
            anchor = best(first.samples, around: firstNear, radius: 7_200, head: first.head)
            guard anchor.correlation >= Self.minimumCorrelation else { return nil }
        } else {
            let peak = first.samples.reduce(0) { max($0, abs(Int($1))) }
            guard let rough = firstSound(threshold: max(peak / 10, 200)) else { return nil }
            // The threshold crossing is a little after the true onset (the attack ramps up).
            anchor = best(first.samples, around: rough - 240, radius: 480, head: first.head)
        }
        return expected.map { cue in
            let expectedFrame = anchor.frame + Int((cue.offset * 48_000).rounded())
            let match = best(cue.samples, around: expectedFrame, radius: radius, head: cue.head)
            return Found(label: cue.label, expectedFrame: expectedFrame, frame: match.frame, correlation: match.correlation)
        }
    }

    /// The lag near `around` where `template`'s head correlates best: coarse every 4
    /// frames, then every frame around the best.
    func best(_ template: [Int16], around: Int, radius: Int, head length: Int = headFrames) -> (frame: Int, correlation: Double) {
        let head = template.prefix(length).map(Double.init)
        let energy = head.reduce(0) { $0 + $1 * $1 }
        guard energy > 0 else { return (around, 0) }
        var best = (frame: around, correlation: -1.0)
        func score(_ lag: Int) {
            guard lag >= 0, lag + head.count <= recording.count else { return }
            var dot = 0.0
            var power = 0.0
            recording.withUnsafeBufferPointer { samples in
                head.withUnsafeBufferPointer { head in
                    for index in 0..<head.count {
                        let value = Double(samples[lag + index])
                        dot += head[index] * value
                        power += value * value
                    }
                }
            }
            let correlation = power > 0 ? dot / (energy * power).squareRoot() : 0
            if correlation > best.correlation { best = (lag, correlation) }
        }
        for lag in stride(from: around - radius, through: around + radius, by: 4) { score(lag) }
        let coarse = best.frame
        for lag in (coarse - 4)...(coarse + 4) { score(lag) }
        return (best.frame, max(best.correlation, 0))
    }
}

extension OnsetMatcher {
    /// PipeWire's quantum at 48 kHz in this setup (256 frames), in ms.
    public static let pipewireQuantumMs = 256.0 / 48

    /// Separates what a server did from where the player put each cue: PipeWire inserts
    /// silence in whole quanta when a client's data arrives late. Every rise of a cue's error
    /// over the one before it that is a whole number of quanta (within 0.1 ms) is taken as the
    /// server's and taken off the errors from there on.
    public static func withoutServerInsertions(_ errorsMs: [Double], quantumMs: Double = pipewireQuantumMs)
        -> (errors: [Double], insertedMs: Double)
    {
        var inserted = 0.0
        var corrected: [Double] = []
        for (index, error) in errorsMs.enumerated() {
            if index > 0 {
                let step = error - errorsMs[index - 1]
                let quanta = (step / quantumMs).rounded()
                if quanta >= 1, abs(step - quanta * quantumMs) <= 0.1 { inserted += quanta * quantumMs }
            }
            corrected.append(error - inserted)
        }
        return (corrected, inserted)
    }
}

/// Median, p99 and maximum of absolute values, for the figures the tests and bench print.
public struct ErrorSummary: Sendable, CustomStringConvertible {
    public var count: Int
    public var median: Double
    public var p99: Double
    public var max: Double

    public init(_ values: [Double]) {
        let sorted = values.map(abs).sorted()
        count = sorted.count
        func at(_ fraction: Double) -> Double {
            sorted.isEmpty ? .nan : sorted[Swift.min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))]
        }
        median = at(0.5)
        p99 = at(0.99)
        max = sorted.last ?? .nan
    }

    public var description: String {
        func ms(_ value: Double) -> String { String(format: "%.3f", value) }
        return "\(count) cues: |error| median \(ms(median)) ms, p99 \(ms(p99)) ms, max \(ms(max)) ms"
    }
}
