import Foundation
import LimberAudio
import LimberCore

/// Reads the config file: defaults when it does not exist, every problem when it is invalid.
public enum ConfigFile {
    /// The config at `path`, or the diagnostics that keep it from being used.
    public static func load(_ path: String) -> Result<LimberConfig, ControlError> {
        guard FileManager.default.fileExists(atPath: path) else { return .success(LimberConfig()) }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(ControlError(.invalidConfig, "cannot read \(path): check its permissions"))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(ControlError(.invalidConfig, "\(path) is not UTF-8 text; save it as UTF-8"))
        }
        let (config, diagnostics) = ConfigParser.parse(text: text, path: path)
        let errors = diagnostics.filter { $0.severity == .error }
        guard let config, errors.isEmpty else {
            return .failure(
                ControlError(
                    .invalidConfig,
                    "\(path) has \(errors.count) error\(errors.count == 1 ? "" : "s"); the config in force is unchanged (check it with `limber config check`)",
                    details: errors.map(\.description)))
        }
        return .success(config)
    }

    /// The audio settings a config asks for; `device` overrides the config's (`limberd --device`).
    public static func audioSettings(_ config: LimberConfig, device: String?) -> AudioSettings {
        var volumes: [Cue: Double] = [:]
        for cue in Cue.allCases where config.audio.cues[cue] != nil {
            volumes[cue] = config.audio.volume(for: cue)
        }
        return AudioSettings(device: device ?? config.audio.device, volume: config.audio.volume, cueVolumes: volumes)
    }
}
