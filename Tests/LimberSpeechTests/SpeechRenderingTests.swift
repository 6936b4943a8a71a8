import Foundation
import LimberCore
import Logging
import SoundCheck
import Testing

@testable import LimberSpeech

@Suite("Speech rendering: espeak-ng, resampling, level, WAV, cache")
struct SpeechRenderingTests {
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    @Test("espeak-ng speaks into memory at its own rate, and soxr brings it to 48 kHz without aliasing")
    func espeakAndResampling() throws {
        let sound = try EspeakEngine.speak("Chin tuck. Draw your chin straight back.", voice: "en-us", rate: 160)
        #expect(sound.rate == 22_050)
        #expect(Double(sound.samples.count) / sound.rate > 1.0)
        let resampled = try Resampler.convert(sound.samples, from: sound.rate, to: 48_000)
        let expected = Double(sound.samples.count) * 48_000 / 22_050
        #expect(abs(Double(resampled.count) - expected) < 48, "\(resampled.count) vs \(expected)")
        // Speech sits in the telephone band; above the source's Nyquist (11 kHz) a band-limited
        // resampler leaves next to nothing (images of the voice would show up there).
        let middle = Array(resampled[resampled.count / 4 ..< resampled.count / 4 + 48_000 / 2])
        #expect(bandShare(middle, from: 300, to: 3_400) > 0.5)
        #expect(bandShare(middle, from: 11_500, to: 23_900) < 0.001)
    }

    @Test("a phrase is trimmed to its sound, level-matched, and its peak stays at or under the volume")
    func levels() throws {
        let renderer = SpeechRenderer(voice: LimberConfig.Voice(), cache: nil, logger: logger)
        let quiet = try renderer.render("Rest")
        #expect(!quiet.isEmpty)
        #expect(abs(Int(quiet[0])) > 30, "leading silence was not trimmed: \(quiet.prefix(4))")
        let scaled = SpeechRenderer.scaled(quiet, volume: 0.4)
        let peak = scaled.map { abs(Int($0)) }.max() ?? 0
        #expect(peak <= Int(0.4 * 32_767))
        #expect(peak > Int(0.1 * 32_767))
    }

    @Test("a second render of the same words reads the disk cache: nothing is synthesised")
    func cacheHit() throws {
        let directory = FileManager.default.temporaryDirectory.path + "/limber-speech-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = SpeechRenderer(voice: LimberConfig.Voice(), cache: SpeechCache(directory: directory), logger: logger)
        let samples = try first.render("Halfway")
        #expect(first.counters == SpeechRenderer.Counters(synthesised: 1, cached: 0))
        let second = SpeechRenderer(voice: LimberConfig.Voice(), cache: SpeechCache(directory: directory), logger: logger)
        #expect(try second.render("Halfway") == samples)
        #expect(second.counters == SpeechRenderer.Counters(synthesised: 0, cached: 1))
        // Another rate is another phrase.
        var faster = LimberConfig.Voice()
        faster.rate = 220
        let third = SpeechRenderer(voice: faster, cache: SpeechCache(directory: directory), logger: logger)
        _ = try third.render("Halfway")
        #expect(third.counters.synthesised == 1)
    }

    @Test("the cache stays within its size bound, dropping the least recently used")
    func cacheBound() throws {
        let directory = FileManager.default.temporaryDirectory.path + "/limber-speech-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cache = SpeechCache(directory: directory, limitBytes: 250_000)
        for index in 0..<5 {
            cache.store(key: "k\(index)", samples: [Int16](repeating: Int16(index), count: 50_000))
            usleep(20_000)
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(names.count == 2)
        #expect(cache.load(key: "k4") == [Int16](repeating: 4, count: 50_000))
        #expect(cache.load(key: "k0") == nil)
        // A file under another key's name (a collision, a torn write) is a miss.
        #expect(cache.load(key: "nope") == nil)
    }

    @Test("an unknown espeak-ng voice is refused with what to do")
    func unknownVoice() {
        #expect {
            try EspeakEngine.speak("Rest", voice: "xx-nowhere", rate: 160)
        } throws: { "\($0)".contains("limber voices") }
    }

    @Test("the voices list holds en-us")
    func voices() throws {
        let voices = try EspeakEngine.voices()
        #expect(voices.contains { $0.name == "en-us" }, "\(voices.prefix(5))")
    }
}
