import Foundation
import LimberCore
import Testing

@Suite struct SessionLibraryTests {
    /// A fresh temporary directory, removed by the caller.
    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("limber-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func write(_ text: String, to directory: URL, as name: String) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: directory.appendingPathComponent(name))
    }

    @Test func searchPathFollowsXDG() {
        let path = SessionLibrary.searchPath(
            environment: ["HOME": "/home/u", "XDG_CONFIG_HOME": "/cfg", "XDG_DATA_DIRS": "/a:/b"],
            executablePath: "/opt/limber/bin/limber")
        #expect(path == [
            "/cfg/limber/sessions", "/home/u/.local/share/limber/sessions", "/a/limber/sessions",
            "/b/limber/sessions", "/opt/limber/share/limber/sessions",
        ])
        let defaults = SessionLibrary.searchPath(environment: ["HOME": "/home/u"], executablePath: nil)
        #expect(defaults == [
            "/home/u/.config/limber/sessions", "/home/u/.local/share/limber/sessions",
            "/usr/local/share/limber/sessions", "/usr/share/limber/sessions",
        ])
        let explicit = SessionLibrary.searchPath(explicitDirectories: ["/x"], environment: ["HOME": "/h"], executablePath: "/bin/limber")
        #expect(explicit == ["/x"])
    }

    @Test func earlierDirectoriesShadowLaterOnesAndIncludesResolve() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let user = root.appendingPathComponent("user")
        let builtIn = root.appendingPathComponent("builtin")
        try write(script("  - rest: 1s\n"), to: user, as: "breath.yaml")
        try write(script("  - rest: 2s\n"), to: builtIn, as: "breath.yaml")
        try write(script("  - include: breath\n  - rest: 3s\n"), to: builtIn, as: "combo.yaml")
        try write("not a session", to: builtIn, as: "notes.txt")
        let library = SessionLibrary(directories: [user.path, builtIn.path, root.appendingPathComponent("missing").path])

        #expect(library.entries().map(\.id) == ["breath", "combo"])
        #expect(library.entries().first?.path == user.appendingPathComponent("breath.yaml").path)
        #expect(library.compile(id: "combo").timeline?.totalMs == 4_000)
        #expect(library.compile(reference: "combo").timeline?.totalMs == 4_000)
        // A file's own directory comes first for its includes.
        let file = builtIn.appendingPathComponent("combo.yaml").path
        #expect(library.compile(reference: file).timeline?.totalMs == 5_000)
        #expect(library.compile(text: script("  - include: breath\n"), path: "socket").timeline?.totalMs == 1_000)

        let missing = library.compile(id: "breth")
        #expect(missing.diagnostics.first?.message.hasPrefix("no session 'breth' (did you mean 'breath'?)") == true)
        let noFile = library.compile(file: root.appendingPathComponent("nope.yaml").path)
        #expect(noFile.diagnostics.first?.message == "no such file: check the path")
    }

    /// Found by fuzz-control: `NSString.deletingLastPathComponent` stops the process on Linux
    /// for a one-character relative path, and `show` with `"path": "t"` took limberd down.
    @Test func directoryOfAPathIsFoundWithoutNSString() throws {
        let cases = [
            "t": "", "b/": "", "": "", "t.yaml": "", "/": "/", "//": "/", "/t": "/", "/t/": "/",
            "a/b": "a", "a/b/": "a", "a//b": "a", "/a/b.yaml": "/a", "./t": ".", "../s/t.yaml": "../s",
        ]
        for (path, directory) in cases {
            #expect(SessionLibrary.directory(of: path) == directory, "\(path)")
        }
    }

    @Test func preparsedSessionsCompileTheSame() throws {
        let sessions = InMemorySessions(["box-breathing": boxBreathing, "broken": "name: [x"])
        let plain = TimelineCompiler(resolver: sessions).compile(text: designSketch, path: "t.yaml")
        let preparsed = TimelineCompiler(resolver: PreparsedSessions(sessions)).compile(text: designSketch, path: "t.yaml")
        #expect(plain.timeline != nil)
        #expect(plain.timeline == preparsed.timeline)
        let broken = TimelineCompiler(resolver: PreparsedSessions(sessions)).compile(text: script("  - include: broken\n"), path: "t.yaml")
        #expect(broken.errors.first?.message.hasPrefix("included session 'broken' has 1 error(s)") == true)
    }
}
