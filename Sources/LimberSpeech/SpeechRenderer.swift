import Foundation
import LimberCore
import Logging
import Synchronization

/// Turns text into samples ready to mix: synthesised by espeak-ng or the user's
/// `voice.command`, resampled to the stream rate, level-matched, cached on disk.
///
/// A failing `voice.command` falls back to espeak-ng, with one warning per renderer.
public final class SpeechRenderer: Sendable {
    /// The stream's rate; every phrase is rendered at it.
    public static let rate = 48_000

    public struct Counters: Sendable, Equatable {
        /// Phrases an engine was run for.
        public var synthesised = 0
        /// Phrases read from the disk cache.
        public var cached = 0
        /// Phrases `voice.command` failed on (espeak-ng spoke them instead).
        public var fellBack = 0
    }

    public let voice: LimberConfig.Voice
    private let cache: SpeechCache?
    private let logger: Logger
    private let state = Mutex((counters: Counters(), warned: false))

    public init(voice: LimberConfig.Voice, cache: SpeechCache?, logger: Logger) {
        self.voice = voice
        self.cache = cache
        self.logger = logger
    }

    public var counters: Counters { state.withLock { $0.counters } }

    /// `text` at full voice volume (see ``SpeechLevel``); scale by the volume in force.
    public func render(_ text: String) throws -> [Int16] {
        if let command = voice.command {
            let key = "command \(command.joined(separator: " ")) \(voice.rate)\n\(text)"
            if let samples = cache?.load(key: key) {
                state.withLock { $0.counters.cached += 1 }
                return samples
            }
            do {
                let samples = try finish(CommandEngine(argv: command).speak(text))
                state.withLock { $0.counters.synthesised += 1 }
                cache?.store(key: key, samples: samples)
                return samples
            } catch {
                let first = state.withLock { state -> Bool in
                    state.counters.fellBack += 1
                    defer { state.warned = true }
                    return !state.warned
                }
                if first {
                    logger.warning("\(error); speaking with espeak-ng instead (this warning is not repeated)")
                }
            }
        }
        let key = "\(EspeakEngine.version) \(voice.name) \(voice.rate)\n\(text)"
        if let samples = cache?.load(key: key) {
            state.withLock { $0.counters.cached += 1 }
            return samples
        }
        let samples = try finish(EspeakEngine.speak(text, voice: voice.name, rate: voice.rate))
        state.withLock { $0.counters.synthesised += 1 }
        cache?.store(key: key, samples: samples)
        return samples
    }

    private func finish(_ sound: WAVCodec.Sound) throws -> [Int16] {
        let resampled = try Resampler.convert(sound.samples, from: sound.rate, to: Double(Self.rate))
        return SpeechLevel.normalise(Self.trimmed(resampled), volume: 1)
    }

    /// Without the engine's leading and trailing silence: a phrase starts where it is placed.
    static func trimmed(_ samples: [Float]) -> [Float] {
        let threshold: Float = 0.002
        guard let first = samples.firstIndex(where: { abs($0) > threshold }),
              let last = samples.lastIndex(where: { abs($0) > threshold })
        else { return [] }
        return Array(samples[first...last])
    }

    /// `samples` (from ``render(_:)``) at `volume` (0…1).
    public static func scaled(_ samples: [Int16], volume: Double) -> [Int16] {
        if volume >= 1 { return samples }
        let gain = max(0, volume)
        return samples.map { Int16((Double($0) * gain).rounded()) }
    }
}
