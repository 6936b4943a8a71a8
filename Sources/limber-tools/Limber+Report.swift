import ArgumentParser
import LimberClient
import Foundation
import LimberCore
import LimberHistory
import LimberProtocol
import LimberReport

extension Limber {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write an HTML report with charts of pain, sessions, breaks and sitting, for you and your physiotherapist.",
            discussion: """
                One self-contained file (inline CSS and SVG, no script, nothing fetched), readable \
                offline and printable on A4. Reads the history database directly (read-only; works \
                with limberd stopped or running). Its figures are those of `limber stats` for the \
                same period; see docs/report.md.
                """)

        @OptionGroup var location: HistoryLocation

        @Option(help: ArgumentHelp("The last N days, today included (default 42: six weeks).", valueName: "n"))
        var days: Int?

        @Option(help: ArgumentHelp("From this day to today.", valueName: "yyyy-mm-dd"))
        var since: String?

        @Option(help: ArgumentHelp("Where to write the report (default: limber-report-<today>.html here).", valueName: "file.html"))
        var out: String?

        @Flag(help: "Open the report with xdg-open once it is written.")
        var open = false

        func validate() throws {
            try HistoryPeriod.validate(days: days, since: since)
            if let out, out.isEmpty { throw ValidationError("--out takes a file name, e.g. --out report.html") }
        }

        func run() throws {
            let period = HistoryPeriod(days: days, since: since, defaultDays: 42)
            var snapshot = HistorySnapshot()
            do {
                if let queue = try HistoryDatabase.openForReading(path: location.path) {
                    snapshot = try location.read(queue) { try period.snapshot($0) }
                }
            } catch let error as HistoryError {
                Output.fail(error.message)
                throw ExitCode.problem
            }
            let report = HistoryReport.make(snapshot, first: period.first, last: period.today, today: period.now, calendar: period.calendar)
            let html = ReportPage(report: report, made: period.now, source: location.path, version: limberVersion, calendar: period.calendar).render()
            let path = out ?? "limber-report-\(report.stats.to).html"
            do {
                try Data(html.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                Output.fail("cannot write the report to \(path) (\(error.localizedDescription)); choose another place with --out FILE.html")
                throw ExitCode.problem
            }
            let range = HistoryDate.range(report.stats.from, report.stats.to)
            let emptyNote = report.isEmpty ? "; nothing recorded in it yet (see the file for how to start)" : ""
            print("wrote \(path): \(range), \(html.utf8.count / 1024 + 1) KB\(emptyNote); open it in a browser, or print it on A4")
            if open { try Self.open(path) }
        }

        /// Hands `path` to `xdg-open` (the desktop's browser) without waiting for it.
        static func open(_ path: String) throws {
            let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
            guard let opener = searchPath.split(separator: ":").map({ "\($0)/xdg-open" })
                .first(where: FileManager.default.isExecutableFile(atPath:))
            else {
                Output.fail("cannot open \(path): xdg-open is not installed (apt-get install xdg-utils); open the file in a browser yourself")
                throw ExitCode.problem
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: opener)
            process.arguments = [path]
            do {
                try process.run()
            } catch {
                Output.fail("cannot run \(opener) \(path) (\(error.localizedDescription)); open the file in a browser yourself")
                throw ExitCode.problem
            }
        }
    }
}
