import CALSA
import Foundation
import Logging

/// One open ALSA playback stream: S16_LE, mono, 48 kHz.
///
/// The buffer is small (``requestedBufferMicroseconds``, 40 ms) and the playback loop keeps
/// it full (see `StreamPacing`): what is queued decides how soon a pause or a skip is heard.
/// A larger buffer kept partly filled was tried: PulseAudio then sizes its sink's latency
/// to the large buffer and the stream underruns (the reported delay freezes) when nothing
/// else plays on the sink.
///
/// Owned by a single thread (the player's); not shareable.
final class PCMStream {
    let device: String
    let periodFrames: Int
    let bufferFrames: Int
    /// A PCM with no clock of its own (`null`, `file`): writes never wait, nothing is
    /// consumed, and the monotonic clock stands in for the device's.
    let isClockless: Bool
    /// Frames handed to ALSA since the stream was opened.
    private(set) var framesWritten: Int64 = 0
    /// Frames written since the stream was last prepared (opened, or restarted after an
    /// underrun): what it holds before it starts running.
    private(set) var framesSincePrepare: Int64 = 0
    /// Set when an underrun or suspend restarted the stream: the clock mapping is stale.
    var lostSync = false
    private var handle: OpaquePointer?
    private let logger: Logger

    static let requestedBufferMicroseconds: UInt32 = 40_000
    static let requestedPeriodMicroseconds: UInt32 = 10_000

    /// Opens `device` for playback; the stream starts once `startFrames` are written.
    init(device: String, startFrames: Int, logger: Logger = Logger(label: "limber.audio")) throws(AudioError) {
        self.device = device
        self.logger = logger
        ALSALog.route(to: logger)
        var pcm: OpaquePointer?
        let rc = snd_pcm_open(&pcm, device, SND_PCM_STREAM_PLAYBACK, 0)
        guard rc >= 0, let pcm else {
            throw AudioError(code: rc, device: device, operation: "snd_pcm_open")
        }
        do {
            (bufferFrames, periodFrames) = try Self.configure(pcm, device: device, startFrames: startFrames)
        } catch {
            snd_pcm_close(pcm)
            throw error
        }
        let type = snd_pcm_type(pcm)
        isClockless = type == SND_PCM_TYPE_NULL || type == SND_PCM_TYPE_FILE
        handle = pcm
        logger.debug("audio stream open", metadata: [
            "device": "\(device)", "period": "\(periodFrames)", "buffer": "\(bufferFrames)",
            "clockless": "\(isClockless)",
        ])
    }

    deinit {
        if let handle { snd_pcm_close(handle) }
    }

    private static func configure(_ pcm: OpaquePointer, device: String, startFrames: Int) throws(AudioError) -> (Int, Int) {
        func check(_ rc: Int32, _ operation: String) throws(AudioError) {
            if rc < 0 { throw AudioError(code: rc, device: device, operation: operation) }
        }
        var hw: OpaquePointer?
        try check(snd_pcm_hw_params_malloc(&hw), "snd_pcm_hw_params_malloc")
        defer { snd_pcm_hw_params_free(hw) }
        try check(snd_pcm_hw_params_any(pcm, hw), "snd_pcm_hw_params_any")
        // Resampling in ALSA's plug layer if the device wants another rate.
        try check(snd_pcm_hw_params_set_rate_resample(pcm, hw, 1), "snd_pcm_hw_params_set_rate_resample")
        try check(snd_pcm_hw_params_set_access(pcm, hw, SND_PCM_ACCESS_RW_INTERLEAVED), "snd_pcm_hw_params_set_access")
        try check(snd_pcm_hw_params_set_format(pcm, hw, SND_PCM_FORMAT_S16_LE), "snd_pcm_hw_params_set_format")
        try check(snd_pcm_hw_params_set_channels(pcm, hw, 1), "snd_pcm_hw_params_set_channels")
        try check(snd_pcm_hw_params_set_rate(pcm, hw, UInt32(CueSynth.sampleRate), 0), "snd_pcm_hw_params_set_rate")
        var bufferTime = requestedBufferMicroseconds
        var periodTime = requestedPeriodMicroseconds
        try check(snd_pcm_hw_params_set_buffer_time_near(pcm, hw, &bufferTime, nil), "snd_pcm_hw_params_set_buffer_time_near")
        try check(snd_pcm_hw_params_set_period_time_near(pcm, hw, &periodTime, nil), "snd_pcm_hw_params_set_period_time_near")
        try check(snd_pcm_hw_params(pcm, hw), "snd_pcm_hw_params")
        var buffer: snd_pcm_uframes_t = 0
        var period: snd_pcm_uframes_t = 0
        try check(snd_pcm_get_params(pcm, &buffer, &period), "snd_pcm_get_params")
        guard period > 0, buffer > 0 else { throw AudioError(code: -EINVAL, device: device, operation: "snd_pcm_get_params") }

        var sw: OpaquePointer?
        try check(snd_pcm_sw_params_malloc(&sw), "snd_pcm_sw_params_malloc")
        defer { snd_pcm_sw_params_free(sw) }
        try check(snd_pcm_sw_params_current(pcm, sw), "snd_pcm_sw_params_current")
        // Delay and timestamp are read together (snd_pcm_status), on the monotonic clock.
        try check(snd_pcm_sw_params_set_tstamp_mode(pcm, sw, SND_PCM_TSTAMP_ENABLE), "snd_pcm_sw_params_set_tstamp_mode")
        _ = snd_pcm_sw_params_set_tstamp_type(pcm, sw, SND_PCM_TSTAMP_TYPE_MONOTONIC)
        let start = snd_pcm_uframes_t(min(max(startFrames, 1), Int(buffer)))
        try check(snd_pcm_sw_params_set_start_threshold(pcm, sw, start), "snd_pcm_sw_params_set_start_threshold")
        try check(snd_pcm_sw_params(pcm, sw), "snd_pcm_sw_params")
        return (Int(buffer), Int(period))
    }

