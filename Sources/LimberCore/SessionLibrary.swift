import Foundation

/// The sessions on the search path, by id: user sessions shadow installed ones.
///
/// Search path, earliest first (an earlier directory's `ID.yaml` shadows a later one's):
/// 1. the explicit directories, if any (`--sessions DIR`), and nothing else;
/// 2. `$XDG_CONFIG_HOME/limber/sessions` (default `~/.config/limber/sessions`);
/// 3. `$XDG_DATA_HOME/limber/sessions` (default `~/.local/share/limber/sessions`);
/// 4. each `$XDG_DATA_DIRS` entry + `/limber/sessions` (default `/usr/local/share:/usr/share`);
/// 5. `<directory of the running executable>/../share/limber/sessions`.
///
/// Reads text files only; directories that do not exist are skipped.
public struct SessionLibrary: SessionResolver {
    /// One script on the search path.
    public struct Entry: Sendable, Hashable, Codable {
        public var id: String
        public var path: String
    }

    /// The directories searched, earliest (winning) first.
    public var directories: [String]

    /// A library over exactly these directories, earliest (winning) first.
    public init(directories: [String]) {
        self.directories = directories
    }

    /// The library of the standard search path, or of `explicitDirectories` when given.
    public init(explicitDirectories: [String]? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                executablePath: String? = Bundle.main.executablePath) {
        self.directories = Self.searchPath(explicitDirectories: explicitDirectories,
                                           environment: environment, executablePath: executablePath)
    }

    /// The search path for an environment (see the type's documentation).
    public static func searchPath(explicitDirectories: [String]? = nil, environment: [String: String],
                                  executablePath: String?) -> [String] {
        searchPath(of: "sessions", explicitDirectories: explicitDirectories, environment: environment,
                   executablePath: executablePath)
    }

    /// The search path of `limber/<subdirectory>` (`sessions`, `programs`) for an environment.
    static func searchPath(of subdirectory: String, explicitDirectories: [String]?, environment: [String: String],
                           executablePath: String?) -> [String] {
        if let explicitDirectories, !explicitDirectories.isEmpty { return explicitDirectories }
        let home = nonEmpty(environment["HOME"]) ?? NSHomeDirectory()
        let config = nonEmpty(environment["XDG_CONFIG_HOME"]) ?? home + "/.config"
        let data = nonEmpty(environment["XDG_DATA_HOME"]) ?? home + "/.local/share"
        let dataDirs = (nonEmpty(environment["XDG_DATA_DIRS"]) ?? "/usr/local/share:/usr/share")
            .split(separator: ":").map(String.init).filter { !$0.isEmpty }
        var path = [config + "/limber/" + subdirectory, data + "/limber/" + subdirectory]
        path += dataDirs.map { $0 + "/limber/" + subdirectory }
        if let executablePath {
            let binDir = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
            path.append(binDir.deletingLastPathComponent().appendingPathComponent("share/limber/" + subdirectory).path)
        }
        var seen = Set<String>()
        return path.filter { seen.insert($0).inserted }
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }

    /// Every session on the search path, shadowed ones left out, sorted by id.
    public func entries() -> [Entry] {
        var byID: [String: Entry] = [:]
        for directory in directories {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for name in names.sorted() where name.hasSuffix(".yaml") && !name.hasPrefix(".") {
                let id = SessionScript.id(forPath: name)
                if byID[id] == nil {
                    byID[id] = Entry(id: id, path: (directory as NSString).appendingPathComponent(name))
                }
            }
        }
        return byID.values.sorted { $0.id < $1.id }
    }

