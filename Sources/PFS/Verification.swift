import Foundation
import PFSEvaluator
import PFSLoader
import PFSModel
import PFSStatements
import PFSValue

/// Recomputes a JSON statement from its contract and compares every value: what
/// `pfs verify` does. Nothing the statement says is trusted; it only names the document,
/// the year and (for a payout statement) the party, and the file name it was made from.
public enum Verification {
    /// One value that differs, by its path in the JSON document.
    public struct Difference: Sendable, Hashable {
        /// e.g. `projects[smart-city].allocations[1].amount`.
        public let path: String
        /// What the statement says (`(absent)` when it lacks the value).
        public let statement: String
        /// What the engine computes from the contract now.
        public let recomputed: String

        /// Creates a difference.
        public init(path: String, statement: String, recomputed: String) {
            self.path = path
            self.statement = statement
            self.recomputed = recomputed
        }
    }

    /// What verifying found.
    public struct Report: Sendable {
        /// The statement's document format (`pfs-settlement/1`…).
        public let format: String
        /// The fiscal year.
        public let year: Int
        /// The contract digest the statement records and the contract's digest now.
        public let recordedDigest: String, currentDigest: String
        /// The SHA-256 of the contract file the statement records, and of the file now (a
        /// file reformatted without changing its content has a new SHA-256, same digest).
        public let recordedSHA256: String, currentSHA256: String
        /// The engine version that issued the statement, and this engine's.
        public let recordedEngine: String, currentEngine: String
        /// The settlement digest the statement records (nil: none, a statement made before
        /// statements recorded it) and the one its figures give now.
        public let recordedSettlementDigest: String?, currentSettlementDigest: String
        /// Rules whose version differs: name, version at issue (nil: not used then), now.
        public let ruleChanges: [(rule: String, recorded: Int?, current: Int?)]
        /// Every figure or text that differs, rules and provenance excepted.
        public let differences: [Difference]

        /// Whether the contract file's bytes differ from those the statement was issued from.
        public var contractFileChanged: Bool { recordedSHA256 != currentSHA256 }
        /// Whether the contract's content changed since the statement was issued.
        public var contractChanged: Bool { recordedDigest != currentDigest }
        /// Whether the statement records a settlement digest other than its figures give.
        public var settlementDigestDiffers: Bool {
            recordedSettlementDigest.map { $0 != currentSettlementDigest } ?? false
        }
        /// Verified: same contract content, every value recomputes identically, and the same
        /// settlement digest where the statement records one — unless a rule's version
        /// differs, which the digest names (reported, as the versions are, not a failure).
        public var verified: Bool {
            !contractChanged && differences.isEmpty && (!settlementDigestDiffers || !ruleChanges.isEmpty)
        }
    }

    /// Makes a value-for-money document again from the contract, its settled years and the
    /// basis the document records. The assessment lives in PFSLedger, which depends on PFS:
    /// the caller gives it.
    public typealias ValueRecomputation =
        (_ contract: Contract, _ history: [Settlement], _ basis: ValueBasis) -> Result<Document, SettlementFailure>

