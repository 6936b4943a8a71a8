import Foundation
import LimberCore
import LimberDaemon
import LimberProtocol
import Testing

@Suite struct LibraryCatalogTests {
    static let script = "name: T\nkind: exercise\ndescription: d\nsteps:\n  - do: X\n    for: 2s\n"

    /// Found by fuzz-control (Fuzz/regressions/control/show-script-path-of-one-character):
    /// a script sent with a one-character relative `path` stopped limberd, in
    /// `NSString.deletingLastPathComponent` (swift-corelibs-foundation).
    @Test func aScriptWithAOneCharacterPathCompiles() async throws {
        let catalog = LibraryCatalog(directories: [FileManager.default.temporaryDirectory.path])
        for path in ["t", "b", "t/", "/t", "a/b", "/a/b.yaml", "<script>", ""] {
            let timeline = try await catalog.timeline(script: Self.script, path: path)
            #expect(timeline.segments.count == 1, "\(path)")
        }
    }
}
