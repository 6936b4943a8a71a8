import Foundation
import LimberCore
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A small JSON state file written atomically: temp file, fsync, rename, fsync of the directory.
///
/// A crash leaves either the old file or the new one, never a mix. A file that cannot be
/// read is moved aside (with a warning) so the daemon starts fresh instead of failing.
public struct StateFile<Value: Codable & Sendable>: Sendable {
    public let path: String
    private let logger: Logger
    /// Whether the last save failed: a full or read-only disk is reported once, not at every
    /// save, and its recovery once.
    private let failing = SaveFailure()

    public init(path: String, logger: Logger) {
        self.path = path
        self.logger = logger
    }

    /// The stored value; nil when there is none yet or it was unreadable (then moved aside).
    public func load() -> Value? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do {
            return try Self.decoder.decode(Value.self, from: data)
        } catch {
            let aside = path + ".corrupt-" + WallTime.iso8601().replacingOccurrences(of: ":", with: "")
            if rename(path, aside) == 0 {
                logger.warning(
                    "the state file could not be read and was moved aside; starting fresh",
                    metadata: ["file": "\(path)", "moved_to": "\(aside)", "error": "\(error)"])
            } else {
                logger.warning(
                    "the state file could not be read (nor moved aside); starting fresh",
                    metadata: ["file": "\(path)", "error": "\(error)"])
            }
            return nil
        }
    }

    /// Replaces the stored value atomically; false (and a logged warning) on failure.
    @discardableResult
    public func save(_ value: Value) -> Bool {
        guard let data = try? Self.encoder.encode(value) else { return false }
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return fail("cannot create \(temporary)") }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == data.count, synced else {
            unlink(temporary)
            return fail("cannot write \(temporary)")
        }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            return fail("cannot replace \(path)")
        }
        let directory = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
        if failing.flag.exchange(false, ordering: .sequentiallyConsistent) {
            logger.notice("the state file is written again", metadata: ["file": "\(path)"])
        }
        return true
    }

    private func fail(_ what: String) -> Bool {
        let error = String(cString: strerror(errno))
        if !failing.flag.exchange(true, ordering: .sequentiallyConsistent) {
            logger.warning(
                "could not save state: \(what); the break schedule goes on in memory and is saved at its next change (free space or fix permissions in \((path as NSString).deletingLastPathComponent))",
                metadata: ["error": "\(error)"])
        } else {
            logger.debug("could not save state (still)", metadata: ["file": "\(path)", "error": "\(error)"])
        }
        return false
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return encoder
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return decoder
    }
}

/// Shared by the copies of one `StateFile`.
private final class SaveFailure: Sendable {
    let flag = Atomic<Bool>(false)
}
