import Foundation
import LimberCore
import LimberHistory

extension HistoryRecorder {
    /// Records a break once it is settled: taken, natural, skipped or missed; written before
    /// it returns, so before the state file that settles it is saved (a crash in between
    /// settles it again after the restart, and the second write is dropped as a duplicate).
    ///
    /// Due, reminder and snooze events leave the break open, so they are not recorded; a
    /// break snoozed twice and then taken is one `taken` row with a snooze count of 2. A
    /// completed session counted as a break is already in `session_runs`.
    func recordSettled(_ event: BreakEvent) {
        let outcome: BreakEntry.Outcome
        switch event.name {
        case .started: outcome = .taken
        case .natural: outcome = .natural
        case .skipped: outcome = .skipped
        case .missed: outcome = .missed
        default: return
        }
        let kinds: [BreakKind] = event.kind.map { [$0] } ?? (event.name == .natural ? [.movement] : [])
        for kind in kinds {
            let due = event.name == .natural
                ? event.at.addingTimeInterval(-Double(event.gapMs ?? 0) / 1000)
                : event.dueAt ?? event.at
            recordDurably(
                .breakEnded(
                    BreakEntry(
                        kind: kind == .movement ? .movement : .posture, due: HistoryTime.iso8601(due), outcome: outcome,
                        snoozeCount: event.snoozeCount, ended: HistoryTime.iso8601(event.at),
                        source: event.source?.rawValue)))
        }
    }
}
