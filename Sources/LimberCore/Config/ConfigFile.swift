import Foundation

/// Why a config file cannot be used: what to do about it, and each problem as
/// `file:line:column: message`.
public struct ConfigFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    /// The parser's errors, when the file was read but is invalid.
    public var details: [String]?

    public init(_ message: String, details: [String]? = nil) {
        self.message = message
        self.details = details
    }

    public var description: String { message }
}

/// Reads the config file: defaults when it does not exist, every problem when it is invalid.
///
/// In LimberCore so that `limber config check` and `limberd` read a file the same way.
public enum ConfigFile {
    /// The config at `path`, or the diagnostics that keep it from being used.
    public static func load(_ path: String) -> Result<LimberConfig, ConfigFileError> {
        guard FileManager.default.fileExists(atPath: path) else { return .success(LimberConfig()) }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(ConfigFileError("cannot read \(path): check its permissions"))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(ConfigFileError("\(path) is not UTF-8 text; save it as UTF-8"))
        }
        let (config, diagnostics) = ConfigParser.parse(text: text, path: path)
        let errors = diagnostics.filter { $0.severity == .error }
        guard let config, errors.isEmpty else {
            return .failure(
                ConfigFileError(
                    "\(path) has \(errors.count) error\(errors.count == 1 ? "" : "s"); the config in force is unchanged (check it with `limber config check`)",
                    details: errors.map(\.description)))
        }
        return .success(config)
    }
}