    /// Verifies the statement at `statementPath` against the contract at `contractPath`; a
    /// value-for-money document (`pfs-value/1`) is made again by `value`.
    public static func verify(
        statementPath: String, contractPath: String, value: ValueRecomputation? = nil
    ) -> Result<Report, SettlementFailure> {
        func refuse(
            _ check: CheckID, _ message: String, _ hint: String, line: Int = 0, column: Int = 0
        ) -> Result<Report, SettlementFailure> {
            .failure(
                SettlementFailure([
                    Diagnostic(
                        check: check, message: message, hint: hint,
                        at: SourceLocation(file: statementPath, line: line, column: column))
                ]))
        }
        let bytes: [UInt8]
        switch ContractLoader.read(path: statementPath, displayName: statementPath, maxBytes: maximumStatementBytes) {
        case .success(let read): bytes = read
        case .failure(let failure):
            guard failure.diagnostic.checkID != .inputTooLarge else {
                return refuse(
                    .inputTooLarge,
                    "the statement has more than \(maximumStatementBytes) bytes; pfs statements are far smaller",
                    "check that this is a statement written by pfs")
            }
            return refuse(.statementUnreadable, "cannot read the statement", "check the path and permissions")
        }
        if let problem = StrictJSON.problem(in: bytes) {
            return problem.duplicateKey
                ? refuse(
                    .statementDuplicateKey, problem.message + "; a statement written by pfs never repeats a key",
                    "the statement was edited: verify the file pfs wrote",
                    line: problem.line, column: problem.column)
                : refuse(
                    .statementNotJSON, "is not valid JSON: " + problem.message,
                    """
                    verify the .json statement pfs wrote; text, Markdown, HTML and CSV statements are made from \
                    the same figures
                    """,
                    line: problem.line, column: problem.column)
        }
        let parsed = try? JSONSerialization.jsonObject(with: Data(bytes))
        if parsed is [Any] {
            return refuse(
                .statementSeveral,
                """
                holds several statements (as `pfs settle --all --format json` prints them); pfs verifies one \
                statement at a time
                """,
                "write the statements with --output DIR and verify each file")
        }
        guard let statement = parsed, let root = statement as? [String: Any] else {
            return refuse(
                .statementNotJSON, "is not a JSON statement written by pfs",
                "verify the .json statement; text, Markdown, HTML and CSV statements are made from the same figures")
        }
        let format = root["format"] as? String ?? ""
        let contractFile = (root["contract"] as? [String: Any])?["file"] as? String
        let year = (root["fiscalYear"] as? [String: Any])?["year"] as? Int ?? root["fiscalYear"] as? Int
        let kind: DocumentKind?
        switch format {
        case Settlement.formatName: kind = .settlement
        case DocumentKind.audit.formatName: kind = .audit
        case DocumentKind.payout(party: "").formatName: kind = (root["party"] as? String).map { .payout(party: $0) }
        case DocumentKind.value.formatName where value != nil: kind = .value
        default: kind = nil
        }
        guard let kind, let year, let contractFile else {
            return .failure(
                SettlementFailure([
                    Diagnostic(
                        check: .statementFormat,
                        message:
                            """
                            is not a statement pfs can verify (format '\(format)'; it needs a format, a fiscal \
                            year and the contract's file name)
                            """,
                        hint: "pfs verifies pfs-settlement/1, pfs-payout/1, pfs-audit/1 and pfs-value/1 documents",
                        at: .file(statementPath))
                ]))
        }
        let checked = PFS.check(path: contractPath, canonical: true)
        guard let contract = checked.contract, !checked.hasErrors else {
            return .failure(SettlementFailure(checked.diagnostics))
        }
        let recordedContract = root["contract"] as? [String: Any]
        if let recordedID = recordedContract?["id"] as? String, recordedID != contract.id {
            // Said first and alone: compared value by value, two contracts differ everywhere.
            let digest = recordedContract?["digest"] as? String ?? "(none recorded)"
            return refuse(
                .statementContract,
                """
                the statement was made from contract '\(recordedID.printable())' (digest \(digest.printable())), \
                not from '\(contract.id)' in \(contractPath)
                """,
                "verify it against the contract it was issued from")
        }
        // Recompute under the file name the statement records: renaming the file is not a change.
        let provenance = PFS.provenance(of: checked, fileName: contractFile)
        let history: [Settlement]
        switch PFS.settleHistory(checked, provenance: provenance, through: year) {
        case .failure(let failure): return .failure(failure)
        case .success(let settled): history = settled
        }
        let found: Document?
        if case .value = kind, let value {
            guard let basis = valueBasis(root["basis"]), basis.asOf == year else {
                return refuse(
                    .statementFormat,
                    "the value-for-money document records no basis (its schedule, precision and year) pfs can read",
                    "verify the .json document `pfs value` wrote; its `basis` names what it was made with")
            }
            switch value(contract, history, basis) {
            case .failure(let failure): return .failure(failure)
            case .success(let made): found = made
            }
        } else {
            found = Statement.documents(history: history).first { $0.kind == kind }
        }
        guard let document = found else {
            guard case .payout(let party) = kind else { return .failure(SettlementFailure([])) }
            return .failure(
                SettlementFailure([
                    Diagnostic(
                        check: .statementParty,
                        message:
                            """
                            the statement is for party '\(party)', which receives nothing under the contract as \
                            it is now
                            """,
                        hint: "check that the statement belongs to this contract", at: .file(statementPath))
                ]))
        }
        let recomputedText = Statement.render(document, as: .json, language: .ja)
        let recomputed = (try? JSONSerialization.jsonObject(with: Data(recomputedText.utf8))) as? [String: Any] ?? [:]
        let settlement = document.settlement
        let recordedRules = rules(root["rules"])
        let currentRules = Dictionary(
            settlement.rules.map { ($0.rule, $0.version) }, uniquingKeysWith: { first, _ in first })
        let ruleChanges = Set(recordedRules.keys).union(currentRules.keys).sorted().compactMap {
            rule -> (String, Int?, Int?)? in
            recordedRules[rule] == currentRules[rule] ? nil : (rule, recordedRules[rule], currentRules[rule])
        }
        // Provenance is reported on its own; everything else must match exactly.
        var differences: [Difference] = []
        compare(strip(root), strip(recomputed), path: "", into: &differences)
        let engine = root["engine"] as? [String: Any]
        return .success(
            Report(
                format: format, year: year,
                recordedDigest: (recordedContract?["digest"] as? String ?? "(none recorded)").printable(),
                currentDigest: settlement.contract.digest,
                recordedSHA256: (recordedContract?["sha256"] as? String ?? "(none recorded)").printable(),
                currentSHA256: settlement.contract.sha256,
                recordedEngine: "\(engine?["name"] as? String ?? "?") \(engine?["version"] as? String ?? "?")".printable(),
                currentEngine: "\(settlement.engine.name) \(settlement.engine.version)",
                recordedSettlementDigest: (root["settlementDigest"] as? String)?.printable(),
                currentSettlementDigest: SettlementDigest.of(settlement),
                ruleChanges: ruleChanges, differences: differences))
    }

