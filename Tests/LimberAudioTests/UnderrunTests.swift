import Foundation
@testable import LimberAudio
import Testing

// Part of the serialized PulseAudio suite: both point PULSE_SERVER at their own server.
extension PulseAudioTests {
    @Test("a stream starved past its buffer recovers and asks for a new clock mapping",
          .enabled(if: PulseServer.isInstalled, "pulseaudio (and parec) not installed"))
    func recoversFromUnderrun() async throws {
        let pulse = try PulseServer()
        defer { pulse.stop() }
        #expect(try await pulse.waitFor { pulse.pactl("info") != nil }, "pulseaudio did not come up")
        setenv("PULSE_SERVER", "unix:\(pulse.socket)", 1)
        let stream = try PCMStream(device: "pulse")
        let silence = [Int16](repeating: 0, count: stream.periodFrames)
        for _ in 0..<(stream.bufferFrames / stream.periodFrames + 2) {
            try silence.withUnsafeBufferPointer { try stream.writePeriod($0) }
        }
        #expect(stream.isRunning)
        #expect(!stream.lostSync)
        try await Task.sleep(for: .milliseconds(500))
        try silence.withUnsafeBufferPointer { try stream.writePeriod($0) }
        #expect(stream.lostSync)
        stream.dropAndClose()
    }
}
