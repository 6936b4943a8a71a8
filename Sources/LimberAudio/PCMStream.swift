import CALSA
import Foundation
import Logging

/// One open ALSA playback stream: S16_LE, mono, 48 kHz, whole periods.
///
/// Owned by a single thread (the player's, or the CLI's); not shareable.
final class PCMStream {
    let device: String
    /// Frames per period (about 10 ms) and in the whole buffer (at most about 50 ms).
    let periodFrames: Int
    let bufferFrames: Int
    /// Frames handed to ALSA since the stream was opened (or last re-anchored).
    private(set) var framesWritten: Int64 = 0
    /// Set when an underrun or suspend lost buffered audio: the clock mapping is stale.
    var lostSync = false
    private var handle: OpaquePointer?
    private let logger: Logger

    /// The buffer latency we ask for; the period is a quarter of it.
    static let requestedLatencyMicroseconds: UInt32 = 40_000

    /// Opens `device` for playback, blocking writes.
    init(device: String, logger: Logger = Logger(label: "limber.audio")) throws(AudioError) {
        self.device = device
        self.logger = logger
        ALSALog.route(to: logger)
        var pcm: OpaquePointer?
        var rc = snd_pcm_open(&pcm, device, SND_PCM_STREAM_PLAYBACK, 0)
        guard rc >= 0, let pcm else {
            throw AudioError(code: rc, device: device, operation: "snd_pcm_open")
        }
        // soft_resample = 1: ALSA's plug layer converts if the device wants another rate.
        rc = snd_pcm_set_params(
            pcm, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED,
            1, UInt32(CueSynth.sampleRate), 1, Self.requestedLatencyMicroseconds)
        guard rc >= 0 else {
            snd_pcm_close(pcm)
            throw AudioError(code: rc, device: device, operation: "snd_pcm_set_params")
        }
        var buffer: snd_pcm_uframes_t = 0
        var period: snd_pcm_uframes_t = 0
        rc = snd_pcm_get_params(pcm, &buffer, &period)
        guard rc >= 0, period > 0 else {
            snd_pcm_close(pcm)
            throw AudioError(code: rc < 0 ? rc : -EINVAL, device: device, operation: "snd_pcm_get_params")
        }
        self.handle = pcm
        self.periodFrames = Int(period)
        self.bufferFrames = Int(buffer)
        logger.debug("audio stream open", metadata: [
            "device": "\(device)", "period": "\(period)", "buffer": "\(buffer)",
        ])
    }

    deinit {
        if let handle { snd_pcm_close(handle) }
    }

    /// Writes exactly one period (`samples.count == periodFrames`), recovering from
    /// underrun, suspend and a stream left in a bad state by drain.
    func writePeriod(_ samples: UnsafeBufferPointer<Int16>) throws(AudioError) {
        guard let handle, let base = samples.baseAddress else { return }
        var offset = 0
        var attempts = 0
        while offset < samples.count {
            let rc = snd_pcm_writei(handle, base + offset, snd_pcm_uframes_t(samples.count - offset))
            if rc >= 0 {
                offset += rc
                continue
            }
            let code = Int32(rc)
            attempts += 1
            guard attempts <= 5 else {
                throw AudioError(code: code, device: device, operation: "snd_pcm_writei")
            }
            try recover(from: code)
        }
        framesWritten += Int64(samples.count)
    }

    private func recover(from code: Int32) throws(AudioError) {
        guard let handle else { return }
        switch -code {
        case EPIPE, ESTRPIPE:
            logger.info("audio \(code == -EPIPE ? "underrun" : "suspend"), recovering", metadata: ["device": "\(device)"])
            lostSync = true
            let rc = snd_pcm_recover(handle, code, 1)
            if rc < 0 { throw AudioError(code: rc, device: device, operation: "snd_pcm_recover") }
        case EBADFD:
            lostSync = true
            let rc = snd_pcm_prepare(handle)
            if rc < 0 { throw AudioError(code: rc, device: device, operation: "snd_pcm_prepare") }
        case EAGAIN, EINTR:
            _ = snd_pcm_wait(handle, 100)
        default:
            throw AudioError(code: code, device: device, operation: "snd_pcm_writei")
        }
    }

    /// Whether the stream has started (the start threshold was reached).
    var isRunning: Bool {
        guard let handle else { return false }
        return snd_pcm_state(handle) == SND_PCM_STATE_RUNNING
    }

    /// Frames queued ahead of what is heard now (ALSA buffer plus the server's latency).
    func delayFrames() -> Int64? {
        guard let handle else { return nil }
        var delay: snd_pcm_sframes_t = 0
        guard snd_pcm_delay(handle, &delay) >= 0 else { return nil }
        return Int64(delay)
    }

    /// Plays out what was written, then closes.
    func drainAndClose() {
        guard let handle else { return }
        if snd_pcm_state(handle) == SND_PCM_STATE_PREPARED, framesWritten > 0 {
            // Fewer frames than the start threshold were written: start so drain plays them.
            _ = snd_pcm_start(handle)
        }
        _ = snd_pcm_drain(handle)
        snd_pcm_close(handle)
        self.handle = nil
    }

    /// Stops at once, discarding buffered audio, and closes.
    func dropAndClose() {
        guard let handle else { return }
        _ = snd_pcm_drop(handle)
        snd_pcm_close(handle)
        self.handle = nil
    }
}
