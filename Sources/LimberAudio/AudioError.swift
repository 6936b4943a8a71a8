import CALSA

#if canImport(Glibc)
import Glibc
#endif

/// An ALSA call failed on a named device.
public struct AudioError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The negative errno ALSA returned (e.g. -2 for a PCM name that does not exist).
    public var code: Int32
    /// `snd_strerror(code)`.
    public var message: String
    /// The PCM name the operation was for.
    public var device: String
    /// The ALSA function that failed, e.g. `snd_pcm_open`.
    public var operation: String

    public init(code: Int32, device: String, operation: String) {
        self.code = code
        self.message = String(cString: snd_strerror(code))
        self.device = device
        self.operation = operation
    }

    /// A running stream whose device stopped consuming (a sound server that died or hung
    /// without the plugin noticing).
    static func stalled(device: String, seconds: Double) -> AudioError {
        var error = AudioError(code: -EIO, device: device, operation: "playback")
        error.message = "nothing was played for \(Int(seconds * 1000)) ms; the sound server may have stopped"
        return error
    }

    public var description: String {
        "cannot \(Self.verb(operation)) ALSA device '\(device)': \(message) (\(operation) returned \(code))"
    }

    private static func verb(_ operation: String) -> String {
        switch operation {
        case "snd_pcm_open": "open"
        case "snd_pcm_set_params", "snd_pcm_get_params": "configure"
        case "playback": "play on"
        default: "write to"
        }
    }
}
