import ArgumentParser
import LimberClient
import Foundation
import LimberCore

extension Limber {
    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check session scripts and programs, reporting every problem as file:line:column.",
            discussion: """
                Includes are looked up in each file's own directory first, then on the \
                sessions search path (or --sessions). Heat-safety findings, and spoken texts \
                that would run into the next cue (at the config's voice and rate), are \
                warnings, errors with --strict. A file whose top level has `stages:` is a \
                program (docs/programs.md); the sessions its plan names must be on the \
                sessions search path (or --sessions).

                Exit status: 0 every file is valid, 1 a file is invalid (or has warnings \
                under --strict), 2 usage error.
                """
        )

        @Argument(help: ArgumentHelp("Session script or program files to check.", valueName: "FILE"))
        var files: [String] = []

        @Flag(help: "Treat warnings (heat safety, spoken text too long) as errors.")
        var strict = false

        @Flag(help: "Skip the spoken-text check (it renders every phrase).")
        var noSpeech = false

        @OptionGroup var sessions: SessionsOptions

        func validate() throws {
            if files.isEmpty { throw ValidationError("give at least one FILE to check, e.g. limber validate Sessions/*.yaml") }
        }

        func run() async throws {
            let library = sessions.library()
            var invalid = 0
            var errors = 0
            var warnings = 0
            let speech = noSpeech ? nil : SpokenTextCheck()
            for file in files {
                if Self.isProgram(file) {
                    let result = ProgramLibrary(directories: [], sessions: library).load(file: file)
                    for diagnostic in result.diagnostics { print(diagnostic) }
                    errors += result.errors.count
                    if result.program == nil { invalid += 1 }
                    continue
                }
                var result = library.compile(file: file, strict: strict)
                if let speech, let timeline = result.timeline {
                    result.diagnostics += speech.overruns(timeline, path: file, strict: strict)
                    if strict && !result.errors.isEmpty { result.timeline = nil }
                }
                for diagnostic in result.diagnostics { print(diagnostic) }
                errors += result.errors.count
                warnings += result.warnings.count
                if !result.isValid { invalid += 1 }
            }
            let files = files.count == 1 ? "1 file" : "\(files.count) files"
            let counts = "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")"
            if invalid == 0 {
                print("\(files) valid (\(counts))")
            } else {
                print("\(invalid) of \(files) invalid (\(counts))")
                throw ExitCode.problem
            }
        }

        /// A program rather than a session script: its top level has `stages:`.
        static func isProgram(_ file: String) -> Bool {
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                return false
            }
            return Program.looksLikeProgram(text)
        }
    }
}
