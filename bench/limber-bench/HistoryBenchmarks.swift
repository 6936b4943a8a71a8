import Foundation
import LimberHistory
import LimberSpawn

#if canImport(Glibc)
import Glibc
#endif

/// A small seeded generator (SplitMix64): the same database on every run.
private struct SeededRandom: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// `history-gen --days N --out FILE`: writes N days (ending today) of realistic history:
/// on weekdays a morning mobility routine most days, a lunchtime desk reset or an evening
/// breathing session on some, movement breaks every ~45 min in working hours
/// (09:00–12:30, 13:30–17:30) with a plausible mix of outcomes, heat on some evenings,
/// a lighter weekend, and one or two pain ratings most days drifting between 1 and 8.
func historyGenerate(_ arguments: [String]) -> Int32 {
    var days = 1825
    var out: String?
    var index = 0
    while index < arguments.count {
        switch arguments[index] {
        case "--days" where index + 1 < arguments.count:
            guard let value = Int(arguments[index + 1]), value > 0 else { return usage("--days takes a positive number") }
            days = value
            index += 2
        case "--out" where index + 1 < arguments.count:
            out = arguments[index + 1]
            index += 2
        default:
            return usage("usage: limber-bench history-gen [--days N] --out FILE")
        }
    }
    guard let out else { return usage("usage: limber-bench history-gen [--days N] --out FILE") }
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: out + suffix) }

    var random = SeededRandom(state: 20_261_129)
    let calendar = Calendar.current
    let today = calendar.startOfDay(for: Date())
    var records: [HistoryRecord] = []
    var pain = 4.0
    func at(_ day: Date, _ minutes: Double) -> Date { day.addingTimeInterval(minutes * 60) }
    func iso(_ date: Date) -> String { HistoryTime.iso8601(date) }
    func session(_ day: Date, startMinute: Double, id: String, kind: String, minutes: Double, steps: Int) {
        let start = at(day, startMinute)
        let stopped = Double.random(in: 0..<1, using: &random) < 0.08
        let actual = stopped ? minutes * Double.random(in: 0.2..<0.8, using: &random) : minutes
        records.append(
            .run(
                SessionRunEntry(
                    session: id, name: id, kind: kind, started: iso(start), ended: iso(at(start, actual)),
                    plannedMs: Int64(minutes * 60_000), actualMs: Int64(actual * 60_000),
                    stepsCompleted: stopped ? Int(Double(steps) * actual / minutes) : steps, steps: steps, stepsSkipped: 0,
                    outcome: stopped ? "stopped" : "completed", reason: stopped ? "user" : nil)))
    }

    for offset in stride(from: days - 1, through: 0, by: -1) {
        guard let day = calendar.date(byAdding: .day, value: -offset, to: today) else { continue }
        let weekday = calendar.component(.weekday, from: day)
        let workday = (2...6).contains(weekday)
        let roll = { Double.random(in: 0..<1, using: &random) }
        if workday {
            if roll() < 0.7 { session(day, startMinute: 450 + roll() * 30, id: "morning-mobility", kind: "exercise", minutes: 12, steps: 18) }
            if roll() < 0.4 { session(day, startMinute: 760 + roll() * 20, id: "desk-reset", kind: "exercise", minutes: 3, steps: 6) }
            if roll() < 0.3 { session(day, startMinute: 1260 + roll() * 60, id: "box-breathing", kind: "mindfulness", minutes: 10, steps: 40) }
            for (from, to) in [(540.0, 750.0), (810.0, 1050.0)] {
                var minute = from + 45 + roll() * 10
                while minute < to {
                    let due = at(day, minute)
                    let pick = roll()
                    let outcome: BreakEntry.Outcome =
                        pick < 0.55 ? .taken : pick < 0.65 ? .natural : pick < 0.72 ? .snoozed : pick < 0.87 ? .skipped : .missed
                    let snoozes = outcome == .snoozed ? 1 + Int(roll() * 2) : outcome == .taken && roll() < 0.2 ? 1 : 0
                    let length: Double =
                        switch outcome {
                        case .taken: 3 + Double(snoozes) * 5
                        case .natural: 20 + roll() * 40
                        case .snoozed: Double(snoozes) * 5 + 10
                        case .skipped: 0.5
                        case .missed: 10
                        }
                    records.append(
                        .breakEnded(BreakEntry(kind: .movement, due: iso(due), outcome: outcome, snoozeCount: snoozes, ended: iso(at(due, length)))))
                    minute += length + 40 + roll() * 10
                }
            }
        } else if roll() < 0.5 {
            session(day, startMinute: 600 + roll() * 120, id: "morning-mobility", kind: "exercise", minutes: 15, steps: 22)
        }
        if roll() < 0.25 { session(day, startMinute: 1200 + roll() * 60, id: "heat-lower-back", kind: "heat", minutes: 20, steps: 5) }
        pain = min(8, max(1, pain + (roll() - 0.5) * 1.5))
        if roll() < 0.8 {
            records.append(.pain(PainEntry(level: Int(pain.rounded()), area: "lower-back", time: iso(at(day, 1230 + roll() * 60)))))
        }
        if roll() < 0.3 {
            records.append(.pain(PainEntry(level: Int((pain + 1).rounded()), note: "morning stiffness", area: "lower-back", time: iso(at(day, 420)))))
        }
    }
    do {
        try HistoryDatabase.append(records, path: out)
    } catch {
        FileHandle.standardError.write(Data("\(error.message)\n".utf8))
        return 1
    }
    let size = (try? FileManager.default.attributesOfItem(atPath: out)[.size] as? Int) ?? 0
    print("history-gen: \(days) days, \(records.count) records → \(out) (\(size / 1024) KiB)")
    return 0
}