    /// Writes every frame of `samples`, recovering from underrun, suspend and a stream left
    /// in a bad state by drain.
    func write(_ samples: UnsafeBufferPointer<Int16>) throws(AudioError) {
        guard let handle, let base = samples.baseAddress else { return }
        var offset = 0
        var attempts = 0
        // Where in `samples` the stream was last prepared anew (what came before is lost).
        var preparedAt = 0
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
            if framesSincePrepare == 0 { preparedAt = offset }
        }
        framesWritten += Int64(samples.count)
        framesSincePrepare += Int64(samples.count - preparedAt)
    }

    private func recover(from code: Int32) throws(AudioError) {
        guard let handle else { return }
        switch -code {
        case EPIPE, ESTRPIPE:
            logger.info("audio \(code == -EPIPE ? "underrun" : "suspend"), recovering", metadata: ["device": "\(device)"])
            lostSync = true
            framesSincePrepare = 0
            let rc = snd_pcm_recover(handle, code, 1)
            if rc < 0 { throw AudioError(code: rc, device: device, operation: "snd_pcm_recover") }
        case EBADFD:
            lostSync = true
            framesSincePrepare = 0
            let rc = snd_pcm_prepare(handle)
            if rc < 0 { throw AudioError(code: rc, device: device, operation: "snd_pcm_prepare") }
        case EAGAIN, EINTR:
            _ = snd_pcm_wait(handle, 100)
        default:
            throw AudioError(code: code, device: device, operation: "snd_pcm_writei")
        }
    }

    /// The stream's state, delay and the instant they were measured, read in one call.
    struct Status {
        var running: Bool
        var xrun: Bool
        var delay: Int64
        /// CLOCK_MONOTONIC seconds at which `delay` held.
        var timestamp: Double
    }

    /// Reads ``Status``; throws when the PCM is gone (the server died).
    func status() throws(AudioError) -> Status {
        guard let handle else { throw AudioError(code: -EBADFD, device: device, operation: "snd_pcm_status") }
        var status: OpaquePointer?
        guard snd_pcm_status_malloc(&status) >= 0 else {
            throw AudioError(code: -ENOMEM, device: device, operation: "snd_pcm_status_malloc")
        }
        defer { snd_pcm_status_free(status) }
        let rc = snd_pcm_status(handle, status)
        guard rc >= 0 else { throw AudioError(code: rc, device: device, operation: "snd_pcm_status") }
        let state = snd_pcm_status_get_state(status)
        if state == SND_PCM_STATE_DISCONNECTED {
            throw AudioError(code: -ENODEV, device: device, operation: "snd_pcm_status")
        }
        var stamp = snd_htimestamp_t()
        snd_pcm_status_get_htstamp(status, &stamp)
        var timestamp = Double(stamp.tv_sec) + Double(stamp.tv_nsec) / 1e9
        if timestamp == 0 { timestamp = Self.monotonicNow() }
        return Status(
            running: state == SND_PCM_STATE_RUNNING, xrun: state == SND_PCM_STATE_XRUN,
            delay: Int64(snd_pcm_status_get_delay(status)), timestamp: timestamp)
    }

    /// Restarts a stream that reported an underrun in its status.
    func recoverFromXrun() throws(AudioError) {
        try recover(from: -EPIPE)
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

    /// CLOCK_MONOTONIC now, in seconds: the timebase of ``Status/timestamp``.
    static func monotonicNow() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
