import Foundation
import LimberAudio
import LimberCore
import Logging
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Handing back resident pages")
struct WorkingSetTests {
    static let smaps = """
        55d0a0000000-55d0a1000000 r--p 00000000 08:01 1001                       /usr/bin/limberd
        Size:              16384 kB
        Rss:                 884 kB
        Pss:                 884 kB
        Anonymous:           884 kB
        VmFlags: rd mr mw me dw sd
        55d0a1000000-55d0a4000000 r-xp 01000000 08:01 1001                       /usr/bin/limberd
        Size:              49152 kB
        Rss:               20312 kB
        Anonymous:             0 kB
        VmFlags: rd ex mr mw me dw sd
        55d0a4000000-55d0a4400000 rw-p 04000000 08:01 1001                       /usr/bin/limberd
        Rss:                4308 kB
        Anonymous:           392 kB
        55d0a5000000-55d0a5200000 rw-p 00000000 00:00 0                          [heap]
        Rss:                  56 kB
        Anonymous:            56 kB
        7f0000000000-7f0000100000 r--p 00000000 08:01 2002                       /usr/lib/x86_64-linux-gnu/libasound.so.2.0.0
        Rss:                  64 kB
        Anonymous:             0 kB
        7f0000100000-7f0000101000 r--p 00000000 08:01 2003                       /usr/share/my data/with spaces.bin
        Rss:                   4 kB
        Anonymous:             0 kB
        7f0000200000-7f0000300000 r--s 00000000 08:01 2004                       /home/u/.local/state/limber/history.sqlite-shm
        Rss:                  32 kB
        Anonymous:             0 kB
        7f0000300000-7f0000400000 r-xp 00000000 08:01 2005                       /usr/lib/x86_64-linux-gnu/libsoxr.so.0
        Rss:                   0 kB
        Anonymous:             0 kB
        7ffd00000000-7ffd00002000 r-xp 00000000 00:00 0                          [vdso]
        Rss:                   8 kB
        Anonymous:             0 kB
        7ffd00010000-7ffd00020000 ---p 00000000 00:00 0
        Rss:                   0 kB
        Anonymous:             0 kB

        """

    @Test("every mapping is read with its bounds, permissions, path, resident and anonymous sizes")
    func parses() {
        let regions = WorkingSet.regions(smaps: Self.smaps)
        #expect(regions.count == 10)
        #expect(regions[1] == WorkingSet.Region(
            start: 0x55d0_a100_0000, end: 0x55d0_a400_0000, permissions: "r-xp", path: "/usr/bin/limberd",
            residentKiB: 20_312, anonymousKiB: 0))
        #expect(regions[5].path == "/usr/share/my data/with spaces.bin")
        #expect(regions[9].path == "")
        #expect(regions[2].isWritable && !regions[1].isWritable)
        #expect(!regions[6].isPrivate)
    }

    @Test("this process's own smaps: every mapping of /proc/self/maps is read, in order")
    func parsesOwnSmaps() throws {
        let maps = String(decoding: try #require(WorkingSet.readWhole("/proc/self/maps")), as: UTF8.self)
        let smaps = try #require(WorkingSet.readWhole("/proc/self/smaps"))
        let regions = WorkingSet.regions(smaps: smaps)
        let expected = maps.split(separator: "\n").map { line in
            line.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
        }
        // The two reads are moments apart: a mapping may come or go between them.
        let got = regions.map { String($0.start, radix: 16) + "-" + String($0.end, radix: 16) }
        #expect(abs(got.count - expected.count) <= 4, "\(got.count) regions read, maps has \(expected.count)")
        #expect(Set(got).intersection(expected).count >= expected.count - 4)
        #expect(regions.contains { $0.isFile && $0.permissions == "r-xp" && $0.residentKiB > 0 })
        #expect(regions.allSatisfy { $0.anonymousKiB <= $0.residentKiB })
    }

    @Test("only private, read-only file mappings with no copied pages are dropped")
    func choosesSafely() {
        let chosen = WorkingSet.droppable(WorkingSet.regions(smaps: Self.smaps)).map(\.start)
        // Code, a library's read-only data, a file with spaces in its name. Not: relocated
        // read-only data (anonymous pages), .data, the heap, a shared file, a mapping with
        // nothing resident, the vDSO, a guard page.
        #expect(chosen == [0x55d0_a100_0000, 0x7f00_0000_0000, 0x7f00_0010_0000])
    }

    @Test("a read-only file mapping's pages leave the process and read back unchanged; a written copy is not touched")
    func trimsRealPages() throws {
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        let pages = 64
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("workingset-\(getpid()).bin").path
        let bytes = (0..<pages * pageSize).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 12) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        let fd = open(path, O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        let length = pages * pageSize
        let readOnlyMapping = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0)
        let writtenMapping = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0)
        try #require(readOnlyMapping != MAP_FAILED && writtenMapping != MAP_FAILED)
        let readOnly = try #require(readOnlyMapping).assumingMemoryBound(to: UInt8.self)
        let written = try #require(writtenMapping).assumingMemoryBound(to: UInt8.self)
        defer {
            munmap(readOnly, length)
            munmap(written, length)
        }
        var sum = 0
        for page in 0..<pages { sum &+= Int(readOnly[page * pageSize]) }
        written[5 * pageSize] = 0xAB
        #expect(resident(readOnly, length, pageSize) == pages)
        _ = sum

        let outcome = WorkingSet.trim()
        #expect(outcome.regions >= 1 && outcome.failures == 0, "\(outcome)")
        #expect(resident(readOnly, length, pageSize) == 0)
        #expect((0..<length).allSatisfy { readOnly[$0] == bytes[$0] })
        #expect(written[5 * pageSize] == 0xAB)
        #expect(written[6 * pageSize] == bytes[6 * pageSize])
    }

    @Test("an idle player's trim drops its rendered cues; the next cue is rendered again and plays")
    func playerTrimReleasesCues() {
        let bank = CueBank()
        let player = CuePlayer(
            settings: AudioSettings(device: "null", volume: 0.5), logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
            bank: bank)
        defer { player.shutdown() }
        player.play(.go)
        #expect(player.waitUntilIdle(timeout: .seconds(10)))
        #expect(bank.heldSamples == CueSynth.render(.go, volume: 0.5).count)
        // Idle now: the trim runs before the call returns.
        player.trimResidentPages()
        #expect(bank.heldSamples == 0)
        player.play(.go)
        #expect(player.waitUntilIdle(timeout: .seconds(10)))
        #expect(bank.heldSamples == CueSynth.render(.go, volume: 0.5).count)
    }

    /// Pages of the mapping at `base` resident in this process, from smaps (`mincore` would
    /// answer for the page cache, which keeps them).
    private func resident(_ base: UnsafeMutablePointer<UInt8>, _ length: Int, _ pageSize: Int) -> Int {
        let smaps = WorkingSet.readWhole("/proc/self/smaps") ?? []
        let start = UInt(bitPattern: base)
        let region = WorkingSet.regions(smaps: smaps).first { $0.start == start }
        return (region?.residentKiB ?? -1) * 1024 / pageSize
    }
}
