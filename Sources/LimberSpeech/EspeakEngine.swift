import CEspeakNG
import Foundation
import Synchronization

/// espeak-ng in-process, synchronous, into memory. espeak-ng keeps global state, so every
/// call holds one process-wide lock; it is initialised once, on first use.
public enum EspeakEngine {
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    /// A voice espeak-ng offers (`limber voices`).
    public struct Voice: Sendable, Equatable {
        /// What `voice.name` takes: the file name under espeak-ng-data/voices (`gmw/en-US`
        /// is named by its language, `en-us`).
        public var name: String
        public var language: String
        public var identifier: String
    }

    private static let state = Mutex<Int32?>(nil)

    /// The engine's own sample rate, initialising it if needed.
    private static func initialised(_ rate: inout Int32?) throws(Problem) -> Int32 {
        if let rate { return rate }
        let result = limber_espeak_initialize(nil)
        guard result > 0 else {
            throw Problem(description:
                "espeak-ng could not start (error \(result)): its voice data is missing; install it with `apt-get install espeak-ng-data`")
        }
        rate = result
        return result
    }

    /// Speaks `text` with `voice` at `rate` words per minute.
    public static func speak(_ text: String, voice: String, rate: Int) throws(Problem) -> WAVCodec.Sound {
        try state.withLock { (engineRate: inout Int32?) throws(Problem) -> WAVCodec.Sound in
            let sampleRate = try initialised(&engineRate)
            guard espeak_SetVoiceByName(voice) == EE_OK else {
                throw Problem(description: "espeak-ng has no voice '\(voice)'; `limber voices` lists them")
            }
            espeak_SetParameter(espeakRATE, Int32(min(max(rate, 80), 450)), 0)
            var pcm = limber_espeak_pcm(data: nil, count: 0, capacity: 0, failed: 0)
            defer { free(pcm.data) }
            let result = limber_espeak_speak(text, &pcm)
            guard result == 0, pcm.failed == 0 else {
                throw Problem(description: "espeak-ng failed to speak '\(text.prefix(40))' (error \(result))")
            }
            let samples = (0..<pcm.count).map { Float(pcm.data![$0]) / 32_768 }
            return WAVCodec.Sound(rate: Double(sampleRate), samples: samples)
        }
    }

    /// Every voice installed, by name.
    public static func voices() throws(Problem) -> [Voice] {
        try state.withLock { (engineRate: inout Int32?) throws(Problem) -> [Voice] in
            _ = try initialised(&engineRate)
            guard var list = espeak_ListVoices(nil) else { return [] }
            var voices: [Voice] = []
            while let entry = list.pointee {
                let voice = entry.pointee
                // `languages` is a priority byte, then a language string, repeated.
                let language = voice.languages.map { String(cString: $0 + 1) } ?? ""
                voices.append(Voice(
                    name: language.isEmpty ? String(cString: voice.name) : language,
                    language: String(cString: voice.name),
                    identifier: voice.identifier.map { String(cString: $0) } ?? ""))
                list += 1
            }
            return voices.sorted { $0.name < $1.name }
        }
    }

    /// espeak-ng's version, part of every cache key.
    public static var version: String {
        guard let info = espeak_Info(nil) else { return "espeak-ng" }
        return "espeak-ng " + String(cString: info)
    }
}
