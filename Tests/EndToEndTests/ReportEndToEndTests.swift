import Foundation
import LimberHistory
import Testing

/// `limber report` through the built binary, against `limber stats --json` and in headless
/// Chromium (skipped, saying why, when Debian's `chromium` is not installed).
@Suite(.serialized) struct ReportEndToEndTests {
    /// Six weeks ending today: a morning session on weekdays (some rated before and after),
    /// breaks of every outcome, a pain rating a day, and 8/10 on two days of the last week.
    static func sixWeeks(in state: String) throws {
        let calendar = Calendar.current
        let today = calendar.startOfDay(for: Date())
        var records: [HistoryRecord] = []
        let outcomes: [BreakEntry.Outcome] = [.taken, .natural, .snoozed, .skipped, .missed]
        for offset in 0..<42 {
            guard let day = calendar.date(byAdding: .day, value: -offset, to: today) else { continue }
            func at(_ minutes: Double) -> String { HistoryTime.iso8601(day.addingTimeInterval(minutes * 60)) }
            if !calendar.isDateInWeekend(day) {
                records.append(
                    .run(
                        SessionRunEntry(
                            session: "morning-mobility", name: "Morning mobility", kind: offset % 3 == 0 ? "mindfulness" : "exercise",
                            started: at(480), ended: at(492), plannedMs: 720_000, actualMs: 720_000 - Int64(offset) * 1_000,
                            stepsCompleted: 18, steps: 18, stepsSkipped: 0, outcome: "completed")))
                if offset % 4 == 0 {
                    records.append(.pain(PainEntry(level: 5, time: at(480.1), session: "morning-mobility", moment: .before)))
                    records.append(.pain(PainEntry(level: 3, time: at(493), session: "morning-mobility", moment: .after)))
                }
                for (index, outcome) in outcomes.enumerated() where (offset + index) % 2 == 0 {
                    records.append(.breakEnded(BreakEntry(kind: .movement, due: at(600 + Double(index) * 60), outcome: outcome, ended: at(605 + Double(index) * 60))))
                }
            }
            let severe = offset == 1 || offset == 3
            records.append(.pain(PainEntry(level: severe ? 8 : 3 + offset % 3, time: at(1200))))
        }
        try HistoryDatabase.append(records, path: HistoryDatabase.path(stateDirectory: state))
    }

    static func scratch() throws -> URL {
        let url = URL(fileURLWithPath: "/tmp/lr-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// `data-figure="key">value<` of one table row or the summary.
    static func figure(_ key: String, in html: some StringProtocol) -> String? {
        guard let range = html.range(of: "data-figure=\"\(key)\">") else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "<" })
    }

