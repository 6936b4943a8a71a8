import Foundation
import LimberProtocol
import LimberSpawn

#if canImport(Glibc)
import Glibc
#endif

/// `status [--bin DIR] [--yardstick PATH]... [--peer PATH] [--runs N] [--requests N] [--rounds N]`:
/// `limber status` as a process next to trivial programs (the yardsticks, linked the same
/// way), side by side in the same rounds; the binaries' sizes; then `status` requests over
/// one connection, sequential and pipelined, in rounds that alternate with the same client
/// against `--peer` (bench/yardstick/line-server.swift: a server that only answers lines).
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
        let replyBytes = try ControlClient(path: daemon.socket).rawCall("status").count + 1
        let rounds = Int(option("--rounds", in: arguments, default: 5))
        var servers = [("limberd", daemon.socket)]
        var peer: ChildProcess?
        if let path = values(of: "--peer", in: arguments).first {
            let socket = daemon.directory + "/peer.sock"
            peer = try ChildProcess(path, [socket, String(replyBytes)], environment: [:], stdout: .inherit, stderr: .inherit)
            let deadline = Date().addingTimeInterval(5)
            while (try? ControlClient(path: socket)) == nil {
                guard Date() < deadline else { throw BenchError("the peer \(path) did not listen") }
                usleep(10_000)
            }
            servers.append(((path as NSString).lastPathComponent, socket))
        }
        defer { if let peer, peer.signal(SIGTERM) { peer.wait() } }
        var sequential = Array(repeating: [Double](), count: servers.count)
        var pipelined = Array(repeating: [Double](), count: servers.count)
        for _ in 0..<rounds {
            for (index, server) in servers.enumerated() {
                sequential[index].append(try sequentialStatus(socket: server.1, requests: requests))
                pipelined[index].append(try pipelinedStatus(socket: server.1, requests: requests * 5))
            }
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        for (index, server) in servers.enumerated() {
            print(
                String(
                    format: "status: %@ %.0f requests/s sequential over one connection (median of %d rounds of %d request/reply pairs%@)",
                    server.0, median(sequential[index]), rounds, requests,
                    index == 0 ? "; target ≥ 20,000/s" : String(format: "; limberd reaches %.0f%% of it", 100 * median(sequential[0]) / median(sequential[index]))))
            print(
                String(
                    format: "status: %@ %.0f requests/s pipelined over one connection (median of %d rounds of %d, written by one thread while another reads%@)",
                    server.0, median(pipelined[index]), rounds, requests * 5,
                    index == 0 ? "; target ≥ 100,000/s" : String(format: "; limberd reaches %.0f%% of it", 100 * median(pipelined[0]) / median(pipelined[index]))))
        }
        print("status: each reply is \(replyBytes) bytes; the peer answers with as many")
        return 0
    } catch {
        FileHandle.standardError.write(Data("limber-bench status: \(error)\n".utf8))
        return 1
    }
}

/// `requests` status requests, each sent once the previous reply has arrived: requests per second.
func sequentialStatus(socket path: String, requests: Int) throws -> Double {
    let client = try ControlClient(path: path)
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<requests {
        _ = try client.rawCall("status")
    }
    return Double(requests) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
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
