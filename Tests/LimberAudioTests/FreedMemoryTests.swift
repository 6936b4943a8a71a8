import LimberAudio
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// True under AddressSanitizer or ThreadSanitizer, whose allocators stand in for glibc's:
/// glibc's threshold and its count of mapped bytes then say nothing (`make check-sanitizers`).
let sanitizerAllocatorIsActive = (["__asan_init", "__tsan_init"] as [String]).contains { (name: String) -> Bool in
    dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) != nil
}

@Suite("Freed memory", .disabled(if: sanitizerAllocatorIsActive, "a sanitizer replaces glibc's malloc"))
struct FreedMemoryTests {
    /// Left dynamic, glibc raises its threshold to the size of a mapped block when it is
    /// freed (up to 32 MB), and the next smaller block comes from an arena instead. Sizes
    /// are megabytes, so blocks other tests map and free meanwhile do not decide it.
    @Test("a freed block does not raise the threshold: the next large block is still mapped on its own")
    func thresholdStaysFixed() {
        FreedMemory.returnLargeBlocksAtOnce()
        var large: [UInt8]? = [UInt8](repeating: 1, count: 16 << 20)
        #expect(large?.count == 16 << 20)
        large = nil
        let before = FreedMemory.mappedBytes
        let next = [UInt8](repeating: 2, count: 8 << 20)
        #expect(FreedMemory.mappedBytes - before >= 6 << 20)
        #expect(next.count == 8 << 20)
    }
}
