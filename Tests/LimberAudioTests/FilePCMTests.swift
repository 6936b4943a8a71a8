import Foundation
import LimberAudio
import LimberCore
import Testing

/// Real ALSA, no sound card: the `file` PCM plugin writes what it is given to a WAV file
/// (its slave is the `null` PCM), so a test sees exactly the frames the player wrote.
@Suite("ALSA file PCM")
struct FilePCMTests {
    /// Plays `cue` as a lone cue through `file:'PATH',wav` and returns the WAV's samples.
    private func playThroughFile(_ cue: Cue, volume: Double) async throws -> [Int16] {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("limber-\(UUID().uuidString).wav").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let player = CuePlayer(settings: AudioSettings(device: "file:'\(path)',wav", volume: volume))
        defer { player.shutdown() }
        player.play(cue)
        await player.idle()
        #expect(player.status == .idle)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let wav = try #require(WAVFile.decode(bytes))
        #expect(wav.sampleRate == 48_000)
        return wav.samples
    }

    @Test("the WAV holds exactly the cue's frames, padded with less than one write of silence",
          arguments: [Cue.tick, .step, .inhale, .bell])
    func exactFrames(cue: Cue) async throws {
        let expected = CueBank.shared.samples(for: cue, volume: 0.5)
        let written = try await playThroughFile(cue, volume: 0.5)
        #expect(written.count >= expected.count)
        // Padding is less than one write (the pacing's high-water mark, 50 ms).
        #expect(written.count - expected.count < Int(StreamPacing(rate: 48_000).highWater), "\(written.count) frames for a \(expected.count)-frame cue")
        #expect(Array(written.prefix(expected.count)) == expected)
        #expect(written.dropFirst(expected.count).allSatisfy { $0 == 0 })

        let cueFrames = Array(written.prefix(expected.count))
        #expect(abs(Int(written[0])) <= 1)
        #expect(abs(Int(cueFrames[cueFrames.count - 1])) <= 1)
        let own = Signal.goertzel(cueFrames, frequency: cue.recipe.dominantFrequency)
        for other in Cue.allCases where other != cue {
            #expect(own > Signal.goertzel(cueFrames, frequency: other.recipe.dominantFrequency))
        }
        let bound = Double(Signal.peak(cueFrames)) * 2 * Double.pi * cue.recipe.highestFrequency / 48_000 * 1.5 + 2
        #expect(Double(Signal.largestStep(written)) <= bound)
    }

    @Test("peak in the file scales with the volume")
    func peakScalesWithVolume() async throws {
        let quiet = Signal.peak(try await playThroughFile(.go, volume: 0.2))
        let loud = Signal.peak(try await playThroughFile(.go, volume: 0.8))
        #expect(Double(quiet) <= 0.2 * 32_767 && Double(quiet) >= 0.2 * 32_767 - 2)
        #expect(Double(loud) <= 0.8 * 32_767 && Double(loud) >= 0.8 * 32_767 - 2)
        #expect(abs(Double(loud) / Double(quiet) - 4) < 0.01)
    }

    @Test("a muted cue (per-cue volume 0) opens nothing")
    func mutedCue() async {
        let player = CuePlayer(settings: AudioSettings(device: "null", volume: 0.5, cueVolumes: [.tick: 0]))
        defer { player.shutdown() }
        player.play(.tick)
        await player.idle()
        #expect(player.openAttempts == 0)
        player.play(.step)
        await player.idle()
        #expect(player.openAttempts == 1)
    }
}

@Suite("Unavailable device")
struct UnavailableDeviceTests {
    @Test("a PCM that does not exist reports unavailable with the reason, and the next cue retries")
    func missingDevice() async {
        let player = CuePlayer(settings: AudioSettings(device: "limber_no_such_pcm"))
        defer { player.shutdown() }
        player.play(.step)
        await player.idle()
        guard case .unavailable(let reason) = player.status else {
            Issue.record("expected unavailable, got \(player.status)")
            return
        }
        #expect(reason.contains("limber_no_such_pcm"))
        #expect(reason.contains("No such file or directory"))
        #expect(player.openAttempts == 1)

        player.play(.tick)
        await player.idle()
        #expect(player.openAttempts == 2)

        // Fixing the device (config reload) makes the next cue play.
        player.update(settings: AudioSettings(device: "null"))
        player.play(.tick)
        await player.idle()
        #expect(player.openAttempts == 3)
        #expect(player.status == .idle)
    }

    @Test("a session on a missing device tries it again every half second, and stops when the session ends")
    func sessionRetries() async throws {
        let player = CuePlayer(settings: AudioSettings(device: "limber_no_such_pcm"))
        defer { player.shutdown() }
        player.beginSession()
        #expect(await player.sessionReady(timeout: .seconds(2)) == false)
        let token = player.schedule(.tick, at: .now + .milliseconds(100))
        try await Task.sleep(for: .milliseconds(1_300))
        let attempts = player.openAttempts
        #expect(attempts >= 3, "\(attempts) attempts in 1.3 s")
        #expect(player.counters.lost == 1, "the cue due while the device was missing is counted lost")
        #expect(player.heardInstant(of: token) == nil)
        player.endSession()
        try await Task.sleep(for: .milliseconds(1_100))
        let settled = player.openAttempts
        try await Task.sleep(for: .milliseconds(700))
        #expect(player.openAttempts == settled, "no retries once the session ended")
    }

    @Test("the error names the device and ALSA's text")
    func errorText() {
        let error = AudioError(code: -2, device: "hw:9", operation: "snd_pcm_open")
        #expect(error.message == "No such file or directory")
        #expect(error.description.contains("hw:9"))
    }
}

@Suite("Session stream on the ALSA file PCM")
struct SessionFilePCMTests {
    @Test("scheduled cues land at sample positions the requested interval apart")
    func sampleExactPlacement() async throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("limber-session-\(UUID().uuidString).wav").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let player = CuePlayer(settings: AudioSettings(device: "file:'\(path)',wav", volume: 0.5))
        defer { player.shutdown() }
        player.beginSession()
        let first = ContinuousClock.now + .milliseconds(500)
        player.schedule(.tick, at: first)
        player.schedule(.tick, at: first + .milliseconds(300))
        // Far enough out that a test task woken late still cancels it in time: in the parallel
        // suite, blocking tests hold the 2-thread cooperative pool and this task's 400 ms
        // sleep has ended 47 s late.
        player.schedule(.check, at: first + .seconds(600))
        try await Task.sleep(until: first + .milliseconds(400))
        #expect(player.status == .playing)
        #expect(player.outputLatency != nil)
        player.cancelScheduled()   // drops the check, not yet started
        player.endSession()
        await player.idle()
        #expect(player.status == .idle)

        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let samples = try #require(WAVFile.decode(bytes)).samples
        let tick = CueBank.shared.samples(for: .tick, volume: 0.5)
        let onsets = Signal.onsets(samples, threshold: 1, quiet: 4_800)
        #expect(onsets.count == 2, "onsets \(onsets)")
        if onsets.count == 2 {
            #expect(onsets[1] - onsets[0] == 14_400)
            // An onset is the cue's first non-zero sample; the cue starts a few zeros earlier.
            let leadingZeros = tick.firstIndex { $0 != 0 } ?? 0
            let start = onsets[0] - leadingZeros
            let placed = samples[start..<min(start + tick.count, samples.count)].elementsEqual(tick)
            #expect(placed, "the tick is not mixed in unaltered at frame \(start)")
        }
    }
}
