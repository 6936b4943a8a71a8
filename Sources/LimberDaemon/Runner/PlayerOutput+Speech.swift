import Foundation
import LimberAudio
import LimberCore
import LimberSpeech
import Logging
import Synchronization

/// The spoken guidance of the session being played: its phrases rendered before it starts,
/// held until it ends.
struct SpeechState: Sendable {
    var renderer: SpeechRenderer?
    /// `audio.volume × voice.volume`.
    var volume: Double
    /// The current session's phrases by line, at `volume`; emptied when it ends.
    var phrases: [[Int16]] = []
    /// Speech threads still rendering: shutdown lets them finish (they are short) rather
    /// than exit under them.
    var rendering = 0
}

extension PlayerOutput {
    /// Renders (or reads from the cache) every phrase of `timeline` and returns the lines
    /// to schedule; none when the voice is off, the session says `voice: false`, or no
    /// engine works (logged once per session with what to do).
    public func prepareSpeech(for timeline: Timeline) async -> [SpokenLine] {
        let (renderer, volume) = speech.withLock { ($0.renderer, $0.volume) }
        guard let renderer, volume > 0 else { return [] }
        let lines = SpeechPlan.lines(for: timeline, cueLengthMs: CueSynth.lengthMs)
        guard !lines.isEmpty else { return [] }
        let logger = self.logger
        let rendered: [[Int16]] = await withCheckedContinuation { continuation in
            // Synthesis blocks: on a thread of its own, not the daemon's executors.
            speech.withLock { $0.rendering += 1 }
            let thread = Thread { [self] in
                defer { speech.withLock { $0.rendering -= 1 } }
                var phrases: [[Int16]] = []
                var failure: String?
                for line in lines {
                    do {
                        phrases.append(SpeechRenderer.scaled(try renderer.render(line.text), volume: volume))
                    } catch {
                        failure = failure ?? "\(error)"
                        phrases.append([])
                    }
                }
                if let failure {
                    logger.warning("some of the session's words cannot be spoken; its cues play as usual: \(failure)")
                }
                continuation.resume(returning: phrases)
            }
            thread.name = "limber-speech"
            thread.start()
        }
        speech.withLock { $0.phrases = rendered }
        return lines
    }

    /// Schedules phrase `line` (of the last ``prepareSpeech(for:)``) to be heard at `instant`,
    /// silent from `silentFrom` on.
    public func scheduleSpeech(_ line: Int, at instant: ContinuousClock.Instant, silentFrom: ContinuousClock.Instant?) {
        let samples = speech.withLock { $0.phrases.indices.contains(line) ? $0.phrases[line] : [] }
        guard !samples.isEmpty else { return }
        player.scheduleSpeech(samples, at: instant, silentFrom: silentFrom)
    }

    /// Speaks `phrases` after what is playing, rendered on a thread of its own.
    public func announce(_ phrases: [String]) {
        let (renderer, volume) = speech.withLock { ($0.renderer, $0.volume) }
        guard let renderer, volume > 0, !phrases.isEmpty else { return }
        let player = self.player
        let logger = self.logger
        speech.withLock { $0.rendering += 1 }
        let thread = Thread { [self] in
            defer { speech.withLock { $0.rendering -= 1 } }
            for phrase in phrases {
                do {
                    player.play(samples: SpeechRenderer.scaled(try renderer.render(phrase), volume: volume))
                } catch {
                    logger.warning("cannot speak '\(phrase)': \(error)")
                }
            }
        }
        thread.name = "limber-speech"
        thread.start()
    }

    /// Waits up to `limit` for speech threads still rendering (shutdown).
    func waitForSpeechThreads(limit: Duration = .seconds(3)) {
        let end = ContinuousClock.now + limit
        while speech.withLock({ $0.rendering }) > 0, ContinuousClock.now < end {
            usleep(5_000)
        }
    }

    /// Forgets the session's phrases (what is already queued still plays).
    public func releaseSpeech() {
        speech.withLock { $0.phrases = [] }
    }

    /// Applies `voice:` and `audio.volume` (start and config reload).
    public func update(voice: LimberConfig.Voice, audioVolume: Double, cacheDirectory: String?) {
        let renderer = voice.enabled
            ? SpeechRenderer(voice: voice, cache: cacheDirectory.map { SpeechCache(directory: $0) }, logger: logger)
            : nil
        speech.withLock {
            $0.renderer = renderer
            $0.volume = audioVolume * voice.volume
        }
    }

    /// The speech renderer's counters (tests and `limber-bench`).
    public var speechCounters: SpeechRenderer.Counters? {
        speech.withLock { $0.renderer?.counters }
    }
}
