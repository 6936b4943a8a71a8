import Foundation
import LimberSpawn
import SoundCheck

/// Sessions whose rhythm is irregular on purpose: a steady rhythm hides placement errors
/// that step lengths of 300 ms to 20 s, long cues and commands at odd moments expose.
enum HeardScripts {
    /// 33 s of steps from 300 ms to 20 s, rests, a halfway cue and a countdown.
    static let irregular = """
        name: Irregular
        kind: exercise
        description: Irregular steps for the heard-timing tests.
        steps:
          - do: One
            for: 700ms
          - do: Two
            for: 1300ms
          - do: Three
            for: 450ms
          - rest: 2s
          - do: Four
            for: 950ms
          - do: Five
            for: 300ms
          - do: Long hold
            for: 20s
            halfway: true
            countdown: 3
          - do: Six
            for: 1100ms
          - do: Seven
            for: 600ms
          - rest: 3700ms
          - do: Eight
            for: 350ms
          - do: Nine
            for: 1650ms

        """

    /// A 4 s singing-bowl bell, then two rounds of uneven breathing phases.
    static let bellBreath = """
        name: Bell and breath
        kind: mindfulness
        description: A long bell, then breathing phases.
        steps:
          - do: Settle
            for: 4500ms
            cue: bell
          - repeat: 2
            steps:
              - inhale: 3s
                do: In
              - hold: 1500ms
                do: Hold
              - exhale: 3500ms
                do: Out
              - hold: 1s
                do: Hold, empty

        """

    /// Steps to move around in with pause, resume, next and prev; Bravo rings a bell, so
    /// that a pause and a next cut a sounding cue.
    static let moves = """
        name: Moves
        kind: exercise
        description: Steps to pause, skip and go back in.
        steps:
          - do: Alpha
            for: 1500ms
          - do: Bravo
            for: 3s
            cue: bell
          - do: Charlie
            for: 4s
          - do: Delta
            for: 2500ms
          - do: Echo
            for: 3s
          - do: Foxtrot
            for: 2s

        """

    /// Seconds after `start`'s reply: pause 220 ms into Bravo's bell, resume 750 ms later,
    /// skip to Charlie, go back to Bravo within Charlie's first 2 s, skip again while the
    /// bell rings.
    static let moveCommands: [HeardSession.Command] = [
        .init(at: 1.8, "pause"), .init(at: 2.55, "resume"), .init(at: 4.3, "next"), .init(at: 6.2, "prev"),
        .init(at: 9.05, "next"),
    ]

    /// Twelve steps of 800 ms to 1.7 s: a server killed in the middle has cues left after it returns.
    static let steady = """
        name: Steady
        kind: exercise
        description: Uneven short steps across a sound server restart.
        steps:
          - repeat: 6
            steps:
              - do: Short
                for: 800ms
              - do: Long
                for: 1700ms

        """

    static let all = ["irregular": irregular, "bell-breath": bellBreath, "moves": moves, "steady": steady]
}

/// What runs alongside: nothing, or a busy loop on each of the two cores.
enum Load: String, CustomStringConvertible, CaseIterable, Sendable {
    case quiet
    case busy

    var description: String { self == .quiet ? "quiet" : "both cores busy" }

    func start() throws -> [ChildProcess] {
        self == .busy ? try startBusyLoops(2) : []
    }
}
