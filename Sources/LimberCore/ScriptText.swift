/// Checks on a script's raw bytes and text that must pass before the YAML parser sees it,
/// so that no input can crash it, exhaust the stack, or take exponential time.
enum ScriptText {
    enum Decoded {
        case text(String)
        case rejected(Diagnostic)
    }

    /// Scripts are small; anything over 1 MiB is a mistake (or an attack).
    static let maximumBytes = 1 << 20
    /// An upper bound on YAML nesting, far above any real script: the parser recurses per level.
    static let maximumNestingEstimate = 256

    /// The text of `bytes` if it is a script-sized UTF-8 file, else the diagnostics saying why not.
    static func decode(_ bytes: [UInt8], path: String) -> Decoded {
        if bytes.count > maximumBytes {
            return .rejected(Diagnostic(
                file: path, line: 0, column: 0, severity: .error,
                message: "the file is \(bytes.count) bytes, over the 1 MiB limit for a session script: split it and use `include:`"))
        }
        if let text = String(validating: bytes, as: UTF8.self) {
            return .text(text)
        }
        // Locate the first invalid byte for the message.
        var line = 1
        var column = 1
        var index = 0
        while index < bytes.count {
            let length = validSequenceLength(bytes, at: index)
            if length == 0 { break }
            if bytes[index] == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += length
        }
        let byte = index < bytes.count ? bytes[index] : 0
        let hex = String(byte, radix: 16, uppercase: true)
        return .rejected(Diagnostic(
            file: path, line: line, column: column, severity: .error,
            message: "byte 0x\(hex) is not UTF-8: save the file as UTF-8 text"))
    }

    /// Length of the valid UTF-8 sequence starting at `index`, or 0 if invalid.
    private static func validSequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        let lead = bytes[index]
        let length: Int
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return 0
        }
        guard index + length <= bytes.count else { return 0 }
        return String(validating: bytes[index..<index + length], as: UTF8.self) == nil ? 0 : length
    }

    /// Problems the YAML composer cannot be trusted with: anchors (aliases can expand a
    /// small file exponentially) and nesting deep enough to exhaust the stack.
    ///
    /// A single linear pass over the text that follows YAML's quoting, comments, flow
    /// brackets and block scalars closely enough to estimate nesting from above.
    static func structuralProblems(_ text: String, path: String) -> [Diagnostic] {
        var text = text
        return text.withUTF8 { structuralProblems(bytes: $0, path: path) }
    }

    private static func structuralProblems(bytes: UnsafeBufferPointer<UInt8>, path: String) -> [Diagnostic] {
        let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), cr = UInt8(ascii: "\r"), newline = UInt8(ascii: "\n")
        var inDouble = false
        var inSingle = false
        var flowDepth = 0
        var blockScalarParentIndent: Int?
        var lineNumber = 0
        var lineStart = 0
        func isBlank(_ at: Int, _ end: Int) -> Bool {
            at >= end || bytes[at] == space || bytes[at] == tab || bytes[at] == cr
        }
        // Columns count Unicode scalars, as YAML's marks do: skip UTF-8 continuation bytes.
        func column(_ at: Int) -> Int {
            var count = 1
            var index = lineStart
            while index < at {
                if bytes[index] & 0xC0 != 0x80 { count += 1 }
                index += 1
            }
            return count
        }
        while lineStart <= bytes.count {
            lineNumber += 1
            var end = lineStart
            while end < bytes.count, bytes[end] != newline { end += 1 }
            defer { lineStart = end + 1 }
            var indent = 0
            while lineStart + indent < end, bytes[lineStart + indent] == space { indent += 1 }
            if let parent = blockScalarParentIndent {
                var rest = lineStart + indent
                while rest < end, bytes[rest] == space || bytes[rest] == tab || bytes[rest] == cr { rest += 1 }
                if rest == end || indent > parent { continue }
                blockScalarParentIndent = nil
            }
            var nodeStart = !(inDouble || inSingle)
            var indicators = 0
            var index = lineStart + ((inDouble || inSingle) ? 0 : indent)
            scan: while index < end {
                let c = bytes[index]
                defer { index += 1 }
                if inDouble {
                    if c == UInt8(ascii: "\\") { index += 1 } else if c == UInt8(ascii: "\"") { inDouble = false }
                    continue
                }
                if inSingle {
                    if c == UInt8(ascii: "'") {
                        if index + 1 < end, bytes[index + 1] == UInt8(ascii: "'") { index += 1 } else { inSingle = false }
                    }
                    continue
                }
                if c == UInt8(ascii: "#"), index == lineStart || isBlank(index - 1, end) { break scan }
                if c == space || c == tab { continue }
                if nodeStart {
                    if (c == UInt8(ascii: "-") || c == UInt8(ascii: "?") || c == UInt8(ascii: ":")) && isBlank(index + 1, end) {
                        indicators += 1
                        continue
                    }
                    switch c {
                    case UInt8(ascii: "&") where !isBlank(index + 1, end):
                        return [Diagnostic(
                            file: path, line: lineNumber, column: column(index), severity: .error,
                            message: "YAML anchors and aliases (&name, *name) are not supported in session scripts: write the steps out, or use `repeat:` or `include:`")]
                    case UInt8(ascii: "\""):
                        inDouble = true
                        nodeStart = false
                    case UInt8(ascii: "'"):
                        inSingle = true
                        nodeStart = false
                    case UInt8(ascii: "["), UInt8(ascii: "{"):
                        flowDepth += 1
                    case UInt8(ascii: "|") where flowDepth == 0, UInt8(ascii: ">") where flowDepth == 0:
                        blockScalarParentIndent = indent
                        break scan
                    case UInt8(ascii: "!"):
                        while !isBlank(index + 1, end) { index += 1 }
                    default:
                        nodeStart = false
                    }
                } else if flowDepth > 0 && c == UInt8(ascii: ",") {
                    nodeStart = true
                } else if flowDepth > 0 && (c == UInt8(ascii: "]") || c == UInt8(ascii: "}")) {
                    flowDepth -= 1
                } else if c == UInt8(ascii: ":") && (isBlank(index + 1, end) || flowDepth > 0) {
                    nodeStart = true
                }
                if 2 * (indent + 1) + indicators + flowDepth > maximumNestingEstimate {
                    return [Diagnostic(
                        file: path, line: lineNumber, column: column(index), severity: .error,
                        message: "the YAML nests too deeply here (more than \(maximumNestingEstimate) levels): flatten it, or use `include:`")]
                }
            }
        }
        return []
    }

    /// 1-based line and column of a UTF-8 byte offset, for parser errors that give offsets.
    static func location(ofByteOffset offset: Int, in text: String) -> SourceLocation {
        var line = 1
        var column = 1
        var consumed = 0
        for scalar in text.unicodeScalars {
            if consumed >= offset { break }
            consumed += UTF8.width(scalar)
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return SourceLocation(line: line, column: column)
    }
}