    /// The contract id a value-for-money document (`pfs-value/1`) records; nil for any other
    /// file (``verify(statementPath:contractPath:value:)`` says what is wrong with it).
    public static func valueDocumentContract(at path: String) -> String? {
        guard case .success(let bytes) = ContractLoader.read(path: path, displayName: path, maxBytes: maximumStatementBytes),
            StrictJSON.problem(in: bytes) == nil,
            let root = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any],
            root["format"] as? String == DocumentKind.value.formatName
        else { return nil }
        return (root["contract"] as? [String: Any])?["id"] as? String
    }

    /// A value document's `basis`, as `pfs value` writes it; nil when any part is missing or
    /// not what pfs writes.
    private static func valueBasis(_ value: Any?) -> ValueBasis? {
        guard let object = value as? [String: Any],
            let asOf = object["asOf"] as? Int,
            let discount = (object["discount"] as? String).flatMap(ValueDeclaration.Discount.init(rawValue:)),
            let declining = object["declining"] as? Bool,
            let rates = object["rates"] as? [[String: Any]],
            let terms = (object["terms"] as? String).flatMap(DiscountTerms.init(rawValue:)),
            let rateDigits = object["rateDigits"] as? Int,
            let source = (object["scheduleSource"] as? String).flatMap(ValueAssessment.ScheduleSource.init(rawValue:)),
            let paidFromRegister = object["paidFromRegister"] as? Bool
        else { return nil }
        var steps: [DiscountSchedule.Step] = []
        for rate in rates {
            guard let from = rate["fromYear"] as? Int, let text = rate["rate"] as? String,
                let decimal = ExactDecimal(plain: text)
            else { return nil }
            steps.append(DiscountSchedule.Step(from: from, rate: decimal))
        }
        return ValueBasis(
            asOf: asOf, discount: discount, steps: steps, declining: declining, terms: terms, rateDigits: rateDigits,
            scheduleSource: source, paidFromRegister: paidFromRegister)
    }

    private static func rules(_ value: Any?) -> [String: Int] {
        var result: [String: Int] = [:]
        for entry in value as? [[String: Any]] ?? [] {
            if let rule = entry["rule"] as? String, let version = entry["version"] as? Int { result[rule] = version }
        }
        return result
    }

    private static func strip(_ root: [String: Any]) -> [String: Any] {
        var root = root
        root["engine"] = nil
        root["rules"] = nil
        // Which register recorded it is about signatures, not figures (checked with them).
        root["register"] = nil
        // Which statement a revision replaces is about files, not figures.
        root["revision"] = nil
        // The settlement digest follows the contract's digest: reported on its own.
        root["settlementDigest"] = nil
        if var contract = root["contract"] as? [String: Any] {
            contract["sha256"] = nil
            contract["digest"] = nil
            root["contract"] = contract
        }
        return root
    }

    /// Walks both values in step; objects in arrays are named by their `id` or `key` when
    /// they have one, so a path reads `projects[smart-city].allocations[1].amount`.
    static func compare(_ statement: Any?, _ recomputed: Any?, path: String, into differences: inout [Difference]) {
        switch (statement, recomputed) {
        case let (left as [String: Any], right as [String: Any]):
            for key in Set(left.keys).union(right.keys).sorted() {
                compare(left[key], right[key], path: path.isEmpty ? key : path + "." + key, into: &differences)
            }
        case let (left as [Any], right as [Any]):
            for index in 0..<max(left.count, right.count) {
                let element = index < right.count ? right[index] : left[index]
                let name =
                    ((element as? [String: Any]).flatMap { $0["id"] as? String ?? $0["key"] as? String })
                    ?? String(index)
                compare(
                    index < left.count ? left[index] : nil, index < right.count ? right[index] : nil,
                    path: "\(path)[\(name)]", into: &differences)
            }
        default:
            let left = describe(statement), right = describe(recomputed)
            if left != right {
                differences.append(Difference(path: path.printable(), statement: left, recomputed: right))
            }
        }
    }

    /// Largest statement read (a large contract's statement is a few MiB).
    public static let maximumStatementBytes = 64 << 20

    private static func describe(_ value: Any?) -> String {
        switch value {
        case nil: return "(absent)"
        case let text as String: return "\"\(text.printable())\""
        case let number as NSNumber:
            // Both sides come from the same parser, so true/false read the same way on each.
            return number.stringValue
        case is NSNull: return "null"
        case let object as [String: Any]: return "{\(object.count) members}"
        case let array as [Any]: return "[\(array.count) elements]"
        default: return "\(value ?? "")"
        }
    }
}
