import CALSA
import Foundation
import LimberCore
import Logging

/// The playback thread's body: sleeps while idle, runs one stream at a time.
///
/// Thin on purpose: the timing decisions are made by ``PlaybackClock`` (which frame is
/// heard when), ``CueMixer`` (where each cue goes, what a stretch of stream holds) and
/// ``StreamPacing`` (how much to write, how long to sleep); this loop reads the device,
/// feeds them, and writes what they produce.
struct PlaybackLoop {
    let core: PlayerCore
    private var logger: Logger { core.logger }

    init(core: PlayerCore) {
        self.core = core
    }

    /// The session cues not yet placed, kept across streams: a device that goes away and
    /// comes back does not lose the session's future cues.
    private final class Pending {
        var cues: [ScheduledCue] = []
        var generation = 0
    }

    func run() {
        // Named from the thread itself: that is when Foundation passes it to the kernel.
        Thread.current.name = "limber-audio"
        let priority = AudioThreadPriority.raise()
        logger.debug("audio thread scheduling: \(priority)")
        defer {
            core.withState {
                $0.threadExited = true
                $0.status = .idle
                $0.outputLatency = nil
            }
            core.releaseIdleWaiters()
        }
        let pending = Pending()
        var retry: Double?
        while true {
            let snapshot = core.waitForWork(retryAfter: retry)
            if snapshot.shuttingDown { return }
            guard snapshot.hasWork || (snapshot.sessionActive && retry != nil) else {
                retry = nil
                continue
            }
            let device = core.withState { state -> String in
                state.openAttempts += 1
                state.openWanted = false
                return state.settings.device
            }
            let stream: PCMStream
            do {
                stream = try PCMStream(device: device, startFrames: Self.startFrames, logger: logger)
            } catch {
                retry = reportUnavailable(error, pending: pending)
                continue
            }
            retry = nil
            core.withState { $0.status = .playing }
            let outcome = play(on: stream, pending: pending)
            let sessionGoesOn = core.withState { state -> Bool in
                state.outputLatency = nil
                state.writtenUntil = nil
                state.sessionReady = false
                if case .playing = state.status { state.status = .idle }
                return state.sessionActive
            }
            switch outcome {
            case .shutdown: return
            case .failed: retry = sessionGoesOn ? PlayerCore.seconds(CuePlayer.reopenInterval) : nil
            case .finished: break
            }
        }
    }

    static let rate = Double(CueSynth.sampleRate)
    /// The stream starts once this much is written (one write of the default pacing).
    static let startFrames = 1_440
    /// A running stream that plays nothing for this long has failed (the server died without
    /// the plugin saying so): it is closed and the device retried.
    static let stallLimit = 0.5
    /// The same before the stream was first seen consuming: servers take a while to start.
    static let startLimit = 3.0
    /// A session cue that would be heard later than this after its instant (the stream came
    /// back after it was due) is dropped and counted lost rather than played out of place.
    static let lateLimit = 0.25
    /// Seconds a phrase may start late before it is skipped instead.
    static let speechLateLimit = 0.1

    /// Marks the device unavailable; returns when to try again (during a session).
    private func reportUnavailable(_ error: AudioError, pending: Pending) -> Double? {
        let reason = error.description
        let (firstTime, lost, session) = core.withState { state -> (Bool, Int, Bool) in
            let wasUnavailable = if case .unavailable = state.status { true } else { false }
            state.status = .unavailable(reason: reason)
            // Nothing can play: lone cues and session cues already due are dropped rather
            // than replayed late; the session's later cues wait for the device.
            state.lone.removeAll()
            pending.cues.append(contentsOf: state.scheduled)
            state.scheduled.removeAll()
            let now = ContinuousClock.now
            let before = pending.cues.count
            pending.cues.removeAll { $0.instant <= now }
            state.counters.lost += before - pending.cues.count
            if !state.sessionActive { pending.cues.removeAll() }
            return (!wasUnavailable, before - pending.cues.count, state.sessionActive)
        }
        if firstTime {
            logger.error("audio unavailable, cues will be silent until the device opens: \(reason)")
        } else {
            logger.debug("audio still unavailable: \(reason)", metadata: ["lost_cues": "\(lost)"])
        }
        return session ? PlayerCore.seconds(CuePlayer.reopenInterval) : nil
    }

    private enum Outcome { case finished, shutdown, failed }

    /// What the loop took in from the caller's side in one pass.
    private struct Intake {
        var sessionActive: Bool
        var shuttingDown: Bool
        var cancelled: Bool
    }

