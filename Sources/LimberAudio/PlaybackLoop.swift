import Foundation
import LimberCore
import Logging

/// The playback thread's body: sleeps while idle, runs one stream at a time.
struct PlaybackLoop {
    let core: PlayerCore
    private let bank = CueBank.shared
    private var logger: Logger { core.logger }

    init(core: PlayerCore) {
        self.core = core
    }

    func run() {
        defer {
            core.withState {
                $0.threadExited = true
                $0.status = .idle
                $0.outputLatency = nil
            }
            core.releaseIdleWaiters()
        }
        while true {
            let snapshot = core.waitForWork()
            if snapshot.shuttingDown { return }
            let device = core.withState { state -> String in
                state.openAttempts += 1
                state.openWanted = false
                return state.settings.device
            }
            let stream: PCMStream
            do {
                stream = try PCMStream(device: device, logger: logger)
            } catch {
                reportUnavailable(error)
                continue
            }
            core.withState { $0.status = .playing }
            let outcome = play(on: stream)
            core.withState { state in
                state.outputLatency = nil
                if case .playing = state.status { state.status = .idle }
            }
            if outcome == .shutdown { return }
        }
    }

    private func reportUnavailable(_ error: AudioError) {
        let reason = error.description
        let firstTime = core.withState { state -> Bool in
            let wasUnavailable = if case .unavailable = state.status { true } else { false }
            state.status = .unavailable(reason: reason)
            // Nothing can play: drop what waits rather than replaying it late.
            state.lone.removeAll()
            state.scheduled.removeAll()
            return !wasUnavailable
        }
        if firstTime {
            logger.error("audio unavailable, cues will be silent until the device opens: \(reason)")
        } else {
            logger.debug("audio still unavailable: \(reason)")
        }
    }

    private enum Outcome { case finished, shutdown, failed }

    /// Seconds of audio a stream may be written ahead of the wall clock before the loop
    /// sleeps; well above any real device's buffer plus server latency.
    private static let maximumLead = 0.25

    /// Periods over which the device-versus-monotonic drift is averaged, and the mean
    /// mismatch in seconds that moves the mapping.
    private static let driftWindow = 100
    private static let driftTolerance = 0.015

    /// A cue being mixed into the stream from `startFrame` on.
    private struct Voice {
        var cue: Cue
        var samples: [Int16]
        var startFrame: Int64
        var isLone: Bool
        var endFrame: Int64 { startFrame + Int64(samples.count) }
    }

