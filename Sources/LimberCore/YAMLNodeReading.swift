import Yams

/// Turns Yams errors into located diagnostics, for every file Limber reads as YAML.
enum YAMLErrors {
    static func diagnostic(for error: YamlError, text: String, path: String, oneDocumentMessage: String,
                           duplicateHint: String = "") -> Diagnostic {
        let fix = "fix the YAML syntax (indent with spaces, `key: value`, `- ` for list items)"
        func make(_ mark: Mark, _ problem: String, _ context: YamlError.Context?) -> Diagnostic {
            var message = "not valid YAML: \(problem)"
            if let context { message += " (\(context.text) at \(context.mark.line):\(context.mark.column))" }
            return Diagnostic(file: path, line: mark.line, column: mark.column, severity: .error,
                              message: message + ": " + fix)
        }
        switch error {
        case let .scanner(context, problem, mark, _),
             let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            if problem.contains("another document") {
                return Diagnostic(file: path, line: mark.line, column: mark.column, severity: .error,
                                  message: oneDocumentMessage)
            }
            return make(mark, problem, context)
        case let .reader(problem, offset, _, _):
            let location = ScriptText.location(ofByteOffset: offset ?? 0, in: text)
            return Diagnostic(file: path, line: location.line, column: location.column, severity: .error,
                              message: "not readable as YAML text: \(problem): remove control characters and save as UTF-8")
        case let .duplicatedKeysInMapping(duplicates, context):
            let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return Diagnostic(file: path, line: context.mark.line, column: context.mark.column, severity: .error,
                              message: "duplicate key \(names) in one mapping: keep only one\(duplicateHint)")
        default:
            return Diagnostic(file: path, line: 0, column: 0, severity: .error, message: "not valid YAML: \(error)")
        }
    }
}

/// Shared reading of composed YAML nodes with located, fix-naming diagnostics.
///
/// Script and config readers conform; every problem is collected rather than thrown, so
/// that a file's problems are all reported at once.
protocol NodeReader {
    var path: String { get }
    var diagnostics: [Diagnostic] { get set }
}

extension NodeReader {
    mutating func error(_ location: SourceLocation, _ message: String) {
        diagnostics.append(Diagnostic(file: path, line: location.line, column: location.column,
                                      severity: .error, message: message))
    }

    static func location(_ node: Node) -> SourceLocation {
        node.mark.map { SourceLocation(line: $0.line, column: $0.column) } ?? .file
    }

    /// Scalar keys of a mapping, reporting unknown keys with a did-you-mean.
    mutating func readKeys(_ mapping: Node.Mapping, allowed: [String], context: String)
        -> [String: (key: Node, value: Node)]
    {
        var entries: [String: (key: Node, value: Node)] = [:]
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                error(Self.location(key), "keys in \(context) must be plain words such as `name`, not a \(Self.shapeName(key))")
                continue
            }
            let name = scalar.string
            if allowed.contains(name) {
                entries[name] = (key, value)
            } else {
                let hint = DidYouMean.suggestion(for: name, in: allowed)
                    .map { "did you mean '\($0)'?" } ?? "valid keys: \(allowed.joined(separator: ", "))"
                error(Self.location(key), "unknown key '\(name)' in \(context): \(hint)")
            }
        }
        return entries
    }

    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    static func shapeName(_ node: Node) -> String {
        switch node {
        case .scalar: return "single value"
        case .mapping: return "mapping"
        case .sequence: return "list"
        case .alias: return "alias"
        }
    }

    /// A non-empty scalar's text, or an error naming the key and an example.
    mutating func readScalar(_ node: Node, key: String, example: String) -> String? {
        guard case .scalar(let scalar) = node else {
            error(Self.location(node), "`\(key)` must be a single value, e.g. `\(example)`, not a \(Self.shapeName(node))")
            return nil
        }
        if Self.isNull(node) || scalar.string.trimmingSpaces().isEmpty {
            error(Self.location(node), "`\(key)` has no value: write one, e.g. `\(example)`")
            return nil
        }
        return scalar.string.trimmingSpaces()
    }

    mutating func readDuration(_ node: Node, key: String) -> Int64? {
        guard let text = readScalar(node, key: key, example: "\(key): 30s") else { return nil }
        do {
            return try DurationText.parse(text)
        } catch {
            self.error(Self.location(node), "`\(key)`: \(error.message)")
            return nil
        }
    }

    mutating func readInteger(_ node: Node, key: String, range: ClosedRange<Int>, example: String) -> Int? {
        guard let text = readScalar(node, key: key, example: example) else { return nil }
        guard let value = Int(text) else {
            if text.allSatisfy({ $0.isNumber }) {
                error(Self.location(node), "`\(key): \(text)` is too large")
            } else {
                error(Self.location(node), "`\(key)` must be a whole number, e.g. `\(example)`, not '\(text)'")
            }
            return nil
        }
        guard range.contains(value) else {
            let bound = value < range.lowerBound
                ? "at least \(range.lowerBound)" : "at most \(range.upperBound)"
            error(Self.location(node), "`\(key): \(value)` must be \(bound)")
            return nil
        }
        return value
    }
}
