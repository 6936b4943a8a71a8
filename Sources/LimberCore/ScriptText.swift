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
        var diagnostics: [Diagnostic] = []
        var inDouble = false
        var inSingle = false
        var flowDepth = 0
        var blockScalarParentIndent: Int?
        var lineNumber = 0
        for lineText in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let chars = Array(lineText.unicodeScalars)
            var indent = 0
            while indent < chars.count, chars[indent] == " " { indent += 1 }
            if let parent = blockScalarParentIndent {
                let blank = chars[indent...].allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" }
                if blank || indent > parent { continue }
                blockScalarParentIndent = nil
            }
            var nodeStart = !(inDouble || inSingle)
            var indicators = 0
            var index = (inDouble || inSingle) ? 0 : indent
            func next(_ offset: Int = 1) -> Unicode.Scalar? {
                index + offset < chars.count ? chars[index + offset] : nil
            }
            func isBlank(_ c: Unicode.Scalar?) -> Bool { c == nil || c == " " || c == "\t" || c == "\r" }
            scan: while index < chars.count {
                let c = chars[index]
                defer { index += 1 }
                if inDouble {
                    if c == "\\" { index += 1 } else if c == "\"" { inDouble = false }
                    continue
                }
                if inSingle {
                    if c == "'" {
                        if next() == "'" { index += 1 } else { inSingle = false }
                    }
                    continue
                }
                if c == "#", index == 0 || isBlank(chars[index - 1]) { break scan }
                if c == " " || c == "\t" { continue }
                if nodeStart {
                    if (c == "-" || c == "?" || c == ":") && isBlank(next()) {
                        indicators += 1
                        continue
                    }
                    switch c {
                    case "&" where !isBlank(next()):
                        diagnostics.append(Diagnostic(
                            file: path, line: lineNumber, column: index + 1, severity: .error,
                            message: "YAML anchors and aliases (&name, *name) are not supported in session scripts: write the steps out, or use `repeat:` or `include:`"))
                        return diagnostics
                    case "\"":
                        inDouble = true
                        nodeStart = false
                    case "'":
                        inSingle = true
                        nodeStart = false
                    case "[", "{":
                        flowDepth += 1
                    case "|" where flowDepth == 0, ">" where flowDepth == 0:
                        blockScalarParentIndent = indent
                        break scan
                    case "!":
                        while index + 1 < chars.count, !isBlank(chars[index + 1]) { index += 1 }
                    default:
                        nodeStart = false
                    }
                } else if flowDepth > 0 && c == "," {
                    nodeStart = true
                } else if flowDepth > 0 && (c == "]" || c == "}") {
                    flowDepth -= 1
                } else if c == ":" && (isBlank(next()) || flowDepth > 0) {
                    nodeStart = true
                }
                let estimate = 2 * (indent + 1) + indicators + flowDepth
                if estimate > maximumNestingEstimate {
                    diagnostics.append(Diagnostic(
                        file: path, line: lineNumber, column: index + 1, severity: .error,
                        message: "the YAML nests too deeply here (more than \(maximumNestingEstimate) levels): flatten it, or use `include:`"))
                    return diagnostics
                }
            }
        }
        return diagnostics
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
