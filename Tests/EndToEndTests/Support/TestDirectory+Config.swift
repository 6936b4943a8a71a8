import Foundation
import LimberCore

#if canImport(Glibc)
import Glibc
#endif

extension TestDirectory {
    /// The config file the break tests pass to limberd with `--config`.
    var config: String { path + "/config.yaml" }
    var stateFile: String { state + "/state.json" }

    /// Replaces the config file with `text`.
    func writeConfig(_ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: config))
    }

    /// Writes an executable file (a hook script) and returns its path.
    func writeExecutable(_ name: String, _ text: String) throws -> String {
        let file = path + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        guard chmod(file, 0o755) == 0 else { throw TestFailure("chmod \(file): \(String(cString: strerror(errno)))") }
        return file
    }
}

extension DaemonProcess {
    /// limberd on `directory` reading `directory.config` (written from `config` first).
    convenience init(config: String, in directory: TestDirectory? = nil, environment: [String: String] = [:]) throws {
        let directory = try directory ?? TestDirectory()
        try directory.writeConfig(config)
        try self.init(in: directory, arguments: ["--config", directory.config], environment: environment)
    }

    /// Waits until the daemon's log contains `text` (log lines have no event to await).
    func waitForLog(_ text: String, within timeout: Duration = .seconds(5)) throws {
        try eventually(within: timeout, "limberd to log \"\(text)\"", log: { self.log }) { self.log.contains(text) }
    }
}

/// Polls `condition` every 20 ms until it holds: for effects with no event to await (a file
/// a hook writes, a log line).
func eventually(
    within timeout: Duration = .seconds(5), _ what: String, log: () -> String = { "" }, _ condition: () throws -> Bool
) throws {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while try !condition() {
        guard ContinuousClock.now < deadline else { throw TestFailure("waited \(timeout) for \(what)", log: log()) }
        usleep(20_000)
    }
}

/// A wall-clock time as events and `status` carry it (`2026-11-29T14:03:07.250Z`).
func wallTime(_ text: String?) throws -> Date {
    guard let text else { throw TestFailure("no wall-clock time where one was expected") }
    do {
        return try Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    } catch {
        throw TestFailure("'\(text)' is not an ISO 8601 time with milliseconds: \(error)")
    }
}

/// `b - a` in milliseconds.
func milliseconds(from a: Date, to b: Date) -> Double {
    b.timeIntervalSince(a) * 1000
}
