import Foundation
import LimberProtocol

#if canImport(Glibc)
import Glibc
#endif

/// `status [--bin DIR] [--yardstick PATH]... [--runs N] [--requests N]`: `limber status` as a
/// process next to trivial programs (the yardsticks, linked the same way), side by side in
/// the same rounds; the binaries' sizes; then `status` requests over one connection.
func statusBenchmark(_ arguments: [String]) -> Int32 {
    let bin = binDirectory(arguments)
    let requests = Int(option("--requests", in: arguments, default: 20000))
    let runs = Int(option("--runs", in: arguments, default: 101))
    let yardsticks = values(of: "--yardstick", in: arguments)
    do {
        let daemon = try BenchDaemon(binDirectory: bin, sessions: [:])
        defer { daemon.stop() }
        let programs = [(bin + "/limber", ["status", "--socket", daemon.socket])] + yardsticks.map { ($0, [String]()) }
        guard let times = timeSideBySide(programs, runs: runs) else { throw BenchError("limber status or a yardstick failed") }
        let status = times[0]
        print(
            String(
                format: "status: `limber status` process round trip median %.2f ms, p90 %.2f ms (%d runs, target ≤ 5 ms and ≤ 1.5× the trivial binary)",
                status.median, status.p90, runs))
        for (index, yardstick) in yardsticks.enumerated() {
            let time = times[index + 1]
            print(
                String(
                    format: "status: yardstick %@ median %.2f ms, p90 %.2f ms; limber status / yardstick = %.2f×",
                    (yardstick as NSString).lastPathComponent, time.median, time.p90, status.median / time.median))
        }
        let sizes = ([bin + "/limber", bin + "/limber-tools", bin + "/limberd"] + yardsticks).map { path in
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
        print(String(format: "status: %.0f requests/s over one connection (%d sequential request/reply pairs; target ≥ 20,000/s)", sequential, requests))
        let pipelined = try pipelinedStatus(socket: daemon.socket, requests: requests * 5)
        print(String(format: "status: %.0f requests/s over one connection (%d pipelined: written by one thread while another reads the replies; target ≥ 100,000/s)", pipelined, requests * 5))
        return 0
    } catch {
        FileHandle.standardError.write(Data("limber-bench status: \(error)\n".utf8))
        return 1
    }
}

/// `requests` status requests written back to back on one connection while the replies are
/// read: requests per second from the first write to the last reply.
func pipelinedStatus(socket path: String, requests: Int) throws -> Double {
    let fd = try connectedSocket(path, name: "the pipelined client")
    defer { close(fd) }
    let line = Array("{\"cmd\":\"status\"}\n".utf8)
    let batch = Array((0..<256).map { _ in line }.joined())
    let start = DispatchTime.now().uptimeNanoseconds
    let writer = Thread {
        var left = requests
        while left > 0 {
            let count = min(256, left)
            var offset = 0
            let bytes = count == 256 ? batch : Array(batch.prefix(count * line.count))
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                if written <= 0 { return }
                offset += written
            }
            left -= count
        }
    }
    writer.start()
    var replies = 0
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while replies < requests {
        let got = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard got > 0 else { throw BenchError("the connection closed after \(replies) replies") }
        replies += buffer[0..<got].reduce(0) { $1 == 10 ? $0 + 1 : $0 }
    }
    return Double(requests) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

/// Every value given to a repeatable option, in order.
func values(of name: String, in arguments: [String]) -> [String] {
    arguments.indices.compactMap { index in
        arguments[index] == name && index + 1 < arguments.count ? arguments[index + 1] : nil
    }
}
