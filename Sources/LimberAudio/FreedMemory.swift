import CALSA

/// glibc malloc settings for a daemon that holds megabytes of sound only while a session runs.
public enum FreedMemory {
    /// Blocks of at least this many bytes get a mapping of their own, unmapped when freed.
    public static let mappedFrom: Int32 = 128 * 1024

    /// Fixes glibc's threshold for mapping large blocks (its default, 128 KB, but no longer
    /// raised on the fly): a phrase or cue (100 KB to 1 MB) is always a mapping of its own and
    /// goes back to the system the moment it is freed. Left dynamic, the threshold rises to
    /// the size of the first phrase freed; later phrases then come from a thread's malloc
    /// arena, and what they leave at its top stays resident, even after `malloc_trim(0)`
    /// (which trims only the main arena's top): 2 MB after a desk-reset, measured.
    public static func returnLargeBlocksAtOnce() {
        _ = mallopt(M_MMAP_THRESHOLD, mappedFrom)
    }

    /// Bytes in blocks malloc has mapped on their own (tests).
    public static var mappedBytes: Int { Int(mallinfo2().hblkhd) }
}