    /// Feeds `stream` until nothing is left to play and no session runs.
    private func play(on stream: PCMStream, pending: Pending) -> Outcome {
        var clock = PlaybackClock(rate: Self.rate)
        var mixer = CueMixer()
        let pacing = StreamPacing(for: stream)
        var lone: [LoneCue] = []
        var buffer = [Int16](repeating: 0, count: Int(pacing.highWater))
        let opened = ContinuousClock.now
        var firstWrite: Double?
        var lockedAt: Double?
        // The last time the heard position moved, to notice a device that stopped consuming.
        var progress: (heard: Int64, at: Double)?

        while true {
            let intake = takeIn(pending: pending, lone: &lone)
            if intake.shuttingDown {
                stream.dropAndClose()
                return .shutdown
            }
            let written = stream.framesWritten
            if intake.cancelled { mixer.cancelSession(from: written) }
            if lone.count > CuePlayer.loneQueueCapacity {
                lone.removeFirst(lone.count - CuePlayer.loneQueueCapacity)
            }

            let status: PCMStream.Status
            do {
                status = try stream.status()
                if status.xrun {
                    try stream.recoverFromXrun()
                }
            } catch {
                return fail(stream, error)
            }
            if stream.lostSync {
                // The stream restarted: what was queued is gone, the mapping with it.
                clock.reset()
                lockedAt = nil
                stream.lostSync = false
                logger.info("audio stream restarted; measuring its clock again")
                core.withState { $0.counters.remeasured += 1 }
            }
            let nowMono = PCMStream.monotonicNow()
            let nowInstant = ContinuousClock.now
            var report = PlaybackClock.Report(time: status.timestamp, written: written, delay: status.delay, running: status.running)
            if stream.isClockless {
                // No device clock: the monotonic clock plays the device, from the first write.
                let elapsed = firstWrite.map { Int64((nowMono - $0) * Self.rate) } ?? 0
                report = .init(time: nowMono, written: written, delay: max(0, written - elapsed), running: firstWrite != nil)
            }
            let change = if stream.isClockless, clock.origin == nil, let firstWrite {
                clock.lock(origin: firstWrite)
            } else {
                clock.observe(report)
            }
            switch change {
            case .locked(let origin)?:
                lockedAt = nowMono
                let preroll = nowInstant - opened
                core.withState { state in
                    if state.sessionActive { state.sessionReady = true }
                    state.preroll = preroll
                }
                logger.debug("audio clock locked", metadata: [
                    "preroll_ms": "\(Int(PlayerCore.seconds(preroll) * 1000))",
                    "latency_ms": "\(Int(((nowMono - origin) - Double(written) / Self.rate) * -1000))",
                ])
            case .remeasured(let jump)?:
                core.withState { $0.counters.remeasured += 1 }
                logger.info("audio clock measured again: the server lost or inserted audio", metadata: [
                    "jump_ms": "\(Int((jump * 1000).rounded()))",
                ])
            case nil:
                break
            }
            if report.running, !stream.isClockless {
                let heard = written - report.delay
                if progress == nil || heard > progress!.heard {
                    progress = (heard, nowMono)
                } else {
                    let limit = lockedAt == nil ? Self.startLimit : Self.stallLimit
                    if nowMono - progress!.at > limit {
                        return fail(stream, .stalled(device: stream.device, seconds: limit))
                    }
                }
            } else {
                progress = nil
            }
            let locked = clock.origin != nil
            core.withState { state in
                state.outputLatency = .seconds(Double(report.delay) / Self.rate)
                // A session started on a stream already playing (a replace) is ready at once.
                if locked, state.sessionActive { state.sessionReady = true }
            }

            if !intake.sessionActive && mixer.isEmpty && pending.cues.isEmpty && lone.isEmpty {
                stream.drainAndClose()
                // The session is over: hand back the pages of what it freed in malloc's arenas
                // (its phrases are mappings of their own, see FreedMemory, unmapped when freed).
                malloc_trim(0)
                return .finished
            }
            // Before it runs, the stream holds what was written since it was (re)prepared.
            let queued = report.running ? report.delay : stream.framesSincePrepare
            switch pacing.next(queued: queued) {
            case .wait(let seconds):
                core.pause(for: seconds)
                continue
            case .write(let frames):
                let end = written + Int64(frames)
                if clock.origin != nil {
                    placeDue(before: end, written: written, clock: clock, mixer: &mixer, pending: pending,
                             nowMono: nowMono, nowInstant: nowInstant, lockedAt: lockedAt)
                }
                if !lone.isEmpty, !mixer.hasLoneVoice {
                    let cue = lone.removeFirst()
                    mixer.placeLone(token: 0, samples: cue.samples, writable: written)
                }
                do throws(AudioError) {
                    try buffer.withUnsafeMutableBufferPointer { all throws(AudioError) in
                        let chunk = UnsafeMutableBufferPointer(rebasing: all[0..<frames])
                        mixer.render(from: written, into: chunk)
                        try stream.write(UnsafeBufferPointer(chunk))
                    }
                } catch {
                    return fail(stream, error)
                }
                if firstWrite == nil { firstWrite = PCMStream.monotonicNow() }
                if let heard = clock.instant(ofFrame: end) {
                    // As an instant, not a duration: read later, it is still exact.
                    let at = nowInstant + .seconds(heard - nowMono)
                    core.withState { $0.writtenUntil = at }
                }
            }
        }
    }