    /// Feeds `stream` period by period until nothing is left to play and no session runs.
    private func play(on stream: PCMStream) -> Outcome {
        let period = stream.periodFrames
        let rate = Double(CueSynth.sampleRate)
        var voices: [Voice] = []
        var pending: [ScheduledCue] = []
        var lone: [Cue] = []
        var generation = core.withState { $0.cancelGeneration }
        // The instant at which frame 0 is heard; measured once the stream runs.
        var frameZero: ContinuousClock.Instant?
        var mix = [Int32](repeating: 0, count: period)
        var output = [Int16](repeating: 0, count: period)
        let opened = ContinuousClock.now
        var drift: (sum: Double, count: Int) = (0, 0)
        // A PCM that never blocks a write has no clock to drift from.
        var clockless = false

        while true {
            var cancelled = false
            let (settings, sessionActive, shuttingDown) = core.withState { state in
                if state.cancelGeneration != generation {
                    generation = state.cancelGeneration
                    pending.removeAll()
                    cancelled = true
                }
                lone.append(contentsOf: state.lone)
                state.lone.removeAll()
                pending.append(contentsOf: state.scheduled)
                state.scheduled.removeAll()
                return (state.settings, state.sessionActive, state.shuttingDown)
            }
            if shuttingDown {
                stream.dropAndClose()
                return .shutdown
            }
            let written = stream.framesWritten
            if cancelled {
                // Scheduled voices placed but not yet written have not started: drop them too.
                voices.removeAll { !$0.isLone && $0.startFrame >= written }
            }
            if lone.count > CuePlayer.loneQueueCapacity {
                lone.removeFirst(lone.count - CuePlayer.loneQueueCapacity)
            }

            if let frameZero {
                let periodEnd = written + Int64(period)
                pending.removeAll { item in
                    let frame = Int64(((item.instant - frameZero) / .seconds(1) * rate).rounded())
                    guard frame < periodEnd else { return false }
                    let start = max(frame, written)
                    if frame < written {
                        let late = Double(written - frame) / rate * 1000
                        logger.info("cue late", metadata: ["cue": "\(item.cue.rawValue)", "late_ms": "\(Int(late.rounded()))"])
                    }
                    voices.append(Voice(
                        cue: item.cue,
                        samples: bank.samples(for: item.cue, volume: settings.volume(for: item.cue)),
                        startFrame: start, isLone: false))
                    return true
                }
            }
            if !lone.isEmpty, !voices.contains(where: \.isLone) {
                let cue = lone.removeFirst()
                voices.append(Voice(
                    cue: cue, samples: bank.samples(for: cue, volume: settings.volume(for: cue)),
                    startFrame: written, isLone: true))
            }
            if !sessionActive && voices.isEmpty && pending.isEmpty && lone.isEmpty {
                stream.drainAndClose()
                return .finished
            }

            for i in 0..<period { mix[i] = 0 }
            for voice in voices {
                let from = max(voice.startFrame, written)
                let to = min(voice.endFrame, written + Int64(period))
                guard from < to else { continue }
                for frame in from..<to {
                    mix[Int(frame - written)] += Int32(voice.samples[Int(frame - voice.startFrame)])
                }
            }
            for i in 0..<period {
                output[i] = Int16(clamping: mix[i])
            }
            let failure = output.withUnsafeBufferPointer { buffer -> AudioError? in
                do throws(AudioError) {
                    try stream.writePeriod(buffer)
                    return nil
                } catch {
                    return error
                }
            }
            if let error = failure {
                logger.error("audio stream failed: \(error)")
                stream.dropAndClose()
                core.withState { $0.status = .unavailable(reason: error.description) }
                return .failed
            }
            let now = ContinuousClock.now
            voices.removeAll { $0.endFrame <= stream.framesWritten }
            // A PCM without a clock (`null`, `file`) never blocks a write; keep such a stream
            // near real time instead of spinning a core on silence.
            let ahead = Double(stream.framesWritten) / rate - (now - opened) / .seconds(1)
            if sessionActive, ahead > Self.maximumLead {
                clockless = true
                Thread.sleep(forTimeInterval: ahead - Self.maximumLead / 2)
            }

            let delay = stream.delayFrames()
            if let delay {
                core.withState { $0.outputLatency = .seconds(Double(delay) / rate) }
            }
            if frameZero == nil || stream.lostSync, stream.isRunning, let delay {
                // Frame (written − delay) is being heard now.
                let heard = stream.framesWritten - delay
                frameZero = now - .seconds(Double(heard) / rate)
                stream.lostSync = false
                logger.debug("audio clock mapped", metadata: ["delay_frames": "\(delay)"])
            } else if let mapped = frameZero, !clockless, stream.isRunning, let delay {
                // The device's clock and the monotonic clock drift apart (tens of ppm: about
                // 0.2 s an hour). Average the mismatch over a second and re-anchor only when
                // it persists beyond 15 ms, so jitter in snd_pcm_delay never moves a cue.
                let heard = Double(stream.framesWritten - delay)
                let predicted = (now - mapped) / .seconds(1) * rate
                drift.sum += heard - predicted
                drift.count += 1
                if drift.count >= Self.driftWindow {
                    let mean = drift.sum / Double(drift.count)
                    if abs(mean) > Self.driftTolerance * rate {
                        frameZero = mapped - .seconds(mean / rate)
                        logger.debug("audio clock re-anchored", metadata: ["drift_ms": "\(Int(mean / rate * 1000))"])
                    }
                    drift = (0, 0)
                }
            } else if frameZero == nil, stream.framesWritten >= Int64(4 * stream.bufferFrames) {
                // A PCM that reports no delay or never says it runs: assume a full buffer
                // ahead rather than holding scheduled cues forever.
                let heard = stream.framesWritten - Int64(stream.bufferFrames)
                frameZero = now - .seconds(Double(heard) / rate)
                logger.debug("audio clock mapped without snd_pcm_delay")
            }
        }
    }
}