/// `history-stats --bin DIR --db FILE [--runs N] [--days N]`: wall time of the `limber stats
/// --days N` process (median and p90 of N runs after one warm-up) and the database size.
func historyStatsBenchmark(_ arguments: [String]) -> Int32 {
    var bin: String?
    var database: String?
    var runs = 15
    var days = 365
    var index = 0
    while index < arguments.count, index + 1 < arguments.count {
        switch arguments[index] {
        case "--bin": bin = arguments[index + 1]
        case "--db": database = arguments[index + 1]
        case "--runs": runs = Int(arguments[index + 1]) ?? runs
        case "--days": days = Int(arguments[index + 1]) ?? days
        default: return usage("usage: limber-bench history-stats --bin DIR --db FILE [--runs N] [--days N]")
        }
        index += 2
    }
    guard let bin, let database, runs > 0 else {
        return usage("usage: limber-bench history-stats --bin DIR --db FILE [--runs N] [--days N]")
    }
    let stateDirectory = (database as NSString).deletingLastPathComponent
    guard
        let times = timeSideBySide(
            [(bin + "/limber", ["stats", "--days", String(days), "--state-dir", stateDirectory]), (bin + "/limber", ["--version"])], runs: runs)
    else { return 1 }
    let (stats, baseline) = (times[0], times[1])
    let size = (try? FileManager.default.attributesOfItem(atPath: database)[.size] as? Int) ?? 0
    print(
        String(
            format: "history-stats: `limber stats --days %d` wall time median %.1f ms, p90 %.1f ms (%d runs; target ≤ 50 ms); `limber --version` (process start alone) median %.1f ms; database %.1f MiB",
            days, stats.median, stats.p90, runs, baseline.median, Double(size) / 1_048_576))
    return 0
}

/// Median and p90 wall time in milliseconds of running a process to completion (stdout to
/// /dev/null), after one warm-up run; nil (with a message) if it cannot run or fails.
func timeProcess(_ path: String, _ arguments: [String], runs: Int) -> (median: Double, p90: Double)? {
    timeSideBySide([(path, arguments)], runs: runs)?.first
}

/// ``timeProcess(_:_:runs:)`` for several commands at once, interleaved: each round runs every
/// command once, in order, so that a yardstick sees the same machine load as the command it
/// is compared with (this machine is shared; load comes and goes within a run).
///
/// A `ChildProcess`, not Foundation's Process: on Linux its waitUntilExit polls a run loop in
/// 50 ms slices, which would swamp the figure.
func timeSideBySide(_ commands: [(path: String, arguments: [String])], runs: Int) -> [(median: Double, p90: Double)]? {
    var samples = [[Double]](repeating: [], count: commands.count)
    for round in 0...runs {
        for (index, command) in commands.enumerated() {
            let start = DispatchTime.now().uptimeNanoseconds
            let termination: ChildProcess.Termination
            do {
                termination = try ChildProcess(
                    command.path, command.arguments, environment: ProcessInfo.processInfo.environment, stdout: .null,
                    stderr: .inherit
                ).wait()
            } catch {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                return nil
            }
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            guard termination == .exited(0) else {
                FileHandle.standardError.write(
                    Data("\(command.path) \(command.arguments.joined(separator: " ")) failed (\(termination))\n".utf8))
                return nil
            }
            if round > 0 { samples[index].append(elapsed) }
        }
    }
    return samples.map { times in
        let sorted = times.sorted()
        return (sorted[sorted.count / 2], sorted[min(sorted.count - 1, sorted.count * 9 / 10)])
    }
}

func usage(_ message: String) -> Int32 {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    return 2
}
