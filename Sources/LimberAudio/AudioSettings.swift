import LimberCore

/// What the cue player is doing, as `limber status` reports it.
public enum AudioStatus: Sendable, Equatable {
    /// No stream is open; nothing plays.
    case idle
    /// A stream is open (a session, or a lone cue being played).
    case playing
    /// The device could not be opened; cues are dropped until an open succeeds.
    case unavailable(reason: String)
}

/// Audio configuration, the `audio:` section of the config file.
public struct AudioSettings: Sendable, Equatable {
    /// The ALSA PCM name, `default` unless configured.
    public var device: String
    /// Volume of every cue, 0–1.
    public var volume: Double
    /// Per-cue volume, 0–1, replacing `volume` for that cue; 0 mutes the cue.
    public var cueVolumes: [Cue: Double]

    public init(device: String = "default", volume: Double = 0.5, cueVolumes: [Cue: Double] = [:]) {
        self.device = device
        self.volume = volume
        self.cueVolumes = cueVolumes
    }

    /// The volume a cue plays at, clamped to 0–1.
    public func volume(for cue: Cue) -> Double {
        min(max(cueVolumes[cue] ?? volume, 0), 1)
    }
}
