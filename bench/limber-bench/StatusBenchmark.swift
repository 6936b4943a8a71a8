import Foundation
import LimberProtocol
import LimberSpawn

/// `status [--bin DIR] [--yardstick PATH]... [--runs N] [--requests N]`: `limber status` as a
/// process next to trivial programs (the yardsticks, linked the same way), run in turns so
/// that the machine's noise falls on all alike; the binaries' sizes; then `status` requests
/// over one connection.
func statusBenchmark(_ arguments: [String]) -> Int32 {
    let bin = binDirectory(arguments)
    let requests = Int(option("--requests", in: arguments, default: 20000))
    let runs = Int(option("--runs", in: arguments, default: 101))
    let yardsticks = values(of: "--yardstick", in: arguments)
    do {
        let daemon = try BenchDaemon(binDirectory: bin, sessions: [:])
        defer { daemon.stop() }
        let programs = [(bin + "/limber", ["status", "--socket", daemon.socket])] + yardsticks.map { ($0, [String]()) }
        let samples = try timeInTurns(programs, runs: runs)
        let status = samples[0]
        print(
            String(
                format: "status: `limber status` process round trip median %.2f ms, p90 %.2f ms (%d runs, target ≤ 5 ms and ≤ 1.5× the trivial binary)",
                percentile(status, 0.5), percentile(status, 0.9), runs))
        for (index, yardstick) in yardsticks.enumerated() {
            let times = samples[index + 1]
            print(
                String(
                    format: "status: yardstick %@ median %.2f ms, p90 %.2f ms; limber status / yardstick = %.2f×",
                    (yardstick as NSString).lastPathComponent, percentile(times, 0.5), percentile(times, 0.9),
                    percentile(status, 0.5) / percentile(times, 0.5)))
        }
        let sizes = ([bin + "/limber", bin + "/limberd"] + yardsticks).map { path in
            let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            return String(format: "%@ %.1f MB", (path as NSString).lastPathComponent, Double(bytes) / 1e6)
        }
        print("binaries: " + sizes.joined(separator: ", "))
        let client = try ControlClient(path: daemon.socket)
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<requests {
            _ = try client.rawCall("status")
        }
        let sequential = Double(requests) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        print(String(format: "status: %.0f requests/s over one connection (%d sequential request/reply pairs)", sequential, requests))
        return 0
    } catch {
        FileHandle.standardError.write(Data("limber-bench status: \(error)\n".utf8))
        return 1
    }
}

/// Wall milliseconds of each program per run, sorted; the programs take turns within each
/// run, after one warm-up run of each. A program that does not exit 0 is an error.
func timeInTurns(_ programs: [(path: String, arguments: [String])], runs: Int) throws -> [[Double]] {
    var samples = Array(repeating: [Double](), count: programs.count)
    for run in 0...runs {
        for (index, program) in programs.enumerated() {
            let start = DispatchTime.now().uptimeNanoseconds
            let termination = try ChildProcess(
                program.path, program.arguments, environment: ProcessInfo.processInfo.environment, stdout: .null, stderr: .inherit
            ).wait()
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            guard termination == .exited(0) else {
                throw BenchError("\(program.path) \(program.arguments.joined(separator: " ")) failed (\(termination))")
            }
            if run > 0 { samples[index].append(elapsed) }
        }
    }
    return samples.map { $0.sorted() }
}

/// Every value given to a repeatable option, in order.
func values(of name: String, in arguments: [String]) -> [String] {
    arguments.indices.compactMap { index in
        arguments[index] == name && index + 1 < arguments.count ? arguments[index + 1] : nil
    }
}
