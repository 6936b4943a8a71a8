import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LimberProtocol
import LimberWire

extension ExitCode {
    /// A command-line usage error.
    public static let usage = ExitCode(2)
    /// The command ran and found a problem (an invalid script, a session not found).
    public static let problem = ExitCode(1)
    /// limberd is not running or cannot be reached.
    public static let unreachable = ExitCode(3)
}

/// Text output for commands, written straight to the file descriptors: no stdio buffer, so a
/// reader at the end of a pipe sees each line at once, and no Foundation `FileHandle`, which
/// the thin client does not link.
public enum Output {
    /// One line to standard error.
    public static func error(_ text: String) {
        writeWhole(STDERR_FILENO, Array((text + "\n").utf8))
    }

    /// A message for the user, prefixed with the program name.
    public static func fail(_ message: String) {
        error("limber: \(message)")
    }

    /// Writes at once to standard output.
    public static func write(_ data: Data) {
        writeWhole(STDOUT_FILENO, Array(data))
    }

    /// One line to standard output, written at once.
    public static func line(_ text: String) {
        writeWhole(STDOUT_FILENO, Array((text + "\n").utf8))
    }

    public static var isTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// `value` as indented JSON in the protocol's conventions (snake_case keys), as the daemon
    /// would send it.
    public static func json<T: Encodable>(_ value: T) throws {
        write(try ControlCodec.encoder(pretty: true).encode(value) + Data([0x0A]))
    }
}
