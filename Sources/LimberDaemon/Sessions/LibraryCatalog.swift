import Foundation
import LimberCore
import LimberProtocol

/// The daemon's sessions: the search path (or `--sessions` directories), compiled on demand.
///
/// Starting by id always compiles the file as it is now, so an edited script needs no reload;
/// `reload` re-reads the directory listing that `sessions` reports.
public actor LibraryCatalog: SessionCatalog {
    private let explicitDirectories: [String]?
    private var library: SessionLibrary
    private var cached: SessionsResult?

    public init(directories: [String]) {
        explicitDirectories = directories.isEmpty ? nil : directories
        library = SessionLibrary(explicitDirectories: explicitDirectories)
    }

    public func list() -> SessionsResult {
        if let cached { return cached }
        let result = scan()
        cached = result
        return result
    }

    public func timeline(id: String) throws(ControlError) -> Timeline {
        guard library.path(forID: id) != nil else {
            let hint = DidYouMean.hint(for: id, in: library.knownIDs)
            throw ControlError(.unknownSession, "no session '\(id)'\(hint); `limber sessions` lists them")
        }
        return try Self.timeline(from: library.compile(id: id), name: id)
    }

    public func timeline(script: String, path: String) throws(ControlError) -> Timeline {
        // A script sent as text includes its neighbours first, as `limber validate FILE` does.
        let directory = SessionLibrary.directory(of: path)
        let local = SessionLibrary(directories: (directory.isEmpty || !path.hasPrefix("/") ? [] : [directory]) + library.directories)
        return try Self.timeline(from: local.compile(text: script, path: path), name: path)
    }

    public func reload() -> ReloadResult {
        library = SessionLibrary(explicitDirectories: explicitDirectories)
        let result = scan()
        cached = result
        return ReloadResult(sessions: result.sessions.count, problems: result.problems)
    }

    private func scan() -> SessionsResult {
        let prepared = PreparsedSessions(library)
        let compiler = TimelineCompiler(resolver: prepared)
        var sessions: [SessionSummary] = []
        var problems: [String] = []
        for entry in library.entries() {
            guard let source = prepared.source(forID: entry.id) else { continue }
            if let problem = source.problem {
                problems.append(problem)
                continue
            }
            let result = compiler.compile(text: source.text, path: entry.path, id: entry.id)
            if let timeline = result.timeline {
                sessions.append(
                    SessionSummary(id: timeline.id, name: timeline.name, kind: timeline.kind, totalMs: timeline.totalMs, path: entry.path))
            } else {
                problems += result.errors.map(\.description)
            }
        }
        return SessionsResult(sessions: sessions, problems: problems)
    }

    private static func timeline(from result: CompileResult, name: String) throws(ControlError) -> Timeline {
        if let timeline = result.timeline { return timeline }
        let errors = result.errors.map(\.description)
        throw ControlError(
            .invalidSession,
            "\(name) has \(errors.count) error\(errors.count == 1 ? "" : "s"); fix \(errors.count == 1 ? "it" : "them") and try again (`limber validate FILE` lists them)",
            details: errors)
    }
}
