import LimberAudio
import LimberCore
import LimberProtocol

extension ConfigFile {
    /// The audio settings a config asks for; `device` overrides the config's (`limberd --device`).
    public static func audioSettings(_ config: LimberConfig, device: String?) -> AudioSettings {
        var volumes: [Cue: Double] = [:]
        for cue in Cue.allCases where config.audio.cues[cue] != nil {
            volumes[cue] = config.audio.volume(for: cue)
        }
        return AudioSettings(device: device ?? config.audio.device, volume: config.audio.volume, cueVolumes: volumes)
    }
}

extension ControlError {
    /// A config refused on `reload`, as the protocol reports it.
    init(_ error: ConfigFileError) {
        self.init(.invalidConfig, error.message, details: error.details)
    }
}
