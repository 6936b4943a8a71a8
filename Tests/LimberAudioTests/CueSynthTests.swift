import Foundation
import LimberAudio
import LimberCore
import Testing

@Suite("Cue synthesis")
struct CueSynthTests {
    @Test("every cue is click-free at both ends and has no DC", arguments: Cue.allCases)
    func edgesAndDC(cue: Cue) {
        let samples = CueBank.shared.samples(for: cue, volume: 1)
        #expect(samples.count == Int((cue.recipe.duration * 48_000).rounded(.up)))
        #expect(abs(Int(samples[0])) <= 1)
        #expect(abs(Int(samples[samples.count - 1])) <= 1)
        // Mean below 0.5 % of full scale: nothing for a speaker cone to push against.
        #expect(abs(Signal.mean(samples)) < 0.005 * 32_767, "DC \(Signal.mean(samples))")
    }

    @Test("no sample-to-sample jump beyond what the highest partial can produce", arguments: Cue.allCases)
    func noClicks(cue: Cue) {
        let samples = CueBank.shared.samples(for: cue, volume: 1)
        // A sine of amplitude A at f moves at most A·2πf/fs per sample; allow 1.5× for
        // partials adding up, plus rounding. A hard edge would jump by up to the full amplitude.
        let bound = Double(Signal.peak(samples)) * 2 * Double.pi * cue.recipe.highestFrequency / 48_000 * 1.5 + 2
        #expect(Double(Signal.largestStep(samples)) <= bound, "largest step \(Signal.largestStep(samples)) > \(bound)")
    }

    @Test("a hard-edged tone fails the click bound the cues pass")
    func clickBoundCanFail() {
        let step = 2 * Double.pi * 880 / 48_000
        let hard: [Int16] = (0..<4_800).map { index in
            let phase = step * Double(index)
            return Int16(16_000 * cos(phase))
        }
        let bound = Double(Signal.peak(hard)) * 2 * Double.pi * 880 / 48_000 * 1.5 + 2
        #expect(Double(abs(Int(hard[0]))) > bound)
    }

    @Test("peak is at most the volume and scales with it", arguments: Cue.allCases)
    func peakScales(cue: Cue) {
        for volume in [0.1, 0.5, 1.0] {
            let peak = Signal.peak(CueBank.shared.samples(for: cue, volume: volume))
            #expect(Double(peak) <= volume * 32_767)
            #expect(Double(peak) >= volume * 32_767 - 2)
        }
        #expect(CueBank.shared.samples(for: cue, volume: 0).allSatisfy { $0 == 0 })
    }

    @Test("the documented dominant frequency carries more energy than any other cue's", arguments: Cue.allCases)
    func dominantFrequency(cue: Cue) {
        let samples = CueBank.shared.samples(for: cue, volume: 1)
        let own = Signal.goertzel(samples, frequency: cue.recipe.dominantFrequency)
        for other in Cue.allCases where other != cue {
            let frequency = other.recipe.dominantFrequency
            #expect(own > 2 * Signal.goertzel(samples, frequency: frequency),
                    "\(cue) at \(frequency) Hz rivals its own \(cue.recipe.dominantFrequency) Hz")
        }
    }

    @Test("cues are distinct: no two share a dominant frequency")
    func distinct() {
        let frequencies = Cue.allCases.map(\.recipe.dominantFrequency)
        #expect(Set(frequencies).count == Cue.allCases.count)
        for a in frequencies {
            for b in frequencies where a < b {
                // At least about a semitone apart (2^(1/12) ≈ 1.059).
                #expect(b / a > 1.05, "\(a) Hz and \(b) Hz are too close to tell apart")
            }
        }
    }

    @Test("tick is the shortest cue; bell rings for seconds")
    func lengths() {
        let durations = Dictionary(uniqueKeysWithValues: Cue.allCases.map { ($0, $0.recipe.duration) })
        #expect(durations[.tick] == durations.values.min())
        #expect((durations[.tick] ?? 1) <= 0.05)
        #expect((durations[.bell] ?? 0) >= 3)
    }

    @Test("inhale rises and exhale falls")
    func glides() {
        for (cue, rising) in [(Cue.inhale, true), (Cue.exhale, false)] {
            let samples = CueBank.shared.samples(for: cue, volume: 1)
            let low = 369.99, high = 739.99
            let head = samples.prefix(9_600), tail = samples.suffix(9_600)
            let headIsLow = Signal.goertzel(head, frequency: low) > Signal.goertzel(head, frequency: high)
            let tailIsHigh = Signal.goertzel(tail, frequency: high) > Signal.goertzel(tail, frequency: low)
            #expect(headIsLow == rising, "\(cue) head")
            #expect(tailIsHigh == rising, "\(cue) tail")
        }
    }

    @Test("the bell decays exponentially over seconds")
    func bellDecays() {
        let samples = CueBank.shared.samples(for: .bell, volume: 1)
        let second = 48_000
        let peaks = (0..<3).map { Signal.peak(Array(samples[($0 * second)..<(($0 + 1) * second)])) }
        #expect(peaks[0] > peaks[1] && peaks[1] > peaks[2])
        #expect(peaks[2] > 0)
    }

    @Test("the bank caches and matches a fresh render")
    func bank() {
        let bank = CueBank()
        let first = bank.samples(for: .go, volume: 0.3)
        #expect(first == CueSynth.render(.go, volume: 0.3))
        #expect(bank.samples(for: .go, volume: 0.3) == first)
        #expect(CueBank.renderAll(volume: 0.3).count == Cue.allCases.count)
    }

    @Test("the bank keeps only the S16 samples of each volume it was asked for")
    func bankHoldsOnlyScaledSamples() {
        let bank = CueBank()
        let quiet = bank.samples(for: .bell, volume: 0.2)
        let loud = bank.samples(for: .bell, volume: 0.8)
        _ = bank.samples(for: .bell, volume: 0.8)
        #expect(loud == CueSynth.render(.bell, volume: 0.8))
        #expect(bank.heldSamples == quiet.count + loud.count)
    }

    @Test("WAV encoding round-trips")
    func wavRoundTrip() {
        let samples = CueSynth.render(.tick, volume: 0.5)
        let decoded = WAVFile.decode(WAVFile.encode(samples))
        #expect(decoded?.sampleRate == 48_000)
        #expect(decoded?.samples == samples)
    }
}
