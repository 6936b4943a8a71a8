// swift-tools-version: 6.0
// libFuzzer targets for Limber's parsers and control protocol (docs/fuzzing.md).
//
// A package of its own so that the root package's `swift build` and `swift test` never see
// them: a fuzz target links only when built with
// `-sanitize=fuzzer`, which must also instrument every library it reaches. Each target's
// `@main` hands the process to libFuzzer (FuzzSupport's `runFuzzer`). `make fuzz` builds
// them with:
//   swift build -c release --package-path Fuzz --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address
import PackageDescription

// The toolchain's lld: Debian's gold stops with an internal error (format_file_lineno) on these
// links once a target calls LLVMFuzzerRunDriver; lld and bfd link them.
let lld: [LinkerSetting] = [.unsafeFlags(["-use-ld=lld"])]

let package = Package(
    name: "LimberFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Limber", path: ".."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // libFuzzer's LLVMFuzzerRunDriver, which swiftc's -sanitize=fuzzer links.
        .systemLibrary(name: "CLibFuzzer"),
        .target(
            name: "FuzzSupport",
            dependencies: ["CLibFuzzer", .product(name: "LimberCore", package: "Limber")]
        ),
        .executableTarget(
            name: "fuzz-session",
            dependencies: ["FuzzSupport", .product(name: "LimberCore", package: "Limber")],
            linkerSettings: lld
        ),
        .executableTarget(
            name: "fuzz-config",
            dependencies: ["FuzzSupport", .product(name: "LimberCore", package: "Limber")],
            linkerSettings: lld
        ),
        .executableTarget(
            name: "fuzz-program",
            dependencies: ["FuzzSupport", .product(name: "LimberCore", package: "Limber")],
            linkerSettings: lld
        ),
        .executableTarget(
            name: "fuzz-control",
            dependencies: [
                "FuzzSupport",
                .product(name: "LimberCore", package: "Limber"),
                .product(name: "LimberProtocol", package: "Limber"),
                .product(name: "LimberDaemon", package: "Limber"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            linkerSettings: lld
        ),
    ],
    swiftLanguageModes: [.v6]
)
