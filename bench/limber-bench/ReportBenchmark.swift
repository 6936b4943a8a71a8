import Foundation

/// `report --bin DIR --db FILE [--runs N] [--days N]`: wall time of `limber report --days N`
/// beside two yardsticks timed in the same rounds — `limber --version` (the process start
/// alone) and `limber stats --days N --json` (a peer: the same read of the same history and
/// the same statistics, without the page) — as medians and p90s, and the file's size.
func reportBenchmark(_ arguments: [String]) -> Int32 {
    let usageText = "usage: limber-bench report --bin DIR --db FILE [--runs N] [--days N]"
    var values: [String: String] = [:]
    var index = 0
    while index + 1 < arguments.count {
        values[arguments[index]] = arguments[index + 1]
        index += 2
    }
    guard let bin = values["--bin"], let database = values["--db"], index == arguments.count else { return usage(usageText) }
    let runs = values["--runs"].flatMap(Int.init) ?? 15
    let days = values["--days"].flatMap(Int.init) ?? 1825
    let stateDirectory = (database as NSString).deletingLastPathComponent
    let out = stateDirectory + "/report.html"
    let limber = bin + "/limber"
    let period = ["--days", String(days), "--state-dir", stateDirectory]
    guard runs > 0,
        let times = timeSideBySide(
            [(limber, ["report"] + period + ["--out", out]), (limber, ["--version"]), (limber, ["stats", "--json"] + period)],
            runs: runs)
    else { return 1 }
    let size = (try? FileManager.default.attributesOfItem(atPath: out)[.size] as? Int) ?? 0
    let (report, version, stats) = (times[0], times[1], times[2])
    print(
        String(
            format: "report: `limber report --days %d` median %.1f ms, p90 %.1f ms (target ≤ 300 ms), file %.1f KB = %d bytes (target ≤ 500 KB); "
                + "side by side, %d rounds: `limber --version` median %.1f ms, `limber stats --days %d --json` median %.1f ms",
            days, report.median, report.p90, Double(size) / 1000, size, runs, version.median, days, stats.median))
    return 0
}
