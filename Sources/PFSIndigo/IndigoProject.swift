import PFSModel

/// What pfs reads of an INDIGO project: the parts a contract skeleton is made from. Amounts
/// are exact decimals in currency units, as INDIGO writes them.
public struct IndigoProject: Sendable, Hashable {
    public struct Metric: Sendable, Hashable {
        public var id: String
        public var definition: String?
        public var unit: String?
        public var target: String?
        /// The name in Japanese, where the notes give it (`Japanese name: …`, as pfs exports it).
        public var japaneseName: String?
    }

    public struct Pricing: Sendable, Hashable {
        public var metric: String?
        public var currency: String?
        public var pricePerUnit: ExactDecimal?
        /// INDIGO writes the maximum as text; nil where it is not a plain decimal.
        public var maximum: ExactDecimal?
        public var maximumText: String?
        public var description: String?
    }

    public struct Commitment: Sendable, Hashable {
        public var organisation: String
        public var currency: String?
        public var maximum: ExactDecimal?
    }

    public struct Investment: Sendable, Hashable {
        public var id: String?
        public var organisation: String
        public var currency: String?
        public var amount: ExactDecimal?
    }

    public struct Payment: Sendable, Hashable {
        public var metric: String?
        public var start: String?
        public var end: String?
        public var payer: String?
        public var recipient: String?
        /// `Planned` or `Actual`.
        public var type: String?
        public var currency: String?
        public var amount: ExactDecimal?
    }

    public struct Organisation: Sendable, Hashable {
        public var name: String?
        public var english: String?
    }

    /// `INDIGO-POJ-0001`, when the source names it.
    public var id: String?
    public var name: String?
    public var alternativeName: String?
    public var stage: String?
    /// Dates as INDIGO writes them: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    public var start: String?
    public var end: String?
    public var country: String?
    public var metrics: [Metric] = []
    public var pricings: [Pricing] = []
    public var commitments: [Commitment] = []
    public var investments: [Investment] = []
    public var providers: [String] = []
    public var intermediaries: [String] = []
    public var payments: [Payment] = []
    public var validators: [String] = []
    public var organisations: [String: Organisation] = [:]

    public init() {}

    /// The one currency the project's amounts are in (the first named).
    var currency: String? {
        (pricings.compactMap(\.currency) + commitments.compactMap(\.currency) + investments.compactMap(\.currency)
            + payments.compactMap(\.currency)).first
    }
}

/// Why an INDIGO project cannot be read: said where it is (a JSON path or a CSV row and
/// column, in a file), as a diagnostic.
public struct IndigoProblem: Error, Sendable, Hashable {
    public let message: String
    public let hint: String
    public let location: SourceLocation

    public init(_ message: String, hint: String, at location: SourceLocation) {
        self.message = message
        self.hint = hint
        self.location = location
    }

    public var diagnostic: Diagnostic { Diagnostic(check: .indigoInput, message: message, hint: hint, at: location) }
}

/// INDIGO 4.1.0's closed vocabularies that pfs reads (project.json's enums).
enum IndigoCodes {
    static let stages: Set<String> = ["Contracted", "Implementation", "Service delivery complete", "Complete"]
    static let paymentTypes: Set<String> = ["Planned", "Actual"]
    static let payerCategories: Set<String> = [
        "Nonprofit/NGO", "Foundation/Philanthropist", "Government/Public Sector/Public Bank",
        "Multilateral/Bilateral/Intergovernmental Financial Institution", "Corporate Giving", "Investment Fund", "Other",
    ]
    static let investorCategories: Set<String> = [
        "Nonprofit/NGO", "Foundation/Philanthropist", "Government/Public Sector/Public Bank",
        "Multilateral/Bilateral/Intergovernmental Financial Institution", "Corporate Giving", "Investment Fund",
        "High Net Worth Individual/Family Office/Private Bank", "Impact Investor", "Commercial",
    ]

    /// INDIGO's date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    static func isDate(_ text: String) -> Bool {
        text.wholeMatch(of: /[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?/) != nil
    }

    /// An ISO 4217 code: three capital letters.
    static func isCurrency(_ text: String) -> Bool { text.wholeMatch(of: /[A-Z]{3}/) != nil }

    /// An id a contract can hold: letters, digits, '.', '_' and '-', starting with a letter,
    /// at most 64 characters (INDIGO's own, INDIGO-ORG-0001 and outcomemetric1, are).
    static func isContractID(_ id: String) -> Bool {
        id.count <= 64 && id.wholeMatch(of: /[A-Za-z][A-Za-z0-9._\-]*/) != nil
    }

    static func notAnID(_ id: String) -> (message: String, hint: String) {
        (
            "the id '\(id.prefix(64))' is not one a contract can hold",
            "ids are letters, digits, '.', '_' and '-', starting with a letter, at most 64 characters"
        )
    }

    /// Free text as a contract holds it — its line breaks and tabs made spaces (INDIGO's text
    /// has them; a contract's attributes are one line), trimmed —, or what is wrong with it.
    static func plainText(_ written: String) -> Result<String, TextProblem> {
        let text = String(
            String.UnicodeScalarView(written.unicodeScalars.map { [0x0A, 0x0D, 0x09].contains($0.value) ? " " : $0 }))
            .trimmingCharacters(in: .whitespaces)
        guard text.count <= IndigoJSON.maximumText else { return .failure(.tooLong(text.count)) }
        if let scalar = text.unicodeScalars.first(where: \.forgesText) { return .failure(.forging(scalar)) }
        return .success(text)
    }

    enum TextProblem: Error {
        case tooLong(Int)
        case forging(Unicode.Scalar)

        var message: String {
            switch self {
            case .tooLong(let count): return "is \(count) characters long; pfs reads at most \(IndigoJSON.maximumText)"
            case .forging(let scalar):
                return "holds a control or text-direction character (U+\(String(scalar.value, radix: 16, uppercase: true)))"
            }
        }

        var hint: String {
            switch self {
            case .tooLong: return "shorten it"
            case .forging: return "a contract's text is plain text"
            }
        }
    }
}
