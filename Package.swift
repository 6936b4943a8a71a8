// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Limber",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "limberd", targets: ["limberd"]),
        .executable(name: "limber", targets: ["limber"]),
        .executable(name: "limber-tools", targets: ["limber-tools"]),
        .executable(name: "limber-bench", targets: ["limber-bench"]),
        // For the fuzz targets in Fuzz/, a package of their own that depends on this one.
        .library(name: "LimberCore", targets: ["LimberCore"]),
        .library(name: "LimberProtocol", targets: ["LimberProtocol"]),
        .library(name: "LimberDaemon", targets: ["LimberDaemon"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CALSA",
            pkgConfig: "alsa",
            providers: [.apt(["libasound2-dev"])]
        ),
        // sd-bus from libsystemd: logind presence (system bus) and desktop notifications (session bus).
        .systemLibrary(
            name: "CSystemd",
            pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]
        ),
        // Cues, session kinds and durations: the words everything else shares. No dependencies.
        .target(name: "LimberVocabulary"),
        .target(
            name: "LimberCore",
            dependencies: ["LimberVocabulary", .product(name: "Yams", package: "Yams")]
        ),
        // The protocol's messages, a JSON reader and writer, a blocking socket client and the
        // status text, with no Foundation: all the thin `limber` links.
        .target(name: "LimberWire", dependencies: ["LimberVocabulary"]),
        // The protocol's Foundation codec (JSONEncoder/JSONDecoder, snake_case) and the
        // Foundation client used by limber-tools and the tests; no NIO, Yams or GRDB.
        .target(name: "LimberProtocol", dependencies: ["LimberWire", "LimberVocabulary"]),
        // The commands that only talk to limberd's socket (status, pause, watch, ...), shared by
        // the thin `limber` and `limber-tools`.
        .target(
            name: "LimberClient",
            dependencies: [
                "LimberProtocol", "LimberVocabulary",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "LimberSpawn"),
        // Optimised even in debug builds: the playback thread mixes every frame in real
        // time, and unoptimised its passes are slow enough to underrun a sound server.
        .target(
            name: "LimberAudio",
            dependencies: [
                "CALSA",
                "LimberCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: [.unsafeFlags(["-O"])]
        ),
        .systemLibrary(name: "CEspeakNG", pkgConfig: "espeak-ng", providers: [.apt(["libespeak-ng-dev"])]),
        .systemLibrary(name: "CSoxr", pkgConfig: "soxr", providers: [.apt(["libsoxr-dev"])]),
        // Spoken guidance: espeak-ng in-process or the user's TTS command, resampled by soxr.
        .target(
            name: "LimberSpeech",
            dependencies: [
                "CEspeakNG", "CSoxr", "LimberCore", "LimberSpawn",
                .product(name: "Logging", package: "swift-log"),
            ],
            // Per-sample passes (levels, WAV decoding) over seconds of audio per phrase.
            swiftSettings: [.unsafeFlags(["-O"])]
        ),
        .target(
            name: "LimberHistory",
            dependencies: [
                "LimberVocabulary",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "LimberReport", dependencies: ["LimberHistory"]),
        // Programs: the progression engine (pure) and the program records it reads and writes.
        .target(
            name: "LimberProgram",
            dependencies: ["LimberCore", "LimberHistory", "LimberProtocol", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // zlib, for the end-to-end tests to read Chromium's PNG screenshots.
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "LimberDaemon",
            dependencies: [
                "CSystemd",
                "LimberCore",
                "LimberProtocol",
                "LimberAudio",
                "LimberHistory",
                "LimberProgram",
                "LimberSpawn",
                "LimberSpeech",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "limberd",
            dependencies: [
                "LimberDaemon",
                "LimberProtocol",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The thin client: socket commands only; it execs limber-tools for the rest.
        // Release builds (make install, make bench) are linked fully static, with no dynamic
        // loader at all: it starts in half the time of a binary that loads libc and
        // libstdc++, which is most of what `limber status` costs. Debug builds are not: the
        // sanitizers' runtimes cannot be linked into a static executable.
        .executableTarget(
            name: "limber", dependencies: ["LimberWire"],
            linkerSettings: [.unsafeFlags(["-static-executable"], .when(configuration: .release))]
        ),
        // Every command: the script tools, audio, speech, history and reports.
        .executableTarget(
            name: "limber-tools",
            dependencies: [
                "LimberClient",
                "LimberCore",
                "LimberProtocol",
                "LimberAudio",
                "LimberSpeech",
                "LimberHistory",
                "LimberProgram",
                "LimberReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .executableTarget(
            name: "limber-bench",
            dependencies: [
                "LimberCore", "LimberProtocol", "LimberAudio", "LimberDaemon", "LimberHistory", "LimberSpawn", "LimberSpeech",
                "SoundCheck",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "bench/limber-bench"
        ),
        // Real sound servers, a recorder at their sink's monitor and cue onset matching: what
        // the listener hears, for the end-to-end tests and the benchmark. Optimised even in
        // debug builds, since it correlates whole recordings.
        .target(
            name: "SoundCheck",
            dependencies: ["LimberAudio", "LimberCore", "LimberDaemon", "LimberProtocol", "LimberSpawn"],
            path: "Tests/SoundCheck",
            swiftSettings: [.unsafeFlags(["-O"])]
        ),
        .testTarget(name: "LimberCoreTests", dependencies: ["LimberCore"]),
        .testTarget(
            name: "LimberAudioTests",
            dependencies: ["LimberAudio", "LimberCore", "LimberSpawn", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "LimberSpawnTests", dependencies: ["LimberSpawn"]),
        .testTarget(name: "LimberSpeechTests", dependencies: ["LimberSpeech", "LimberCore", "SoundCheck"]),
        .testTarget(name: "LimberProtocolTests", dependencies: ["LimberProtocol", "LimberWire", "LimberCore"]),
        .testTarget(
            name: "LimberDaemonTests",
            dependencies: [
                "LimberDaemon", "LimberCore", "LimberProtocol", "LimberAudio", "LimberSpawn", "SoundCheck",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "LimberHistoryTests",
            dependencies: ["LimberHistory", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "LimberReportTests", dependencies: ["LimberReport", "LimberHistory"]),
        .testTarget(name: "LimberProgramTests", dependencies: ["LimberProgram", "LimberCore", "LimberHistory"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "LimberCore", "LimberProtocol", "LimberAudio", "LimberDaemon", "LimberHistory", "LimberProgram", "LimberSpawn", "LimberSpeech",
                "CZlib", "SoundCheck",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
