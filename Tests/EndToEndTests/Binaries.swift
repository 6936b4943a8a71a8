import Foundation

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
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let out = try FileHandle(forWritingTo: outURL)
    let err = try FileHandle(forWritingTo: errURL)
    defer {
        try? out.close()
        try? err.close()
    }
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return ProcessOutput(
        status: process.terminationStatus,
        stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
        stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
}
