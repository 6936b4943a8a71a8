import Foundation

/// Rendered phrases on disk, `$XDG_CACHE_HOME/limber/speech`, keyed by engine, voice, rate
/// and text; at most ``limitBytes`` in all (the least recently used go first).
///
/// Each file holds its full key on the first line, then 16-bit 48 kHz mono samples: a hash
/// collision or a torn file reads as a miss, never as the wrong words.
public struct SpeechCache: Sendable {
    public let directory: String
    public let limitBytes: Int

    public init(directory: String, limitBytes: Int = 64 << 20) {
        self.directory = directory
        self.limitBytes = limitBytes
    }

    /// `$XDG_CACHE_HOME/limber/speech`, or `~/.cache/limber/speech`.
    public static func standardDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.cache"
        return base + "/limber/speech"
    }

    static func fileName(for key: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16) + ".s16"
    }

    /// The samples stored under `key`, or nil.
    public func load(key: String) -> [Int16]? {
        let path = directory + "/" + Self.fileName(for: key)
        guard let data = FileManager.default.contents(atPath: path),
              let newline = data.firstIndex(of: 0x0A),
              String(decoding: data[..<newline], as: UTF8.self) == Self.header(key)
        else { return nil }
        let body = data[(newline + 1)...]
        guard body.count % 2 == 0 else { return nil }
        utime(path, nil)  // most recently used
        return body.withUnsafeBytes { raw in Array(raw.bindMemory(to: Int16.self)) }
    }

    /// Stores `samples` under `key` (atomically), then trims the cache to its limit. Failing
    /// to store is not an error: the phrase is rendered again next time.
    public func store(key: String, samples: [Int16]) {
        guard (try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)) != nil else { return }
        var data = Data((Self.header(key) + "\n").utf8)
        samples.withUnsafeBytes { data.append(contentsOf: $0) }
        let path = directory + "/" + Self.fileName(for: key)
        guard (try? data.write(to: URL(fileURLWithPath: path), options: .atomic)) != nil else { return }
        trim()
    }

    private static func header(_ key: String) -> String {
        "limber-speech-1 " + key.replacingOccurrences(of: "\n", with: " ")
    }

    /// Removes the least recently used files until the total is within the limit.
    func trim() {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: directory) else { return }
        var files: [(path: String, size: Int, used: Date)] = names.filter { $0.hasSuffix(".s16") }.compactMap { name in
            let path = directory + "/" + name
            guard let attributes = try? manager.attributesOfItem(atPath: path) else { return nil }
            return (path, (attributes[.size] as? Int) ?? 0, (attributes[.modificationDate] as? Date) ?? .distantPast)
        }
        var total = files.reduce(0) { $0 + $1.size }
        guard total > limitBytes else { return }
        files.sort { $0.used < $1.used }
        for file in files where total > limitBytes {
            try? manager.removeItem(atPath: file.path)
            total -= file.size
        }
    }
}
