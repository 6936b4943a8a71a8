import Foundation

/// Reads and writes RIFF WAVE files: what a `voice.command` engine writes on stdout, and
/// what `limber say --out` saves.
public enum WAVCodec {
    /// Sound read from a WAV file: mono samples in −1…1 at `rate`.
    public struct Sound: Sendable, Equatable {
        public var rate: Double
        public var samples: [Float]

        public init(rate: Double, samples: [Float]) {
            self.rate = rate
            self.samples = samples
        }
    }

    public struct Problem: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// Decodes PCM (8, 16, 24 or 32 bit integer) or IEEE float (32 or 64 bit) WAV of any
    /// rate and channel count; channels are averaged to mono. Streamed WAVs whose sizes are
    /// left at 0 or 0xFFFFFFFF (as a pipe writer must) are read to the end of the data.
    public static func decode(_ bytes: [UInt8]) throws(Problem) -> Sound {
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        guard bytes.count >= 12, bytes[0..<4] == [0x52, 0x49, 0x46, 0x46], bytes[8..<12] == [0x57, 0x41, 0x56, 0x45] else {
            throw Problem(description: "not a WAV file (no RIFF/WAVE header)")
        }
        var at = 12
        var format: (tag: Int, channels: Int, rate: Int, bits: Int)?
        while at + 8 <= bytes.count {
            let id = String(decoding: bytes[at..<at + 4], as: UTF8.self)
            let size = u32(at + 4)
            let body = at + 8
            if id == "fmt " {
                guard body + 16 <= bytes.count else { throw Problem(description: "the WAV format chunk is cut short") }
                var tag = u16(body)
                if tag == 0xFFFE, body + 26 <= bytes.count { tag = u16(body + 24) }  // WAVE_FORMAT_EXTENSIBLE
                format = (tag, u16(body + 2), u32(body + 4), u16(body + 14))
            } else if id == "data" {
                guard let format else { throw Problem(description: "the WAV data comes before its format chunk") }
                let end = size == 0 || size == 0xFFFF_FFFF ? bytes.count : min(bytes.count, body + size)
                return try Sound(rate: Double(format.rate), samples: samples(bytes[body..<end], format: format))
            }
            at = body + size + (size & 1)
        }
        throw Problem(description: "the WAV file has no data chunk")
    }

    private static func samples(
        _ data: ArraySlice<UInt8>, format: (tag: Int, channels: Int, rate: Int, bits: Int)
    ) throws(Problem) -> [Float] {
        guard format.channels >= 1, format.channels <= 16, format.rate >= 4_000, format.rate <= 768_000 else {
            throw Problem(description: "a WAV of \(format.channels) channels at \(format.rate) Hz is not supported")
        }
        let width = format.bits / 8
        let decodeOne: (ArraySlice<UInt8>.Index) -> Float
        switch (format.tag, format.bits) {
        case (1, 8): decodeOne = { (Float(data[$0]) - 128) / 128 }
        case (1, 16): decodeOne = { Float(Int16(bitPattern: UInt16(data[$0]) | UInt16(data[$0 + 1]) << 8)) / 32_768 }
        case (1, 24):
            decodeOne = {
                let raw = Int32(data[$0]) << 8 | Int32(data[$0 + 1]) << 16 | Int32(data[$0 + 2]) << 24
                return Float(raw >> 8) / 8_388_608
            }
        case (1, 32):
            decodeOne = {
                let raw = UInt32(data[$0]) | UInt32(data[$0 + 1]) << 8 | UInt32(data[$0 + 2]) << 16 | UInt32(data[$0 + 3]) << 24
                return Float(Int32(bitPattern: raw)) / 2_147_483_648
            }
        case (3, 32):
            decodeOne = {
                Float(bitPattern: UInt32(data[$0]) | UInt32(data[$0 + 1]) << 8 | UInt32(data[$0 + 2]) << 16 | UInt32(data[$0 + 3]) << 24)
            }
        case (3, 64):
            decodeOne = { index in
                var raw: UInt64 = 0
                for k in 0..<8 { raw |= UInt64(data[index + k]) << (8 * k) }
                return Float(Double(bitPattern: raw))
            }
        default:
            throw Problem(description: "WAV sample format \(format.tag) at \(format.bits) bits is not supported (use 16-bit PCM)")
        }
        let frameBytes = width * format.channels
        let frames = data.count / frameBytes
        var out = [Float](repeating: 0, count: frames)
        var index = data.startIndex
        for frame in 0..<frames {
            var sum: Float = 0
            for _ in 0..<format.channels {
                sum += decodeOne(index)
                index += width
            }
            out[frame] = sum / Float(format.channels)
        }
        return out
    }

    /// 16-bit PCM mono WAV of `samples` at `rate`.
    public static func encode(_ samples: [Int16], rate: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(44 + samples.count * 2)
        func put32(_ value: Int) { for k in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * k))) } }
        func put16(_ value: Int) { for k in 0..<2 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * k))) } }
        bytes += Array("RIFF".utf8)
        put32(36 + samples.count * 2)
        bytes += Array("WAVEfmt ".utf8)
        put32(16)
        put16(1)
        put16(1)
        put32(rate)
        put32(rate * 2)
        put16(2)
        put16(16)
        bytes += Array("data".utf8)
        put32(samples.count * 2)
        for sample in samples { put16(Int(sample)) }
        return bytes
    }
}
