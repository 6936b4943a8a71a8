#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LimberWire

// The requests a status bar or a key binding sends are answered here, by a binary that links
// neither Foundation nor an argument parser; everything else (help, usage errors, validate,
// show, history, ...) by limber-tools, in this process's place.
let arguments = CommandLine.arguments
if let line = ThinCommandLine(Array(arguments.dropFirst())) {
    exit(ThinClient.run(line))
}
Launcher.exec(arguments)
