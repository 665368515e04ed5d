import PFSModel

/// A hint for each kind of schema error, naming what to write: libxml2 says what is wrong
/// in the schema's terms ("Expected is ( name )"); a person editing a contract needs the
/// element or value to type.
enum SchemaAdvice {
    /// Elements and attributes format 2 adds to format 1.
    static let formatTwoNames: Set<String> = [
        "comparison-group", "series", "targets", "when", "all-of", "any-of", "condition", "measure",
        "against", "pays", "labels", "relative-precision",
    ]

    static let generic = "see Contracts/README.md for what this element may contain"

    /// How to write the elements people most often leave out or misplace.
    private static let templates: [String: String] = [
        "name": #"<name ja="…" en="…"/>"#,
        "title": #"<title ja="…" en="…"/>"#,
        "amounts": #"<amounts currency="JPY" scale="1000" label-ja="千円" label-en="thousand yen"/>"#,
        "rounding": #"<rounding increment="1" mode="down"/>"#,
        "fiscal-year": #"<fiscal-year start-month="4"/>"#,
        "term": #"<term first="2024" last="2026"/>"#,
        "parties": #"<parties><party id="city" role="public-sector"><name ja="…" en="…"/></party>…</parties>"#,
        "party": #"<party id="…" role="provider"><name ja="…" en="…"/></party>"#,
        "kpis": #"<kpis><kpi id="…" direction="lower-is-better" unit="…">…</kpi></kpis>"#,
        "kpi":
            #"<kpi id="…" direction="lower-is-better" unit="…"><name …/><money/><baseline year="…" value="…"/>…</kpi>"#,
        "baseline": #"<baseline year="2019" value="…" source="…"/>"#,
        "projects": #"<projects><project id="…" payer="…">…</project></projects>"#,
    ]

    /// The hint for libxml2's (already readable) schema message.
    static func hint(for message: String, format: ContractFormat = .two) -> String {
        let quoted = quotedParts(message)
        // A format-2 element or attribute in a format-1 contract: say which format has it.
        if format == .one, let name = quoted.first(where: { formatTwoNames.contains($0) }) {
            return
                """
                '\(name)' belongs to contract format 2: start the contract with <contract \
                xmlns=\"\(ContractFormat.two.namespace)\" format-version=\"2\" …> to use it
                """
        }
        if let found = quoted.first, found.hasPrefix("{") || found == expectedElement(message) {
            // The right name in the wrong namespace (a prefix, or a default xmlns removed),
            // or an element of another vocabulary altogether.
            guard found.split(separator: "}").last.map(String.init) == expectedElement(message) else {
                return "remove this element: a contract holds only pfs elements (nothing is included from elsewhere)"
            }
            return
                """
                write the element without a prefix, inside <contract xmlns=\"urn:pfs:contract:1\">, so that it is \
                in the contract's namespace
                """
        }
        if message.contains("This element is not expected. Expected is "), let expected = expectedElement(message) {
            let found = quoted.first ?? "this element"
            let template = templates[expected].map { ": \($0)" } ?? ""
            return
                """
                write <\(expected)> here, before <\(found)>\(template) (elements go in the order \
                Contracts/README.md lists)
                """
        }
        if message.contains("Missing child element(s). Expected is "), let expected = expectedElement(message) {
            let template = templates[expected].map { ": \($0)" } ?? ""
            return "add <\(expected)> inside <\(quoted.first ?? "…")>\(template)"
        }
        if message.contains("is required but missing"), quoted.count >= 2 {
            return "add \(quoted[1])=\"…\" to <\(quoted[0])>"
        }
        if message.contains("is not allowed."), quoted.count >= 2 {
            return "remove \(quoted[1]) from <\(quoted[0])>, or check its spelling against Contracts/README.md"
        }
        if message.contains("[facet 'enumeration']"), let set = message.range(of: "set {") {
            let values = message[set.upperBound...].prefix { $0 != "}" }.replacingOccurrences(of: "'", with: "")
            return "use one of: \(values)"
        }
        for (facet, bound) in [("minInclusive", "at least"), ("maxInclusive", "at most")]
        where message.contains("[facet '\(facet)']") {
            if let limit = quoted.last { return "the value must be \(bound) \(limit)" }
        }
        if quoted.count >= 3, ["year", "first", "last"].contains(quoted[1]), let year = fiscalYear(in: quoted[2]) {
            return "write the fiscal year as a number, the calendar year it starts in: \(year)"
        }
        if quoted.count >= 3, ["year", "first", "last"].contains(quoted[1]) {
            return "write the fiscal year as a number, the calendar year it starts in (e.g. 2024 for 令和6年度)"
        }
        if message.contains("[facet 'pattern']"), quoted.count >= 2, quoted[1] == "id" || message.contains("A-Za-z") {
            return "an id starts with a letter and holds letters, digits, '.', '_' and '-' only (no spaces)"
        }
        if message.contains("[facet 'pattern']"), quoted.count >= 2, quoted[1] == "currency" {
            return "write the ISO 4217 code in capitals, e.g. JPY"
        }
        return generic
    }

    /// The texts between single quotes: element, attribute, value, in that order.
    private static func quotedParts(_ message: String) -> [String] {
        message.split(separator: "'", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    /// Elements a contract may leave out: when libxml2 lists one beside the element that
    /// must come, the advice names the one that must.
    static let optionalElements: Set<String> = ["corrections"]

    /// `( name )` → `name`, and `one of ( corrections, parties )` → `parties`; nil when
    /// several required elements are possible.
    private static func expectedElement(_ message: String) -> String? {
        guard let start = message.range(of: "Expected is ( ") ?? message.range(of: "Expected is one of ( ") else {
            return nil
        }
        let list = message[start.upperBound...].prefix { $0 != ")" }
        let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let required = names.count > 1 ? names.filter { !optionalElements.contains($0) } : names
        guard required.count == 1, let name = required.first, !name.contains(" ") else { return nil }
        return name
    }

    /// The calendar year a fiscal year written another way names: `FY2024`, `2024年度`,
    /// `R6` or `令和6年度` (2024), `H30` or `平成30年度` (2018).
    static func fiscalYear(in text: String) -> Int? {
        let digits = text.filter { $0.isASCII && $0.isNumber }
        guard let number = Int(digits) else { return nil }
        if digits.count == 4 { return number }
        if text.hasPrefix("R") || text.hasPrefix("令和") { return 2018 + number }
        if text.hasPrefix("H") || text.hasPrefix("平成") { return 1988 + number }
        return nil
    }
}