    /// The file of session `id`, the earliest on the search path.
    public func path(forID id: String) -> String? {
        guard !id.isEmpty, !id.contains("/") else { return nil }
        for directory in directories {
            let path = (directory as NSString).appendingPathComponent(id + ".yaml")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return path
            }
        }
        return nil
    }

    public func source(forID id: String) -> SessionSource? {
        guard let path = path(forID: id) else { return nil }
        switch Self.read(path) {
        case .text(let text): return SessionSource(id: id, path: path, text: text)
        case .rejected(let diagnostic):
            return SessionSource(id: id, path: path, text: "", problem: diagnostic.description)
        }
    }

    public var knownIDs: [String] { entries().map(\.id) }

    /// Compiles the session `id` from the search path.
    public func compile(id: String, strict: Bool = false) -> CompileResult {
        guard let path = path(forID: id) else {
            let hint = DidYouMean.hint(for: id, in: knownIDs)
            return CompileResult(timeline: nil, diagnostics: [Diagnostic(
                file: id, line: 0, column: 0, severity: .error,
                message: "no session '\(id)'\(hint) in \(directories.joined(separator: ", ")): `limber sessions` lists them")])
        }
        return compile(path: path, id: id, strict: strict, ownDirectoryFirst: false)
    }

    /// Compiles a script file. Its includes are looked up in the file's own directory first,
    /// then in this library, so a directory of scripts that include each other validates
    /// as it stands.
    public func compile(file path: String, id: String? = nil, strict: Bool = false) -> CompileResult {
        compile(path: path, id: id, strict: strict, ownDirectoryFirst: true)
    }

    private func compile(path: String, id: String?, strict: Bool, ownDirectoryFirst: Bool) -> CompileResult {
        switch Self.read(path) {
        case .text(let text):
            var library = self
            if ownDirectoryFirst {
                let directory = Self.directory(of: path)
                library = SessionLibrary(directories: [directory.isEmpty ? "." : directory] + directories)
            }
            return library.compiler(strict: strict).compile(text: text, path: path, id: id)
        case .rejected(let diagnostic):
            return CompileResult(timeline: nil, diagnostics: [diagnostic])
        }
    }

    /// Compiles a script given as text (sent over the control socket, say); its includes
    /// come from this library.
    public func compile(text: String, path: String, id: String? = nil, strict: Bool = false) -> CompileResult {
        compiler(strict: strict).compile(text: text, path: path, id: id)
    }

    /// Compiles `reference`: a file when it names one (contains `/` or ends in `.yaml`/`.yml`),
    /// otherwise a session id. `limber show ID|FILE` and `limber start ID|FILE` use this.
    public func compile(reference: String, strict: Bool = false) -> CompileResult {
        if Self.looksLikeFile(reference) { return compile(file: reference, strict: strict) }
        return compile(id: reference, strict: strict)
    }

    /// The directory part of `path`, as `NSString.deletingLastPathComponent` gives it: "" for a
    /// bare file name, "/" for a file at the root, trailing slashes ignored.
    ///
    /// Not `NSString`'s own: on Linux (swift-corelibs-foundation, Swift 6.3) it stops the
    /// process for a one-character relative path such as "t" or "b/" (found by fuzz-control:
    /// `show` with `"path": "t"` took limberd down).
    public static func directory(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        var directory = trimmed[..<slash]
        while directory.count > 1, directory.hasSuffix("/") { directory = directory.dropLast() }
        return directory.isEmpty ? "/" : String(directory)
    }

    /// True when `reference` names a file rather than a session id.
    public static func looksLikeFile(_ reference: String) -> Bool {
        reference.contains("/") || reference.hasSuffix(".yaml") || reference.hasSuffix(".yml")
    }

    /// A compiler whose includes come from this library.
    public func compiler(strict: Bool = false) -> TimelineCompiler {
        TimelineCompiler(resolver: self, strict: strict)
    }

    /// The text of a script file, reading at most a little over the 1 MiB limit.
    static func read(_ path: String) -> ScriptText.Decoded {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            return .rejected(Diagnostic(
                file: path, line: 0, column: 0, severity: .error,
                message: exists ? "cannot read the file: check its permissions" : "no such file: check the path"))
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: ScriptText.maximumBytes + 1) ?? Data()
        } catch {
            return .rejected(Diagnostic(file: path, line: 0, column: 0, severity: .error,
                                        message: "cannot read the file (\(error.localizedDescription)): is it a directory?"))
        }
        if data.count > ScriptText.maximumBytes {
            return .rejected(Diagnostic(
                file: path, line: 0, column: 0, severity: .error,
                message: "the file is over the 1 MiB limit for a session script: split it and use `include:`"))
        }
        return ScriptText.decode([UInt8](data), path: path)
    }
}
