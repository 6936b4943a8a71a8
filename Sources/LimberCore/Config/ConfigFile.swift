import Foundation

#if canImport(Glibc)
import Glibc
#endif

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
    /// The largest config file read: a real one is a few KiB, and anything much larger is
    /// the wrong file (reading and parsing 100 MB would stall the daemon for seconds).
    public static let maximumBytes = 1 << 20

    /// The config at `path`, or the diagnostics that keep it from being used.
    public static func load(_ path: String) -> Result<LimberConfig, ConfigFileError> {
        let data: Data
        switch contents(of: path) {
        case .success(let contents?): data = contents
        case .success(nil): return .success(LimberConfig())
        case .failure(let error): return .failure(error)
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

    /// The file's bytes; nil when there is no file. Refuses what is not a regular file
    /// before reading it: a FIFO would block the reader until someone writes to it, and a
    /// directory has no text.
    static func contents(of path: String) -> Result<Data?, ConfigFileError> {
        // O_NONBLOCK: opening a FIFO for reading must not wait for a writer.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let error = errno
            if error == ENOENT { return .success(nil) }
            return .failure(ConfigFileError("cannot read \(path): \(String(cString: strerror(error))); check its permissions"))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            return .failure(ConfigFileError("cannot read \(path): \(String(cString: strerror(errno)))"))
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR:
            return .failure(ConfigFileError("\(path) is a directory, not a config file: move it away, or pass --config FILE"))
        default:
            return .failure(
                ConfigFileError("\(path) is not a regular file (a FIFO, socket or device): replace it with a YAML file, or pass --config FILE"))
        }
        guard Int(info.st_size) <= maximumBytes else {
            return .failure(
                ConfigFileError(
                    "\(path) is \(info.st_size) bytes, larger than a config file can be (\(maximumBytes / 1024) KiB): is it the right file?"))
        }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while data.count <= maximumBytes {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else {
                return .failure(ConfigFileError("cannot read \(path): \(String(cString: strerror(errno)))"))
            }
            if count == 0 { break }
            data.append(contentsOf: chunk[0..<count])
        }
        return .success(data)
    }
}
