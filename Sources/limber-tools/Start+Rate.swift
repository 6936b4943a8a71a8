import ArgumentParser
import LimberClient
import Foundation
import LimberCore
import LimberHistory
import LimberProtocol

extension Limber.Start {
    /// `start --rate`: rate, start, wait on a watch connection for the end, rate again.
    ///
    /// The watch connection is opened before `start` is sent, so even a session shorter than
    /// the round trip cannot end unseen.
    func runRated() throws {
        let before = SessionRating.ask("Pain now, 0–10 (Enter to skip): ")
        let watcher = try connection.connect()
        do {
            _ = try watcher.rawCall("watch")
        } catch let error as ClientError {
            Output.fail(error.message)
            throw ExitCode.unreachable
        }
        let status: StatusResult = try connection.call("start", args: startArguments())
        guard let progress = status.session else { return }
        if let before {
            try location.append([.pain(SessionRating.entry(before, session: progress.id, moment: .before))])
        }
        print("started \(progress.name) (\(progress.id)), \(StatusText.clock(progress.totalMs)); rating again when it ends")
        let ended = try SessionRating.awaitEnd(of: progress.id, on: watcher)
        print(ended)
        if let after = SessionRating.ask("Pain now, 0–10 (Enter to skip): ") {
            try location.append([.pain(SessionRating.entry(after, session: progress.id, moment: .after))])
            print("recorded pain \(before.map { "\($0) → " } ?? "")\(after)/10")
        }
    }
}

/// The prompts and the wait of `start --rate`.
enum SessionRating {
    /// Asks on stderr until a valid 0–10 or an empty line (nil); nil at end of input.
    static func ask(_ prompt: String) -> Int? {
        while true {
            FileHandle.standardError.write(Data(prompt.utf8))
            guard let line = readLine() else { return nil }
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { return nil }
            if let level = Int(text), PainEntry.levels.contains(level) { return level }
            Output.fail("type a whole number from 0 (no pain) to 10 (worst), or press Enter to skip")
        }
    }

    static func entry(_ level: Int, session: String, moment: PainEntry.Moment) -> PainEntry {
        PainEntry(level: level, time: HistoryTime.iso8601(Date()), session: session, moment: moment)
    }

    /// Reads events until `session` finishes or stops; returns a line saying which.
    static func awaitEnd(of session: String, on watcher: ControlClient) throws -> String {
        let decoder = ControlCodec.decoder()
        // A replaced run of the same id ends first; wait for this run's start before its end.
        var started = false
        while true {
            let line: Data?
            do {
                line = try watcher.readLine()
            } catch {
                Output.fail("lost the connection to limberd: \(error.message)")
                throw ExitCode.unreachable
            }
            guard let line else {
                Output.fail("limberd closed the connection before the session ended")
                throw ExitCode.unreachable
            }
            guard let event = try? decoder.decode(ControlEvent.self, from: line), event.session == session else { continue }
            switch event.event {
            case .sessionStarted: started = true
            case .sessionFinished where started: return "\(session) finished"
            case .sessionStopped where started: return "\(session) stopped" + (event.reason.map { " (\($0))" } ?? "")
            default: continue
            }
        }
    }
}
