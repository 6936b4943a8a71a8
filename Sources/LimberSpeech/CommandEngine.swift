import Foundation
import LimberSpawn

/// A text-to-speech program of the user's (Piper, festival's `text2wave`, ...): run without
/// a shell, it reads the text on stdin and writes a WAV on stdout.
public struct CommandEngine: Sendable {
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    public var argv: [String]
    /// Longest a phrase may take to render before the command is killed.
    public var timeout: Duration

    public init(argv: [String], timeout: Duration = .seconds(30)) {
        self.argv = argv
        self.timeout = timeout
    }

    public func speak(_ text: String) throws(Problem) -> WAVCodec.Sound {
        guard let program = argv.first, !program.isEmpty else {
            throw Problem(description: "voice.command is empty")
        }
        let executable = ChildProcess.resolve(program, path: ProcessInfo.processInfo.environment["PATH"])
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw Problem(description: "voice.command: '\(program)' was not found or is not executable")
        }
        let directory = FileManager.default.temporaryDirectory.path + "/limber-tts-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard mkdir(directory, 0o700) == 0 else { throw Problem(description: "cannot create \(directory): \(String(cString: strerror(errno)))") }
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let input = directory + "/text", output = directory + "/out.wav", errors = directory + "/stderr"
        guard FileManager.default.createFile(atPath: input, contents: Data(text.utf8)) else {
            throw Problem(description: "cannot write \(input)")
        }
        let child: ChildProcess
        do {
            child = try ChildProcess(
                executable, Array(argv.dropFirst()), environment: ProcessInfo.processInfo.environment,
                stdin: .file(input), stdout: .file(output, append: false), stderr: .file(errors, append: false))
        } catch {
            throw Problem(description: "voice.command: cannot run '\(program)': \(error)")
        }
        guard let termination = child.wait(within: timeout) else {
            _ = child.signal(SIGKILL)
            child.wait()
            throw Problem(description: "voice.command '\(program)' took longer than \(timeout) and was stopped")
        }
        guard termination == .exited(0) else {
            let said = (try? String(contentsOfFile: errors, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            throw Problem(description: "voice.command '\(program)' failed (\(termination))" + (said.isEmpty ? "" : ": \(said.suffix(300))"))
        }
        guard let bytes = FileManager.default.contents(atPath: output) else {
            throw Problem(description: "voice.command '\(program)' wrote nothing")
        }
        do {
            return try WAVCodec.decode(Array(bytes))
        } catch {
            throw Problem(description: "voice.command '\(program)' did not write a WAV on stdout: \(error)")
        }
    }
}
