// The yardstick for limberd's request throughput: a server that does nothing but answer
// each line on a Unix socket with a fixed line as long as an idle `status` reply, with
// blocking calls on one thread, one reply write per read (so pipelined requests are answered
// in batches, as limberd answers them). What it reaches is what this machine's kernel and
// the benchmark's own client allow, the ceiling for any server measured the same way.
//
//   line-server SOCKET-PATH REPLY-BYTES
#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments
guard arguments.count == 3, let replySize = Int(arguments[2]), replySize > 1 else {
    fputs("usage: line-server SOCKET-PATH REPLY-BYTES\n", stderr)
    exit(2)
}
let path = arguments[1]
let reply = [UInt8](repeating: UInt8(ascii: "x"), count: replySize - 1) + [0x0A]
let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
var address = sockaddr_un()
address.sun_family = sa_family_t(AF_UNIX)
withUnsafeMutableBytes(of: &address.sun_path) { raw in
    raw.copyBytes(from: Array(path.utf8.prefix(raw.count - 1)) + [0])
}
unlink(path)
let bound = withUnsafePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
}
guard bound == 0, listen(listener, 16) == 0 else {
    fputs("line-server: cannot listen on \(path)\n", stderr)
    exit(1)
}
var input = [UInt8](repeating: 0, count: 1 << 16)
var output: [UInt8] = []
while true {
    let client = accept(listener, nil, nil)
    guard client >= 0 else { continue }
    while true {
        let got = input.withUnsafeMutableBytes { read(client, $0.baseAddress, $0.count) }
        if got <= 0 { break }
        output.removeAll(keepingCapacity: true)
        for index in 0..<got where input[index] == 0x0A { output.append(contentsOf: reply) }
        var offset = 0
        while offset < output.count {
            let written = output[offset...].withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            if written <= 0 { break }
            offset += written
        }
    }
    close(client)
}
