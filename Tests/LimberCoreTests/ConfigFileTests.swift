import Foundation
import LimberCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What is at the config path is not always a config file: each case is refused at once,
/// with what happened and what to do, instead of blocking, stalling or misleading.
@Suite struct ConfigFileTests {
    /// A fresh private directory, removed by the caller.
    static func directory() throws -> String {
        var template = Array("/tmp/lbcfXXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        return String(cString: created)
    }

    @Test func aMissingFileGivesTheDefaults() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try ConfigFile.load(directory + "/config.yaml").get() == LimberConfig())
    }

    @Test func aDirectoryIsRefusedAsADirectory() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/config.yaml"
        #expect(mkdir(path, 0o700) == 0)
        guard case .failure(let error) = ConfigFile.load(path) else {
            Issue.record("a directory loaded as a config")
            return
        }
        #expect(error.message == "\(path) is a directory, not a config file: move it away, or pass --config FILE")
    }

    @Test func aFIFOIsRefusedWithoutWaitingForAWriter() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/config.yaml"
        #expect(mkfifo(path, 0o600) == 0)
        // Before the fix, reading it blocked until a writer came: this call never returned.
        guard case .failure(let error) = ConfigFile.load(path) else {
            Issue.record("a FIFO loaded as a config")
            return
        }
        #expect(error.message.hasPrefix("\(path) is not a regular file (a FIFO"), "\(error.message)")
    }

    @Test func oneHundredMegabytesOfGarbageAreRefusedUnread() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/config.yaml"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        // Sparse: 100 MB without writing them.
        #expect(truncate(path, 100_000_000) == 0)
        guard case .failure(let error) = ConfigFile.load(path) else {
            Issue.record("100 MB loaded as a config")
            return
        }
        #expect(error.message == "\(path) is 100000000 bytes, larger than a config file can be (1024 KiB): is it the right file?")
    }

    @Test func garbageWithinTheLimitGetsTheParsersErrors() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/config.yaml"
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<200_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        guard case .failure(let error) = ConfigFile.load(path) else {
            Issue.record("random bytes loaded as a config")
            return
        }
        #expect(error.message == "\(path) is not UTF-8 text; save it as UTF-8")
        // Printable garbage is text, and is refused as an invalid config.
        try Data(String(repeating: "}{ :: - [", count: 50_000).utf8).write(to: URL(fileURLWithPath: path))
        guard case .failure(let parsed) = ConfigFile.load(path) else {
            Issue.record("printable garbage loaded as a config")
            return
        }
        #expect(parsed.message.contains("limber config check"), "\(parsed.message)")
        #expect(parsed.details?.isEmpty == false)
    }
}
