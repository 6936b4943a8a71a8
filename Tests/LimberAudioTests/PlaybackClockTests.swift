@testable import LimberAudio
import Testing

/// Synthetic streams: a writer that keeps `queue` seconds ahead of a device whose true
/// origin (the instant frame 0 is heard) is `trueOrigin`, reported every `interval`.
private struct ModelStream {
    var rate = 48_000.0
    var interval = 0.010
    var queue = 0.040
    var trueOrigin = 1.000
    /// Device clock speed relative to the monotonic clock (1 + ppm·1e-6).
    var speed = 1.0
    /// The server reports a heard position rounded down to this many frames (a quantum).
    var quantum: (Double) -> Int64 = { _ in 1 }
    /// Until this instant the server reports a delay but does not consume (start-up).
    var consumesFrom = 0.0
    /// Extra silence the server inserted by this instant (underruns), in seconds.
    var inserted: (Double) -> Double = { _ in 0 }
    /// An error in the reported delay at each instant (PipeWire's sawtooth), in seconds.
    var delayError: (Double) -> Double = { _ in 0 }

    func report(at time: Double) -> PlaybackClock.Report {
        let playing = max(0, time - max(trueOrigin, consumesFrom) - inserted(time))
        let trueHeard = Int64(playing * rate * speed)
        let q = quantum(time)
        let heard = (trueHeard / q) * q
        let written = trueHeard + Int64(queue * rate)
        let delay = written - heard + Int64(delayError(time) * rate)
        return .init(time: time, written: written, delay: delay, running: true)
    }

    /// The frame a listener truly hears at `time`.
    func trueFrame(at time: Double) -> Double {
        max(0, time - max(trueOrigin, consumesFrom) - inserted(time)) * rate * speed
    }
}

@Suite("PlaybackClock on modelled servers")
struct PlaybackClockTests {
    private func run(_ model: ModelStream, seconds: Double, start: Double = 1.0) -> (PlaybackClock, [PlaybackClock.Change], [Double]) {
        var clock = PlaybackClock(rate: model.rate)
        var changes: [PlaybackClock.Change] = []
        var errors: [Double] = []
        var time = start
        while time < start + seconds {
            if let change = clock.observe(model.report(at: time)) { changes.append(change) }
            if let frame = clock.frame(heardAt: time), time > max(model.trueOrigin, model.consumesFrom) + 0.2 {
                errors.append((Double(frame) - model.trueFrame(at: time)) / model.rate)
            }
            time += model.interval
        }
        return (clock, changes, errors)
    }

    @Test("a steady server locks within 100 ms and never moves")
    func steady() {
        let (clock, changes, errors) = run(ModelStream(), seconds: 10)
        #expect(changes.count == 1)
        #expect(clock.slewed == 0)
        #expect(errors.allSatisfy { abs($0) < 0.000_1 }, "worst \(errors.map(abs).max() ?? 0) s")
    }

    @Test("PulseAudio's start-up: a delay reported 300 ms before the server consumes does not lock early")
    func startUpLatency() {
        var model = ModelStream()
        model.consumesFrom = 1.3
        let (_, changes, errors) = run(model, seconds: 5)
        guard case .locked(let origin)? = changes.first else {
            Issue.record("never locked: \(changes)")
            return
        }
        // Frame 0 is heard when the server starts consuming, not when the stream started.
        #expect(abs(origin - 1.3) < 0.001, "origin \(origin)")
        #expect(changes.count == 1)
        #expect(errors.allSatisfy { abs($0) < 0.001 })
    }

    @Test("PipeWire's quantum changes (256 → 1024 → 512 frames) never move the mapping by a jump")
    func quantumChanges() {
        var model = ModelStream()
        model.quantum = { time in time < 3 ? 256 : time < 6 ? 1_024 : 512 }
        let (clock, changes, errors) = run(model, seconds: 9)
        #expect(changes.count == 1, "\(changes)")
        // Within half the largest quantum plus the deadband, and moved only gradually.
        #expect(errors.allSatisfy { abs($0) < 0.011 + clock.tuning.deadband }, "worst \(errors.map(abs).max() ?? 0) s")
        #expect(abs(clock.slewed) <= clock.tuning.maximumSlew * 9 + 1e-9)
    }

    @Test("PipeWire's delay sawtooth (±8 ms, about 2 s period) never moves the mapping", arguments: [0.0, 0.45, 1.2])
    func delaySawtooth(phase: Double) {
        var model = ModelStream()
        // As measured at pipewire-pulse 0.3.65: a ramp of 8.4 ms/s, reset every 1.9 s.
        model.delayError = { time in
            let position = (time + phase).truncatingRemainder(dividingBy: 1.9)
            return position * 0.0084 - 0.008
        }
        let (clock, changes, errors) = run(model, seconds: 120)
        #expect(changes.count == 1, "\(changes)")
        // A moving origin would shift every later cue against the first one.
        #expect(abs(clock.slewed) < 0.001, "slewed \(clock.slewed) s")
        #expect(errors.allSatisfy { abs($0) < 0.009 }, "worst \(errors.map(abs).max() ?? 0) s")
    }

