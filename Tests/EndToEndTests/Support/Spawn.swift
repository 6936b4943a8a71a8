import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Starts `executable` with `posix_spawn`: stdin from /dev/null, stdout and stderr appended
/// to files (the same file when `stderr` is nil).
///
/// The tests spawn children themselves instead of using Foundation's `Process`, whose
/// Linux implementation reaps children on one shared thread (blocking on any child that
/// closes its inherited descriptors, as systemd-socket-activate does) and closes its
/// bookkeeping descriptors in a way that races with sockets other tests open meanwhile.
func spawn(
    _ executable: String, _ arguments: [String], environment: [String: String], stdout: String, stderr: String? = nil,
    currentDirectory: String? = nil
) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    if let stderr {
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    } else {
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
    }
    // Glibc's module does not export posix_spawn_file_actions_addchdir_np; env -C does the same.
    let command = currentDirectory.map { ["/usr/bin/env", "-C", $0, executable] } ?? [executable]
    let argv = (command + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        argv.forEach { free($0) }
        envp.forEach { free($0) }
    }
    var pid: pid_t = 0
    let result = posix_spawn(&pid, command[0], &actions, nil, argv, envp)
    guard result == 0 else { throw TestFailure("cannot start \(executable): \(String(cString: strerror(result)))") }
    return pid
}

/// Waits for `pid` to exit; its exit status, or 128 + N after signal N.
func waitForExitStatus(_ pid: pid_t) -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0, errno == EINTR {}
    return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
}
