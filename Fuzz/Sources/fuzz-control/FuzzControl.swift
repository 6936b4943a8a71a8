// libFuzzer target: bytes as a client would send them on the control socket, through the
// line-frame decoder (in NIO's EmbeddedChannel, split into reads where the input says), the
// request decoder, and the command dispatcher of a daemon with a real session runner and
// session catalog (the built-in sessions) but no audio, breaks or config.
//
// Every frame must get exactly one reply line of JSON with `ok` and the request's `id`, as
// docs/protocol.md promises; `watch` is left out (it turns the connection into a stream).
import Dispatch
import Foundation
import FuzzSupport
import LimberCore
import LimberDaemon
import LimberProtocol
import Logging
import NIOCore
import NIOEmbedded

/// No sound: cues and sessions are accepted and dropped.
struct SilentOutput: CueOutput, SessionAudio {
    func play(_ cue: Cue) {}
    func shutdown() {}
    var report: AudioReport { AudioReport(state: "unavailable", device: "fuzz", reason: "fuzzing") }
    func beginSession(cues: Set<Cue>) {}
    func sessionReady(timeout: Duration) async -> Bool { false }
    func schedule(_ cue: Cue, at instant: ContinuousClock.Instant) -> Int { 0 }
    func heardInstant(of token: Int) -> ContinuousClock.Instant? { nil }
    func cancelScheduled() {}
    func endSession() {}
}

/// The daemon side of one process, shared by every input.
private let logger: Logger = {
    var logger = Logger(label: "fuzz-control")
    logger.logLevel = .critical
    return logger
}()
private let events = EventHub(logger: logger)
private let runner = SessionRunner(clock: ContinuousClock(), output: SilentOutput(), events: events, logger: logger)
private let commands = ControlCommands(
    runner: runner,
    sessions: LibraryCatalog(directories: [Repository.root.appendingPathComponent("Sessions").path]),
    output: SilentOutput(), events: events,
    reload: { ReloadResult(sessions: 0, problems: []) })

/// The line limit, small so that the over-long path is reached.
private let maxLineBytes = 512

/// Splits `input` into socket reads: the first byte, when present, gives the read size.
private func reads(_ input: [UInt8]) -> [[UInt8]] {
    guard let first = input.first else { return [] }
    let size = Int(first % 64) + 1
    let rest = input.dropFirst()
    return stride(from: rest.startIndex, to: rest.endIndex, by: size).map { Array(rest[$0..<min($0 + size, rest.endIndex)]) }
}

/// The frames the daemon's decoder makes of these reads, as `ControlServer` installs it.
private func frames(_ reads: [[UInt8]]) -> [ControlFrame] {
    let channel = EmbeddedChannel(handler: ByteToMessageHandler(LineFrameDecoder(maxLength: maxLineBytes)))
    var frames: [ControlFrame] = []
    do {
        for read in reads {
            try channel.writeInbound(ByteBuffer(bytes: read))
            while let frame = try channel.readInbound(as: ControlFrame.self) { frames.append(frame) }
        }
        _ = try channel.finish()
        while let frame = try channel.readInbound(as: ControlFrame.self) { frames.append(frame) }
    } catch {
        invariant(false, "the line decoder threw \(error)")
    }
    return frames
}

/// Checks that `reply` is one JSON line answering `id`.
private func checkReply(_ reply: Data, id: JSONValue?) {
    invariant(reply.last == 0x0A, "a reply without its newline")
    invariant(!reply.dropLast().contains(0x0A), "a reply of more than one line")
    guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: reply) else {
        invariant(false, "a reply that is not a JSON object: \(String(decoding: reply, as: UTF8.self))")
        return
    }
    guard case .bool(let ok)? = object["ok"] else {
        invariant(false, "a reply without ok: \(String(decoding: reply, as: UTF8.self))")
        return
    }
    invariant(object["id"] == (id ?? .null), "reply id \(String(describing: object["id"])) for request id \(String(describing: id))")
    invariant(ok ? object["result"] != nil : object["error"] != nil, "a reply without result or error")
}

/// Decodes and dispatches every frame as the server does; returns how many replies it made.
private func serve(_ frames: [ControlFrame]) async {
    for frame in frames {
        guard case .line(let line) = frame else {
            invariant(frame == .tooLong, "unknown frame")
            return  // the server closes the connection
        }
        invariant(line.readableBytes <= maxLineBytes, "a line of \(line.readableBytes) bytes passed the \(maxLineBytes)-byte limit")
        guard line.readableBytes > 0 else { continue }
        switch ControlCodec.parseRequest(Data(line.readableBytesView)) {
        case .failure(let rejected):
            checkReply(ControlCodec.line(ControlReply<Empty>(id: rejected.id, error: rejected.error)), id: rejected.id)
        case .success(let request) where request.cmd == "watch":
            continue
        case .success(let request):
            checkReply(await commands.reply(to: request), id: request.id)
        }
    }
    // Each input starts from an idle daemon.
    try? await runner.stop()
}

@main
enum FuzzControl {
    static func main() { runFuzzer(fuzzOne) }
}

/// One input, as libFuzzer hands it over.
private func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let decoded = frames(reads(bytes(data, size)))
    let done = DispatchSemaphore(value: 0)
    Task {
        await serve(decoded)
        done.signal()
    }
    done.wait()
    return 0
}
