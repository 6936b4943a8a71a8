import Foundation
import LimberCore
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Appends one JSON line per finished or stopped session to `runs.jsonl` in the state dir.
///
/// Each line is written with a single `write` and fsynced, off the runner's path, so a
/// record that was logged as written survives a crash.
public actor RunLog {
    public let path: String
    private let logger: Logger

    public init(stateDirectory: String, logger: Logger) {
        self.path = stateDirectory + "/runs.jsonl"
        self.logger = logger
    }

    public func append(_ record: RunRecord) {
        let line = ControlCodec.line(record)
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            logger.warning("cannot record the session run", metadata: ["file": "\(path)", "error": "\(String(cString: strerror(errno)))"])
            return
        }
        defer { close(fd) }
        let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if written != line.count || fsync(fd) != 0 {
            logger.warning("the session run record may be incomplete", metadata: ["file": "\(path)", "error": "\(String(cString: strerror(errno)))"])
            return
        }
        logger.debug("recorded session run", metadata: ["session": "\(record.session)", "outcome": "\(record.outcome.rawValue)"])
    }

    /// Every record in the log, oldest first; unreadable lines are skipped.
    public static func read(stateDirectory: String) -> [RunRecord] {
        guard let data = FileManager.default.contents(atPath: stateDirectory + "/runs.jsonl") else { return [] }
        let decoder = ControlCodec.decoder()
        return data.split(separator: 0x0A).compactMap { try? decoder.decode(RunRecord.self, from: Data($0)) }
    }
}

