import Foundation

/// Signal measurements the tests make on rendered and recorded audio.
enum Signal {
    /// Power of `samples` at `frequency` (Goertzel), normalised by length.
    static func goertzel<C: Collection>(_ samples: C, frequency: Double, sampleRate: Double = 48_000) -> Double
    where C.Element == Int16 {
        let coefficient = 2 * cos(2 * Double.pi * frequency / sampleRate)
        var previous = 0.0, beforePrevious = 0.0
        for sample in samples {
            let current = Double(sample) + coefficient * previous - beforePrevious
            beforePrevious = previous
            previous = current
        }
        let power = previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious
        return power / Double(max(samples.count, 1))
    }

    static func peak(_ samples: [Int16]) -> Int {
        samples.reduce(0) { max($0, abs(Int($1))) }
    }

    static func largestStep(_ samples: [Int16]) -> Int {
        zip(samples, samples.dropFirst()).reduce(0) { max($0, abs(Int($1.1) - Int($1.0))) }
    }

    static func mean(_ samples: [Int16]) -> Double {
        samples.reduce(0.0) { $0 + Double($1) } / Double(max(samples.count, 1))
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1
            ? sorted[sorted.count / 2]
            : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// Sample indices where sound starts after at least `quiet` samples below `threshold`.
    static func onsets(_ samples: [Int16], threshold: Int, quiet: Int) -> [Int] {
        var onsets: [Int] = []
        var silentRun = quiet
        for (index, sample) in samples.enumerated() {
            if abs(Int(sample)) >= threshold {
                if silentRun >= quiet { onsets.append(index) }
                silentRun = 0
            } else {
                silentRun += 1
            }
        }
        return onsets
    }
}
