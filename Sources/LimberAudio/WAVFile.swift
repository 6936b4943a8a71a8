/// A minimal RIFF/WAVE encoder for 16-bit PCM (what `limber sound render` writes).
public enum WAVFile {
    /// The bytes of a WAV file holding `samples` as mono S16_LE at `sampleRate`.
    public static func encode(_ samples: [Int16], sampleRate: Int = CueSynth.sampleRate) -> [UInt8] {
        let dataBytes = samples.count * 2
        var bytes: [UInt8] = []
        bytes.reserveCapacity(44 + dataBytes)
        func append(_ text: String) { bytes.append(contentsOf: Array(text.utf8)) }
        func append32(_ value: Int) { withUnsafeBytes(of: UInt32(truncatingIfNeeded: value).littleEndian) { bytes.append(contentsOf: $0) } }
        func append16(_ value: Int) { withUnsafeBytes(of: UInt16(truncatingIfNeeded: value).littleEndian) { bytes.append(contentsOf: $0) } }
        append("RIFF")
        append32(36 + dataBytes)
        append("WAVE")
        append("fmt ")
        append32(16)
        append16(1)               // PCM
        append16(1)               // mono
        append32(sampleRate)
        append32(sampleRate * 2)  // byte rate
        append16(2)               // block align
        append16(16)              // bits per sample
        append("data")
        append32(dataBytes)
        for sample in samples {
            withUnsafeBytes(of: sample.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    /// The samples of a mono S16 WAV file's `data` chunk, or nil if it is not one.
    ///
    /// A data size of 0 or beyond the file (a writer that never went back to fill it in)
    /// means "to the end of the file".
    public static func decode(_ bytes: [UInt8]) -> (sampleRate: Int, samples: [Int16])? {
        func read32(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24 }
        func read16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        guard bytes.count >= 12, bytes[0..<4].elementsEqual("RIFF".utf8), bytes[8..<12].elementsEqual("WAVE".utf8) else { return nil }
        var offset = 12
        var sampleRate = 0
        while offset + 8 <= bytes.count {
            let id = String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
            var size = read32(offset + 4)
            let body = offset + 8
            if id == "fmt ", body + 16 <= bytes.count {
                guard read16(body) == 1, read16(body + 2) == 1, read16(body + 14) == 16 else { return nil }
                sampleRate = read32(body + 4)
            } else if id == "data" {
                if size == 0 || body + size > bytes.count { size = bytes.count - body }
                var samples: [Int16] = []
                samples.reserveCapacity(size / 2)
                var at = body
                while at + 1 < body + size {
                    samples.append(Int16(bitPattern: UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8))
                    at += 2
                }
                return (sampleRate, samples)
            }
            offset = body + size + (size & 1)
        }
        return nil
    }
}
