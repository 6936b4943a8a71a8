import CALSA

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

    public var description: String {
        "cannot \(Self.verb(operation)) ALSA device '\(device)': \(message) (\(operation) returned \(code))"
    }

    private static func verb(_ operation: String) -> String {
        switch operation {
        case "snd_pcm_open": "open"
        case "snd_pcm_set_params", "snd_pcm_get_params": "configure"
        default: "write to"
        }
    }
}
