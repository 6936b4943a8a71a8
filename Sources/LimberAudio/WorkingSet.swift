import CALSA
import Foundation

/// Hands back the pages of code and read-only data the daemon touched while it was busy
/// (starting up, a session), so that its idle footprint is what idling uses.
///
/// limberd's binary and libraries are mapped from their files. A page of them touched once
/// stays in the process (and in its RSS) until the process exits, and the kernel maps 64 KB
/// around each page fault: after start-up, 25 MB of limberd's 36 MB were such pages, of which
/// idling needs about 1 MB. ``trim()`` drops them from the process's page tables with
/// `madvise(MADV_DONTNEED)`. They stay in the page cache, so a page needed again is mapped back
/// with a minor fault (the first request after a trim takes about 0.6 ms more, measured).
/// It frees no memory for other programs: clean file pages are reclaimable anyway; the
/// figure it changes is the process's own RSS, which is what `top` and `ps` show.
///
/// Only mappings that can hold nothing but the file's own bytes are touched: private,
/// backed by a file, not writable, and with no anonymous (copied-on-write) pages. On such a
/// mapping `MADV_DONTNEED` loses nothing. Writable ones (`.data`, where Swift writes its type
/// metadata) and relocated read-only data (RELRO: anonymous pages) are left as they are.
public enum WorkingSet {
    /// One mapping of `/proc/self/smaps`, with what ``droppable(_:)`` needs.
    public struct Region: Sendable, Equatable {
        public var start: UInt
        public var end: UInt
        /// `r-xp`, `rw-p`, `r--s`, ...
        public var permissions: String
        /// The file, `[heap]`, `[stack]`, ...; empty for anonymous memory.
        public var path: String
        public var residentKiB: Int
        public var anonymousKiB: Int

        public init(start: UInt, end: UInt, permissions: String, path: String, residentKiB: Int, anonymousKiB: Int) {
            self.start = start
            self.end = end
            self.permissions = permissions
            self.path = path
            self.residentKiB = residentKiB
            self.anonymousKiB = anonymousKiB
        }

        public var isWritable: Bool { permissions.dropFirst().first == "w" }
        public var isPrivate: Bool { permissions.last == "p" }
        public var isFile: Bool { path.hasPrefix("/") }
    }

    /// The mappings in `smaps` (the text of `/proc/PID/smaps`).
    public static func regions(smaps: String) -> [Region] {
        var regions: [Region] = []
        for line in smaps.split(separator: "\n", omittingEmptySubsequences: true) {
            if let region = header(line) {
                regions.append(region)
            } else if !regions.isEmpty, let (key, kib) = field(line) {
                switch key {
                case "Rss": regions[regions.count - 1].residentKiB = kib
                case "Anonymous": regions[regions.count - 1].anonymousKiB = kib
                default: break
                }
            }
        }
        return regions
    }

    /// The regions whose resident pages can be dropped without losing a byte.
    public static func droppable(_ regions: [Region]) -> [Region] {
        regions.filter { $0.isFile && $0.isPrivate && !$0.isWritable && $0.anonymousKiB == 0 && $0.residentKiB > 0 }
    }

    /// What a trim did.
    public struct Outcome: Sendable, Equatable {
        public var regions = 0
        /// Resident before, in the regions it advised.
        public var residentKiB = 0
        public var failures = 0
        /// Whether `malloc_trim` gave memory back.
        public var mallocReturned = false
    }

    /// Returns malloc's free pages (`malloc_trim(0)`: every arena, not only the top of the
    /// main one; 0.45 MB of an idle limberd's 4.1 MB of anonymous memory, measured), then drops
    /// the resident pages of this process's droppable mappings (see the type's
    /// documentation). Call it where no library is being loaded at the same moment (the
    /// player does, holding its lock: only its thread loads ALSA's plugins).
    public static func trim() -> Outcome {
        var outcome = Outcome()
        outcome.mallocReturned = malloc_trim(0) == 1
        guard let smaps = readWhole("/proc/self/smaps") else { return outcome }
        for region in droppable(regions(smaps: smaps)) {
            let pointer = UnsafeMutableRawPointer(bitPattern: region.start)
            if madvise(pointer, Int(region.end - region.start), MADV_DONTNEED) == 0 {
                outcome.regions += 1
                outcome.residentKiB += region.residentKiB
            } else {
                outcome.failures += 1
            }
        }
        return outcome
    }

    /// The whole of a file whose size `stat` does not know (`/proc`): Foundation's
    /// `String(contentsOfFile:)` returns only what the first `read` gave (4 KB of smaps).
    public static func readWhole(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { return nil }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `7f00-7f10 r-xp 00000000 08:01 1234   /usr/lib/x.so`
    private static func header(_ line: Substring) -> Region? {
        let parts = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
        guard parts.count >= 5, let dash = parts[0].firstIndex(of: "-"), parts[1].count == 4,
              let start = UInt(parts[0][..<dash], radix: 16),
              let end = UInt(parts[0][parts[0].index(after: dash)...], radix: 16)
        else { return nil }
        let path = parts.count == 6 ? String(parts[5].trimmingCharacters(in: .whitespaces)) : ""
        return Region(start: start, end: end, permissions: String(parts[1]), path: path, residentKiB: 0, anonymousKiB: 0)
    }

    /// `Rss:                 896 kB`
    private static func field(_ line: Substring) -> (Substring, Int)? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let rest = line[line.index(after: colon)...].split(separator: " ")
        guard rest.count == 2, rest[1] == "kB", let kib = Int(rest[0]) else { return nil }
        return (line[..<colon], kib)
    }
}
