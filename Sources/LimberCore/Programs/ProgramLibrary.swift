import Foundation

/// The programs on the search path, by id: users' own shadow the built-ins.
///
/// The same search path as ``SessionLibrary``'s, with `programs` for `sessions`:
/// `--programs DIR` (and nothing else), else `$XDG_CONFIG_HOME/limber/programs`,
/// `$XDG_DATA_HOME/limber/programs`, each `$XDG_DATA_DIRS` entry + `/limber/programs`, and
/// `<executable>/../share/limber/programs`.
public struct ProgramLibrary: Sendable {
    /// The directories searched, earliest (winning) first.
    public var directories: [String]
    /// The sessions a program's plan may name.
    public var sessions: SessionLibrary

    public init(directories: [String], sessions: SessionLibrary) {
        self.directories = directories
        self.sessions = sessions
    }

    /// The library of the standard search path, or of `explicitDirectories` when given.
    public init(explicitDirectories: [String]? = nil, sessions: SessionLibrary,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                executablePath: String? = Bundle.main.executablePath) {
        directories = SessionLibrary.searchPath(
            of: "programs", explicitDirectories: explicitDirectories, environment: environment,
            executablePath: executablePath)
        self.sessions = sessions
    }

    /// Every program file on the search path, shadowed ones left out, sorted by id.
    public func entries() -> [SessionLibrary.Entry] {
        SessionLibrary(directories: directories).entries()
    }

    /// Loads and checks program `id` from the search path.
    public func load(id: String) -> Program.ParseResult {
        guard let path = SessionLibrary(directories: directories).path(forID: id) else {
            let hint = DidYouMean.hint(for: id, in: entries().map(\.id))
            return Program.ParseResult(program: nil, diagnostics: [Diagnostic(
                file: id, line: 0, column: 0, severity: .error,
                message: "no program '\(id)'\(hint) in \(directories.joined(separator: ", ")): `limber program list` lists them")])
        }
        return load(file: path, id: id)
    }

    /// Loads and checks a program file; its sessions must exist in ``sessions``.
    public func load(file path: String, id: String? = nil) -> Program.ParseResult {
        switch SessionLibrary.read(path) {
        case .text(let text):
            return Program.parse(text: text, path: path, id: id, knownSessions: sessions.knownIDs)
        case .rejected(let diagnostic):
            return Program.ParseResult(program: nil, diagnostics: [diagnostic])
        }
    }
}