    @Test func theReportsFiguresAreThoseOfStats() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let state = directory.appendingPathComponent("state").path
        try Self.sixWeeks(in: state)
        let out = directory.appendingPathComponent("report.html").path
        let made = try run(limberBinary(), ["report", "--days", "42", "--state-dir", state, "--out", out])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.hasPrefix("wrote \(out): "))
        let stats = try run(limberBinary(), ["stats", "--days", "42", "--json", "--state-dir", state])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])
        let days = try #require(json["days"] as? [[String: Any]])
        let html = try String(contentsOfFile: out, encoding: .utf8)

        #expect(Self.figure("total-minutes", in: html) == String(Int(((json["total_minutes"] as? Double) ?? -1).rounded())))
        let breaks = try #require(json["breaks"] as? [String: Int])
        #expect(Self.figure("breaks-taken", in: html) == breaks["taken"].map(String.init))
        #expect(Self.figure("breaks-not-taken", in: html) == String((breaks["snoozed"] ?? 0) + (breaks["skipped"] ?? 0) + (breaks["missed"] ?? 0)))
        #expect(Self.figure("pain-average", in: html) == (json["pain_average"] as? Double).map { String(format: "%.1f", $0).replacingOccurrences(of: ".0", with: "") })
        #expect(Self.figure("sessions", in: html) == String(days.reduce(0) { $0 + (($1["sessions"] as? Int) ?? 0) }))

        // Six weekly rows, each the sum of its days in stats.
        let rows = html.components(separatedBy: "<tr data-from=\"").dropFirst()
        #expect(rows.count == 6)
        for row in rows {
            let from = String(row.prefix(10))
            let to = String(row.dropFirst(from.count + 11).prefix(10))
            let week = days.filter { (($0["date"] as? String) ?? "") >= from && (($0["date"] as? String) ?? "") <= to }
            #expect(week.count == 7, "\(from)–\(to)")
            func sum(_ key: String) -> Double { week.reduce(0) { $0 + ((($1["session_minutes"] as? [String: Double])?[key]) ?? 0) } }
            for kind in HistoryStats.kinds { #expect(Self.figure(kind, in: row) == String(Int(sum(kind).rounded())), "\(from) \(kind)") }
            for outcome in ["taken", "natural", "snoozed", "skipped", "missed"] {
                let count = week.reduce(0) { $0 + ((($1["breaks"] as? [String: Int])?[outcome]) ?? 0) }
                #expect(Self.figure(outcome, in: row) == String(count), "\(from) \(outcome)")
            }
            let sitting = week.compactMap { $0["longest_sitting_minutes"] as? Int }.max()
            #expect(Self.figure("sitting", in: row) == sitting.map { String(format: "%d:%02d", $0 / 60, $0 % 60) } ?? "–")
        }
        #expect(html.contains("data-rule=\"severe-pain-twice-in-a-week\""))
        #expect(html.contains("<td data-figure=\"before\">5</td><td data-figure=\"after\">3</td>"))
    }

    @Test func anEmptyHistoryRenders() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("empty.html").path
        let made = try run(limberBinary(), ["report", "--state-dir", directory.appendingPathComponent("none").path, "--out", out])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("nothing recorded in it yet"))
        let html = try String(contentsOfFile: out, encoding: .utf8)
        #expect(html.contains("Nothing recorded yet") && !html.contains("<svg"))
        guard let chromium = Self.chromium else { return }
        let dom = try run(chromium, Self.flags(directory) + ["--dump-dom", "file://" + out])
        #expect(dom.status == 0)
        #expect(dom.stdout.contains("Limber has no sessions, breaks or pain ratings between"))
    }

    static var chromium: URL? {
        let path = "/usr/bin/chromium"
        guard FileManager.default.isExecutableFile(atPath: path) else { return nil }
        return URL(fileURLWithPath: path)
    }

    static func flags(_ directory: URL) -> [String] {
        ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + directory.appendingPathComponent("chromium").path]
    }

    @Test(.enabled(if: chromium != nil, "Debian's chromium is not installed (apt-get install chromium, or make setup-test)"))
    func chromiumRendersAndPrintsTheReport() throws {
        let chromium = try #require(Self.chromium)
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let state = directory.appendingPathComponent("state").path
        try Self.sixWeeks(in: state)
        let out = directory.appendingPathComponent("report.html").path
        #expect(try run(limberBinary(), ["report", "--state-dir", state, "--out", out]).status == 0)
        let url = "file://" + out

        let dom = try run(chromium, Self.flags(directory) + ["--dump-dom", url])
        #expect(dom.status == 0)
        let html = try String(contentsOfFile: out, encoding: .utf8)
        for key in ["total-minutes", "breaks-taken", "pain-average", "sessions"] {
            let value = try #require(Self.figure(key, in: html))
            #expect(dom.stdout.contains("data-figure=\"\(key)\">\(value)<"), "\(key)")
        }
        #expect(dom.stdout.components(separatedBy: "<svg").count - 1 == 4)
        #expect(dom.stdout.contains("Pain, 0 to 10, by day") && dom.stdout.contains("When to see a professional"))

        let png = directory.appendingPathComponent("shot.png")
        let shot = try run(chromium, Self.flags(directory) + ["--window-size=900,1400", "--hide-scrollbars", "--screenshot=" + png.path, url])
        #expect(shot.status == 0)
        let image = try PNGImage(contentsOf: png)
        #expect(image.width == 900 && image.height == 1400)
        // Not blank: plenty of ink, and the charts' colours (the dark blue of bars and line).
        #expect(image.fraction { $0.r < 200 || $0.g < 200 || $0.b < 200 } > 0.03)
        #expect(image.fraction { $0.r < 60 && $0.g < 110 && $0.b > 90 } > 0.002)

        let pdf = directory.appendingPathComponent("report.pdf")
        let printed = try run(chromium, Self.flags(directory) + ["--no-pdf-header-footer", "--print-to-pdf=" + pdf.path, url])
        #expect(printed.status == 0)
        let text = String(decoding: try Data(contentsOf: pdf), as: UTF8.self)
        let count = try #require(text.firstMatch(of: #/\/Type\s*\/Pages[^>]*?\/Count\s+(\d+)/#)?.output.1 ?? text.firstMatch(of: #/\/Count\s+(\d+)/#)?.output.1)
        #expect((1...3).contains(Int(count) ?? 0), "\(count) pages")
        // A4 portrait: 595 × 842 points.
        #expect(text.contains("/MediaBox [0 0 594.95996 841.91998]") || text.contains("/MediaBox [0 0 595"))
    }
}