    @Test("a 60 ms burst of delay reports 25 ms off is not taken for a jump")
    func reportBurst() {
        var model = ModelStream()
        model.delayError = { time in time > 5 && time < 5.06 ? -0.025 : 0 }
        let (clock, changes, errors) = run(model, seconds: 10)
        #expect(changes.count == 1, "\(changes)")
        #expect(clock.slewed == 0)
        #expect(errors.allSatisfy { abs($0) < 0.000_1 })
    }

    @Test("reported delay shifted by 22 ms for good, the audio unbroken (pipewire-pulse under load): the mapping stays")
    func reportShift() {
        var model = ModelStream()
        model.delayError = { time in time > 5 ? 0.022 : 0 }
        let (clock, changes, _) = run(model, seconds: 60)
        #expect(changes.count == 1, "\(changes)")
        #expect(clock.slewed == 0)
    }

    @Test("an underrun that loses 250 ms is re-measured within 2 s; a 5 ms glitch is not")
    func underruns() {
        var model = ModelStream()
        model.inserted = { time in time > 4 ? 0.250 : 0 }
        let (_, changes, errors) = run(model, seconds: 8)
        #expect(changes.count == 2, "\(changes)")
        if case .remeasured(let jump)? = changes.last {
            #expect(abs(jump - 0.250) < 0.002, "jump \(jump)")
        }
        #expect(errors.suffix(300).allSatisfy { abs($0) < 0.001 })

        var glitch = ModelStream()
        glitch.inserted = { time in time > 4 ? 0.005 : 0 }
        let (clock, glitchChanges, _) = run(glitch, seconds: 8)
        #expect(glitchChanges.count == 1)
        #expect(clock.slewed == 0, "a glitch inside the deadband moves nothing")
    }

    @Test("±200 ppm drift is followed gradually: error bounded by the deadband, no jump", arguments: [200.0, -200.0])
    func drift(ppm: Double) {
        var model = ModelStream()
        model.speed = 1 + ppm * 1e-6
        let (clock, changes, errors) = run(model, seconds: 600)
        #expect(changes.count == 1, "\(changes)")
        #expect(errors.allSatisfy { abs($0) < clock.tuning.deadband + 0.002 }, "worst \(errors.map(abs).max() ?? 0) s")
        #expect(abs(clock.slewed) > 0.050, "the drift (120 ms over 10 min) was followed")
    }

    @Test("reset forgets the mapping")
    func reset() {
        var (clock, _, _) = run(ModelStream(), seconds: 1)
        #expect(clock.origin != nil)
        clock.reset()
        #expect(clock.origin == nil)
        #expect(clock.frame(heardAt: 2) == nil)
    }
}

@Suite("CueMixer")
struct CueMixerTests {
    @Test("on-time cues start exactly on their frame; late ones never stack")
    func placement() {
        var mixer = CueMixer()
        #expect(mixer.place(token: 1, samples: [1, 1], at: 1_000, writable: 500) == .onTime(frame: 1_000))
        let first = mixer.place(token: 2, samples: [1], at: 100, writable: 2_000)
        let second = mixer.place(token: 3, samples: [1], at: 200, writable: 2_000)
        // The first writable frame (2000) is within 100 ms of the onset at 1000: moved past it.
        #expect(first == .late(frame: 1_000 + CueMixer.minimumSeparation, byFrames: 5_700))
        #expect(second.frame >= first.frame + CueMixer.minimumSeparation)
    }

    @Test("render sums voices, clamps, and cancel drops unstarted voices and fades sounding ones")
    func renderAndCancel() {
        var mixer = CueMixer()
        mixer.place(token: 1, samples: [Int16](repeating: 30_000, count: 1_000), at: 0, writable: 0)
        mixer.place(token: 2, samples: [Int16](repeating: 10_000, count: 10), at: 5, writable: 0)
        mixer.place(token: 3, samples: [Int16](repeating: 5, count: 10), at: 900, writable: 0)
        var out = [Int16](repeating: 0, count: 20)
        out.withUnsafeMutableBufferPointer { mixer.render(from: 0, into: $0) }
        #expect(out[0] == 30_000)
        #expect(out[5] == Int16.max)
        mixer.cancelSession(from: 20)
        #expect(mixer.voices.count == 1)
        var tail = [Int16](repeating: 0, count: 400)
        tail.withUnsafeMutableBufferPointer { mixer.render(from: 20, into: $0) }
        #expect(tail[0] == 30_000)
        #expect(tail[Int(CueMixer.fadeFrames) / 2] < 20_000)
        #expect(tail[Int(CueMixer.fadeFrames)...].allSatisfy { $0 == 0 })
        #expect(mixer.isEmpty)
    }

    @Test("pacing keeps the buffer full and sleeps until a period is free")
    func pacing() {
        let pacing = StreamPacing(rate: 48_000, highWater: 0.040, lowWater: 0.030)
        #expect(pacing.next(queued: 0) == .write(frames: 1_920))
        #expect(pacing.next(queued: 1_440) == .write(frames: 480))
        guard case .wait(let seconds) = pacing.next(queued: 1_920) else {
            Issue.record("expected a wait")
            return
        }
        #expect(abs(seconds - 0.010) < 1e-9)
    }
}
