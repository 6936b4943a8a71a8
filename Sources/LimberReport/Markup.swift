/// HTML and inline SVG written straight into one string, escaped as it goes.
///
/// Elements are opened and closed in order (``open(_:_:)``, ``close()``), or written whole
/// (``element(_:_:text:)``); ``result`` closes whatever is still open, so the output is
/// always well nested. Attribute values and text are escaped; ``raw(_:)`` is for the fixed
/// style sheet and numbers only.
public struct Markup: Sendable {
    private var output = ""
    private var openElements: [String] = []

    public init() {}

    /// The markup, with every element still open closed.
    public var result: String {
        var copy = self
        while copy.openElements.last != nil { copy.close() }
        return copy.output
    }

    /// Elements still open, innermost last.
    public var depth: Int { openElements.count }

    /// `<name a="v">`, to be matched by ``close()``.
    public mutating func open(_ name: String, _ attributes: KeyValuePairs<String, String> = [:]) {
        start(name, attributes)
        output += ">"
        openElements.append(name)
    }

    /// Closes the innermost open element; nothing when none is open.
    public mutating func close() {
        guard let name = openElements.popLast() else { return }
        output += "</" + name + ">"
    }

    /// `<name a="v">text</name>`, or `<name a="v"/>` without text (SVG shapes, `<br/>`).
    public mutating func element(_ name: String, _ attributes: KeyValuePairs<String, String> = [:], text: String? = nil) {
        start(name, attributes)
        guard let text else {
            output += "/>"
            return
        }
        output += ">"
        Self.escape(text, into: &output, quotes: false)
        output += "</" + name + ">"
    }

    /// Escaped text.
    public mutating func text(_ text: String) {
        Self.escape(text, into: &output, quotes: false)
    }

    /// Text as it is: for the fixed style sheet, never for data.
    public mutating func raw(_ text: String) {
        output += text
    }

    /// Opens `name`, runs `body`, closes `name`.
    public mutating func wrap(
        _ name: String, _ attributes: KeyValuePairs<String, String> = [:], _ body: (inout Markup) -> Void
    ) {
        open(name, attributes)
        let depth = openElements.count
        body(&self)
        while openElements.count >= depth { close() }
    }

    private mutating func start(_ name: String, _ attributes: KeyValuePairs<String, String>) {
        output += "<" + name
        for (key, value) in attributes {
            output += " " + key + "=\""
            Self.escape(value, into: &output, quotes: true)
            output += "\""
        }
    }

    /// Escapes `&`, `<`, `>` (and `"`, `'` in attributes).
    static func escape(_ text: String, into output: inout String, quotes: Bool) {
        // The common case, nothing to escape, appends in one go.
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || (quotes && ($0 == 0x22 || $0 == 0x27)) })
        else {
            output += text
            return
        }
        for character in text.unicodeScalars {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"" where quotes: output += "&quot;"
            case "'" where quotes: output += "&#39;"
            default: output.unicodeScalars.append(character)
            }
        }
    }
}

/// Numbers for SVG coordinates and for figures in text.
public enum Number {
    /// One decimal at most, no trailing `.0`, no `-0`: `12`, `12.5`, `-3.2`.
    public static func svg(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = Int((value * 10).rounded())
        if tenths == 0 { return "0" }
        let sign = tenths < 0 ? "-" : ""
        let magnitude = abs(tenths)
        return magnitude % 10 == 0 ? sign + String(magnitude / 10) : sign + String(magnitude / 10) + "." + String(magnitude % 10)
    }

    /// A figure to 0.1 as the statistics keep it: `4.5`, `4` for a whole number.
    public static func tenth(_ value: Double) -> String { svg(value) }

    /// Whole minutes: `312`.
    public static func whole(_ value: Double) -> String { String(Int(value.rounded())) }

    /// `2:05` (hours and minutes) for a number of minutes.
    public static func clock(_ minutes: Int) -> String {
        let rest = minutes % 60
        return "\(minutes / 60):" + (rest < 10 ? "0" : "") + String(rest)
    }
}
