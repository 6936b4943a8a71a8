import Foundation
import LimberSpawn

/// Where SwiftPM put the built executables: the directory holding this test bundle
/// (`.build/<triple>/debug`), or `$LIMBER_BIN_DIR` when set.
func productsDirectory() -> URL {
    if let override = ProcessInfo.processInfo.environment["LIMBER_BIN_DIR"], !override.isEmpty {
        return URL(fileURLWithPath: override)
    }
    if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
        // Linux: .build/debug/LimberPackageTests.xctest is the test executable itself;
        // macOS: .build/debug/LimberPackageTests.xctest/Contents/MacOS/LimberPackageTests.
        var directory = executable.deletingLastPathComponent()
        for candidate in [directory, directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()]
        where FileManager.default.isExecutableFile(atPath: candidate.appendingPathComponent("limber").path) {
            directory = candidate
            return directory
        }
    }
    return repositoryRoot().appendingPathComponent(".build/debug")
}

/// The built `limber` client.
func limberBinary() -> URL { productsDirectory().appendingPathComponent("limber") }

/// The built `limberd` daemon.
func limberdBinary() -> URL { productsDirectory().appendingPathComponent("limberd") }

/// The `limber-bench` benchmark executable.
func limberBenchBinary() -> URL { productsDirectory().appendingPathComponent("limber-bench") }

/// The package root (where Package.swift is), found from this source file.
func repositoryRoot() -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

/// What a finished process left behind.
struct ProcessOutput: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `executable` with `arguments` to completion and returns its exit status and output.
///
/// Output goes through temporary files rather than pipes, so a chatty process can never
/// block on a full pipe. `environment` entries are added to (and override) this process's.
func run(_ executable: URL, _ arguments: [String], environment: [String: String] = [:],
         currentDirectory: URL? = nil) throws -> ProcessOutput {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("limber-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("stdout")
    let errURL = scratch.appendingPathComponent("stderr")
    let child = try ChildProcess(
        executable.path, arguments, environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
        stdout: .file(outURL.path), stderr: .file(errURL.path), currentDirectory: currentDirectory?.path)
    return ProcessOutput(
        status: child.wait().status,
        stdout: String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self),
        stderr: String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self))
}
