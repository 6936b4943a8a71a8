// As trivial.swift, with Foundation loaded and used (as limber uses it for JSON and the
// environment): the part of `limber status` that is the cost of Foundation at start-up.
import Foundation

let home = ProcessInfo.processInfo.environment["HOME"] ?? ""
FileHandle.standardOutput.write(try JSONEncoder().encode(["home": home]) + Data([0x0A]))
