import LimberSpawn

#if canImport(Glibc)
import Glibc
#endif

/// `count` shell busy loops, one per core to keep busy: the load timing is measured under.
public func startBusyLoops(_ count: Int) throws -> [ChildProcess] {
    try (0..<count).map { _ in
        try ChildProcess("/bin/sh", ["-c", "while :; do :; done"], environment: [:])
    }
}

/// Ends the loops of ``startBusyLoops(_:)``.
public func stopBusyLoops(_ loops: [ChildProcess]) {
    for process in loops where process.signal(SIGKILL) { process.wait() }
}