    /// Takes the caller's requests in, under the lock.
    private func takeIn(pending: Pending, lone: inout [LoneCue]) -> Intake {
        core.withState { state in
            var cancelled = false
            if state.cancelGeneration != pending.generation {
                pending.generation = state.cancelGeneration
                pending.cues.removeAll()
                cancelled = true
            }
            lone.append(contentsOf: state.lone)
            state.lone.removeAll()
            pending.cues.append(contentsOf: state.scheduled)
            state.scheduled.removeAll()
            state.wake = false
            return Intake(sessionActive: state.sessionActive,
                          shuttingDown: state.shuttingDown, cancelled: cancelled)
        }
    }

    /// Puts every pending cue heard before frame `end` on the stream.
    private func placeDue(
        before end: Int64, written: Int64, clock: PlaybackClock, mixer: inout CueMixer, pending: Pending,
        nowMono: Double, nowInstant: ContinuousClock.Instant, lockedAt: Double?
    ) {
        var heard: [(Int, ContinuousClock.Instant)] = []
        var late = 0
        var lost = 0
        pending.cues.removeAll { item in
            let instant = nowMono + PlayerCore.seconds(item.instant - nowInstant)
            guard let frame = clock.frame(heardAt: instant), frame < end else { return false }
            if Double(written - frame) / Self.rate > Self.lateLimit {
                lost += 1
                logger.info("cue dropped", metadata: [
                    "cue": "\(item.name)",
                    "late_ms": "\(Int((Double(written - frame) / Self.rate * 1000).rounded()))",
                    "reason": "its instant passed while the audio device was away",
                ])
                return true
            }
            if item.cue == nil {
                placeSpeech(item, at: frame, written: written, clock: clock, mixer: &mixer, nowMono: nowMono,
                            nowInstant: nowInstant)
                return true
            }
            let placement = mixer.place(token: item.token, samples: item.samples, at: frame, writable: written)
            if case .late(_, let by) = placement {
                late += 1
                let reason = (lockedAt ?? 0) > instant
                    ? "the stream was not yet playing at the cue's instant"
                    : "its frame had already been written (scheduled late, or the stream was measured again)"
                logger.info("cue late", metadata: [
                    "cue": "\(item.name)", "late_ms": "\(Int((Double(by) / Self.rate * 1000).rounded()))",
                    "reason": "\(reason)",
                ])
            }
            logger.debug("cue placed", metadata: [
                "cue": "\(item.name)", "frame": "\(placement.frame)", "written": "\(written)",
            ])
            if let heardAt = clock.instant(ofFrame: placement.frame) {
                heard.append((item.token, nowInstant + .seconds(heardAt - nowMono)))
            }
            return true
        }
        guard !heard.isEmpty || lost > 0 else { return }
        core.withState { state in
            state.counters.late += late
            state.counters.lost += lost
            for (token, instant) in heard { state.heard[token] = instant }
            if state.heard.count > 512 {
                for token in state.heard.keys.sorted().prefix(state.heard.count - 256) { state.heard[token] = nil }
            }
        }
    }

    /// A phrase starts on its frame or, up to ``speechLateLimit`` late, at the first writable
    /// one; later than that it is not spoken at all (half a sentence heard late misleads).
    /// It is faded out before the next cue.
    private func placeSpeech(
        _ item: ScheduledCue, at frame: Int64, written: Int64, clock: PlaybackClock, mixer: inout CueMixer,
        nowMono: Double, nowInstant: ContinuousClock.Instant
    ) {
        let lateFrames = written - frame
        if Double(lateFrames) / Self.rate > Self.speechLateLimit {
            logger.info("phrase skipped", metadata: [
                "late_ms": "\(Int(Double(lateFrames) / Self.rate * 1000))",
                "reason": "its frame had already been written",
            ])
            return
        }
        let silent = item.silentFrom.flatMap { clock.frame(heardAt: nowMono + PlayerCore.seconds($0 - nowInstant)) }
        mixer.placeSpeech(token: item.token, samples: item.samples, at: frame, silentFrom: silent, writable: written)
        logger.debug("phrase placed", metadata: ["frame": "\(max(frame, written))", "written": "\(written)"])
    }

    private func fail(_ stream: PCMStream, _ error: AudioError) -> Outcome {
        logger.error("audio stream failed: \(error)")
        stream.dropAndClose()
        core.withState { $0.status = .unavailable(reason: error.description) }
        return .failed
    }
}

extension StreamPacing {
    /// Keeps `stream`'s buffer full: topped up by a period whenever a period is free.
    init(for stream: PCMStream) {
        let rate = PlaybackLoop.rate
        self.init(rate: rate, highWater: Double(stream.bufferFrames) / rate,
                  lowWater: Double(stream.bufferFrames - stream.periodFrames) / rate)
    }
}
