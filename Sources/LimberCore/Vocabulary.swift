// The words scripts, the daemon and the protocol share (cues, session kinds, durations) live
// in LimberVocabulary, a target with no dependencies, so that the thin `limber` client can use
// them without linking the script compiler. Every user of LimberCore sees them as before.
@_exported import LimberVocabulary
