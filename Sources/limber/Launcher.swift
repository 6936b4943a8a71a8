#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LimberWire

/// Where the rest of `limber` lives: limber-tools, which links the script compiler, audio,
/// speech and the history database, is started in this process's place (exec) for every
/// command the thin client does not answer itself, with the same arguments.
enum Launcher {
    /// `$LIMBER_TOOLS`, else `limber-tools` beside this executable (a build directory, or an
    /// install where both are in bin/), else `../libexec/limber/limber-tools` from it (an
    /// install by `make install`).
    static func candidates(executable: String?, environment override: String?) -> [String] {
        if let override, !override.isEmpty { return [override] }
        guard let executable, let slash = executable.lastIndex(of: "/") else { return [] }
        let directory = String(executable[..<slash])
        return [directory + "/limber-tools", directory + "/../libexec/limber/limber-tools"]
    }

    /// Replaces this process with limber-tools; returns only when none could be started.
    static func exec(_ arguments: [String]) -> Never {
        let paths = candidates(executable: ownPath(), environment: getenv("LIMBER_TOOLS").map { String(cString: $0) })
        var failures: [String] = []
        for path in paths {
            let argv = arguments.map { strdup($0) } + [nil]
            execv(path, argv)
            let reason = String(cString: strerror(errno))
            argv.forEach { free($0) }
            failures.append("\(path) (\(reason))")
        }
        let command = arguments.dropFirst().first { !$0.hasPrefix("-") }.map { "`limber \($0)`" } ?? "this command"
        let message = "limber: \(command) is run by limber-tools, which could not be started: "
            + (failures.isEmpty ? "this executable's path is unknown" : "tried " + failures.joined(separator: ", "))
            + ". Reinstall Limber (`make install`), or set LIMBER_TOOLS to its path.\n"
        writeWhole(STDERR_FILENO, Array(message.utf8))
        exit(1)
    }

    /// This executable's path, from /proc/self/exe.
    private static func ownPath() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
