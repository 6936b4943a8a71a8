import Foundation
import LimberAudio
import LimberCore
import Testing

@Suite("PulseAudio end to end", .serialized)
struct PulseAudioTests {
    @Test("cues scheduled 500 ms apart are heard 500 ms apart (within 20 ms)",
          .enabled(if: PulseServer.isInstalled, "pulseaudio (and parec) not installed: end-to-end timing not measured"))
    func interOnsetIntervals() async throws {
        let pulse = try PulseServer()
        defer { pulse.stop() }
        #expect(try await pulse.waitFor { pulse.pactl("info") != nil }, "pulseaudio did not come up")
        // The ALSA `pulse` PCM (libasound2-plugins) reaches the server named by PULSE_SERVER.
        setenv("PULSE_SERVER", "unix:\(pulse.socket)", 1)

        try pulse.startRecording()
        let recordingStarted = ContinuousClock.now
        // parec's data flowing means the monitor is being captured.
        #expect(try await pulse.waitFor { pulse.recordedBytes > 0 }, "parec recorded nothing")

        let player = CuePlayer(settings: AudioSettings(device: "pulse", volume: 0.8))
        defer { player.shutdown() }
        player.beginSession()
        let interval = Duration.milliseconds(500)
        let first = ContinuousClock.now + .milliseconds(800)
        let cues: [Cue] = [.step, .step, .step, .step, .step, .step]
        for (index, cue) in cues.enumerated() {
            player.schedule(cue, at: first + interval * index)
        }
        let last = first + interval * (cues.count - 1)
        try await Task.sleep(until: last + .milliseconds(300))
        #expect(player.status == .playing)
        let latency = player.outputLatency
        // Cancelled cues must never be heard.
        player.schedule(.check, at: .now + .milliseconds(300))
        player.schedule(.check, at: .now + .milliseconds(600))
        player.cancelScheduled()
        try await Task.sleep(for: .milliseconds(900))
        player.endSession()
        await player.idle()
        #expect(player.status == .idle)
        #expect(player.outputLatency == nil)

        // The null sink delivers in blocks once idle: wait until the recording covers the
        // time that has passed, so the tail of the session is in it.
        let needed = Int((ContinuousClock.now - recordingStarted) / .seconds(1) * 96_000) - 19_200
        #expect(try await pulse.waitFor { pulse.recordedBytes >= needed }, "recording lags: \(pulse.recordedBytes) of \(needed) bytes")
        let recorded = try pulse.stopRecording()
        let expectedPeak = Signal.peak(CueBank.shared.samples(for: .step, volume: 0.8))
        // Onset: 10 % of the cue's peak after at least 100 ms of quiet.
        let onsets = Signal.onsets(recorded, threshold: expectedPeak / 10, quiet: 4_800)
        #expect(onsets.count == cues.count, "onsets at frames \(onsets) in \(recorded.count) recorded frames")
        let intervals = zip(onsets, onsets.dropFirst()).map { Double($1 - $0) / 48.0 }
        let errors = intervals.map { abs($0 - 500) }
        let median = Signal.median(errors)
        let worst = errors.max() ?? .nan
        print("""
            PulseAudio null sink: output latency \(latency.map { "\($0)" } ?? "n/a"); \
            intervals (ms) \(intervals.map { String(format: "%.2f", $0) }.joined(separator: " ")); \
            inter-onset error median \(String(format: "%.2f", median)) ms, max \(String(format: "%.2f", worst)) ms
            """)
        #expect(!errors.isEmpty)
        #expect(worst <= 20)
    }
}
