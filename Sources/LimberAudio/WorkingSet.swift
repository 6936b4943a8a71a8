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
        regions(smaps: Array(smaps.utf8))
    }

    /// The same from its bytes. A byte scanner: String's line splitting took 51 ms for an idle
    /// limberd's 190 KB of smaps, this takes well under one.
    public static func regions(smaps bytes: [UInt8]) -> [Region] {
        var regions: [Region] = []
        var lineStart = 0
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            let line = bytes[lineStart..<lineEnd]
            lineStart = lineEnd + 1
            guard let first = line.first else { continue }
            if isLowerHex(first) {
                if let region = header(line) { regions.append(region) }
            } else if !regions.isEmpty {
                if let kib = field("Rss:", line) {
                    regions[regions.count - 1].residentKiB = kib
                } else if let kib = field("Anonymous:", line) {
                    regions[regions.count - 1].anonymousKiB = kib
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
    /// Bytes, for the byte scanner below.
    public static func readWhole(_ path: String) -> [UInt8]? {
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
        return bytes
    }

    /// `7f00-7f10 r-xp 00000000 08:01 1234   /usr/lib/x.so`
    private static func header(_ line: ArraySlice<UInt8>) -> Region? {
        var index = line.startIndex
        func hex(until stop: UInt8) -> UInt? {
            var value: UInt = 0
            var digits = 0
            while index < line.endIndex, line[index] != stop {
                guard let digit = hexValue(line[index]), digits < 16 else { return nil }
                value = value << 4 | UInt(digit)
                digits += 1
                index += 1
            }
            guard index < line.endIndex, digits > 0 else { return nil }
            index += 1
            return value
        }
        func skipField() {
            while index < line.endIndex, line[index] != UInt8(ascii: " ") { index += 1 }
            while index < line.endIndex, line[index] == UInt8(ascii: " ") { index += 1 }
        }
        guard let start = hex(until: UInt8(ascii: "-")), let end = hex(until: UInt8(ascii: " ")),
              line.endIndex - index >= 4
        else { return nil }
        let permissions = String(decoding: line[index..<index + 4], as: UTF8.self)
        skipField()
        skipField()  // offset
        skipField()  // device
        skipField()  // inode, and the spaces before the path
        var pathEnd = line.endIndex
        while pathEnd > index, line[pathEnd - 1] == UInt8(ascii: " ") { pathEnd -= 1 }
        let path = String(decoding: line[index..<pathEnd], as: UTF8.self)
        return Region(start: start, end: end, permissions: permissions, path: path, residentKiB: 0, anonymousKiB: 0)
    }

    /// The number of `Rss:                 896 kB` when the line starts with `name`.
    private static func field(_ name: StaticString, _ line: ArraySlice<UInt8>) -> Int? {
        let count = name.utf8CodeUnitCount
        guard line.count > count else { return nil }
        for offset in 0..<count where line[line.startIndex + offset] != name.utf8Start[offset] { return nil }
        var index = line.startIndex + count
        while index < line.endIndex, line[index] == UInt8(ascii: " ") { index += 1 }
        var value = 0
        var digits = 0
        while index < line.endIndex, let digit = decimalValue(line[index]) {
            value = value * 10 + digit
            digits += 1
            index += 1
        }
        return digits > 0 ? value : nil
    }

    private static func isLowerHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    private static func decimalValue(_ byte: UInt8) -> Int? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int(byte - UInt8(ascii: "0")) : nil
    }
}
