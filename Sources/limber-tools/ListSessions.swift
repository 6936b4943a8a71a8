import ArgumentParser
import LimberClient
import LimberCore
import LimberProtocol

extension Limber {
    struct ListSessions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sessions",
            abstract: "List the sessions on the search path: id, kind, total duration, name.",
            discussion: """
                Search path, earlier shadowing later by id: --sessions DIR (only those, when \
                given); $XDG_CONFIG_HOME/limber/sessions; $XDG_DATA_HOME/limber/sessions; \
                each $XDG_DATA_DIRS entry + /limber/sessions; <executable dir>/../share/limber/sessions.
                When limberd runs (and no --sessions is given) the list is the daemon's. \
                Exit status: 0 listed, 1 a listed session is invalid, 2 usage error.
                """
        )

        @Flag(help: "Print the list as JSON.")
        var json = false

        @OptionGroup var sessions: SessionsOptions
        @OptionGroup var connection: DaemonConnection

        struct Row: Encodable {
            var id: String
            var path: String
            var valid: Bool
            var kind: String?
            var name: String?
            var totalMs: Int64?
        }

        func run() async throws {
            let library = sessions.library()
            var rows: [Row]
            var problems = false
            if sessions.directories.isEmpty, let client = connection.connectIfRunning() {
                let result: SessionsResult = try DaemonConnection.call(client, "sessions")
                rows = result.sessions.map {
                    Row(id: $0.id, path: $0.path, valid: true, kind: $0.kind.rawValue, name: $0.name, totalMs: $0.totalMs)
                }
                for problem in result.problems { Output.error(problem) }
                problems = !result.problems.isEmpty
            } else {
                rows = library.entries().map { entry in
                    let timeline = library.compile(id: entry.id).timeline
                    return Row(id: entry.id, path: entry.path, valid: timeline != nil, kind: timeline?.kind.rawValue,
                               name: timeline?.name, totalMs: timeline?.totalMs)
                }
            }
            if json {
                try Output.json(rows)
            } else if rows.isEmpty {
                Output.error("no sessions found in \(library.directories.joined(separator: ", ")): add *.yaml files there, or pass --sessions DIR")
            } else {
                var table: [[String]] = [["ID", "KIND", "TOTAL", "NAME"]]
                for row in rows {
                    let total: String = row.totalMs.map { DurationText.format($0) } ?? "invalid"
                    let name: String = row.name ?? "(run: limber validate \(row.path))"
                    table.append([row.id, row.kind ?? "?", total, name])
                }
                let widths = (0..<3).map { column in table.map { $0[column].count }.max() ?? 0 }
                for line in table {
                    var text = ""
                    for column in 0..<3 {
                        text += line[column] + String(repeating: " ", count: widths[column] - line[column].count) + "  "
                    }
                    print(text + line[3])
                }
            }
            if problems || rows.contains(where: { !$0.valid }) { throw ExitCode.problem }
        }
    }
}
