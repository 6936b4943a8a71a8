import Foundation
import LimberCore
import Logging

/// Runs the user's hook commands: argv arrays, never a shell, with event data only in
/// `LIMBER_*` environment variables, a time limit, and failures logged, never fatal.
public struct HookRunner: Sendable {
    public static let timeout: Duration = .seconds(10)

    private let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// Starts `argv` for `event` and returns at once; the hook runs in the background.
    public func run(_ event: HookEvent, argv: [String], environment extra: [String: String]) {
        guard let program = argv.first else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.resolve(program))
        process.arguments = Array(argv.dropFirst())
        var environment = ProcessInfo.processInfo.environment
        for key in environment.keys where key.hasPrefix("LIMBER_") { environment.removeValue(forKey: key) }
        environment["LIMBER_EVENT"] = event.rawValue
        environment.merge(extra) { $1 }
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        let (exits, exited) = AsyncStream<Int32>.makeStream(bufferingPolicy: .bufferingNewest(1))
        process.terminationHandler = { finished in
            exited.yield(finished.terminationStatus)
            exited.finish()
        }
        let logger = self.logger
        do {
            try process.run()
        } catch {
            logger.warning(
                "hook could not start",
                metadata: ["event": "\(event.rawValue)", "program": "\(program)", "error": "\(error.localizedDescription)"])
            return
        }
        let pid = process.processIdentifier
        Task.detached {
            let status: Int32? = await withTaskGroup(of: Int32?.self) { group in
                group.addTask { await exits.first { _ in true } }
                group.addTask {
                    try? await Task.sleep(for: HookRunner.timeout)
                    return nil
                }
                let first = await group.next() ?? nil
                group.cancelAll()
                return first
            }
            guard let status else {
                kill(pid, SIGKILL)
                logger.warning(
                    "hook killed after \(HookRunner.timeout)",
                    metadata: ["event": "\(event.rawValue)", "program": "\(program)"])
                return
            }
            if status != 0 {
                logger.warning(
                    "hook failed", metadata: ["event": "\(event.rawValue)", "program": "\(program)", "status": "\(status)"])
            } else {
                logger.debug("hook ran", metadata: ["event": "\(event.rawValue)", "program": "\(program)"])
            }
        }
    }

    /// A bare program name is looked up on PATH, as a shell would, without a shell.
    static func resolve(_ program: String) -> String {
        guard !program.contains("/") else { return program }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return program
    }
}
