import CZlib
import Foundation

/// An 8-bit RGB or RGBA PNG (what Chromium's `--screenshot` writes), decoded to pixels so a
/// test can look at them.
struct PNGImage {
    struct Pixel { var r: UInt8, g: UInt8, b: UInt8 }

    let width: Int
    let height: Int
    private let channels: Int
    private let rows: [UInt8]

    init(contentsOf url: URL) throws {
        let bytes = [UInt8](try Data(contentsOf: url))
        guard bytes.count > 33, bytes[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else {
            throw TestFailure("\(url.path) is not a PNG")
        }
        func number(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        var offset = 8
        var width = 0, height = 0, channels = 0
        var compressed: [UInt8] = []
        while offset + 8 <= bytes.count {
            let length = number(offset)
            let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
            let body = offset + 8
            guard body + length <= bytes.count else { break }
            if type == "IHDR" {
                width = number(body)
                height = number(body + 4)
                guard bytes[body + 8] == 8, bytes[body + 12] == 0, [2, 6].contains(bytes[body + 9]) else {
                    throw TestFailure("\(url.path): only 8-bit, non-interlaced RGB(A) PNGs are read")
                }
                channels = bytes[body + 9] == 6 ? 4 : 3
            } else if type == "IDAT" {
                compressed += bytes[body..<body + length]
            }
            offset = body + length + 4
        }
        let stride = width * channels
        var raw = [UInt8](repeating: 0, count: (stride + 1) * height)
        var size = uLongf(raw.count)
        let status = raw.withUnsafeMutableBufferPointer { out in
            compressed.withUnsafeBufferPointer { uncompress(out.baseAddress, &size, $0.baseAddress, uLong($0.count)) }
        }
        guard status == Z_OK, Int(size) == raw.count else { throw TestFailure("\(url.path): cannot inflate the image data (\(status))") }
        // Undo the per-row filters (PNG spec, section 9).
        var pixels = [UInt8](repeating: 0, count: stride * height)
        for y in 0..<height {
            let filter = raw[y * (stride + 1)]
            for x in 0..<stride {
                let value = raw[y * (stride + 1) + 1 + x]
                let a = x >= channels ? Int(pixels[y * stride + x - channels]) : 0
                let b = y > 0 ? Int(pixels[(y - 1) * stride + x]) : 0
                let c = x >= channels && y > 0 ? Int(pixels[(y - 1) * stride + x - channels]) : 0
                let predictor: Int
                switch filter {
                case 1: predictor = a
                case 2: predictor = b
                case 3: predictor = (a + b) / 2
                case 4:
                    let p = a + b - c
                    let (pa, pb, pc) = (abs(p - a), abs(p - b), abs(p - c))
                    predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
                default: predictor = 0
                }
                pixels[y * stride + x] = UInt8((Int(value) + predictor) & 0xFF)
            }
        }
        self.width = width
        self.height = height
        self.channels = channels
        self.rows = pixels
    }

    /// The share of pixels for which `test` holds.
    func fraction(_ test: (Pixel) -> Bool) -> Double {
        guard width > 0, height > 0 else { return 0 }
        var count = 0
        for index in stride(from: 0, to: rows.count, by: channels)
        where test(Pixel(r: rows[index], g: rows[index + 1], b: rows[index + 2])) { count += 1 }
        return Double(count) / Double(width * height)
    }
}
