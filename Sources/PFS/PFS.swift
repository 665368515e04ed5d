import Crypto
import PFSChecks
import PFSEvaluator
import PFSLoader
import PFSModel
import PFSStatements

/// The one entry point the CLI and the tests use: load → check → evaluate.
public enum PFS {
    /// The engine version recorded in every statement.
    public static let version = "0.1.0"

    /// What checking a contract found.
    public struct CheckResult: Sendable {
        /// The contract, when it loaded (it may still have semantic errors).
        public let contract: Contract?
        /// The file's bytes as read.
        public let bytes: [UInt8]
        /// Every problem found: load errors, or else every semantic check's findings.
        public let diagnostics: [Diagnostic]
        /// SHA-256 of ``bytes``, lowercase hex, recorded in every statement (computed when
        /// asked: checking alone does not need it).
        public var sha256: String { contract == nil ? "" : PFS.sha256Hex(bytes) }
        /// Whether any diagnostic is an error.
        public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
        /// SHA-256 of the contract's canonical form, when the check was asked to make it
        /// (from the same parse as the load).
        public let canonicalDigest: String?

        init(contract: Contract?, bytes: [UInt8], diagnostics: [Diagnostic], canonical: [UInt8]? = nil) {
            self.contract = contract
            self.bytes = bytes
            self.diagnostics = diagnostics
            canonicalDigest = canonical.map(PFS.sha256Hex)
        }
    }

    /// Loads and checks the contract at `path`. Semantic checks run only on a contract
    /// that loaded cleanly (well-formed, schema-valid, decimals parsed), so that one
    /// mistake is not reported again by every check that depends on it.
    /// Diagnostics name the file `displayName` (default: `path` as given).
    /// With `canonical`, the contract's canonical digest is made from the same parse (for
    /// settling: statements record it).
    public static func check(path: String, displayName: String? = nil, canonical: Bool = false) -> CheckResult {
        checked(ContractLoader.load(path: path, displayName: displayName, canonical: canonical))
    }

    /// Loads and checks contract XML held in memory; `file` names it in diagnostics. Files
    /// the contract names (a rate card's records) are read from `baseDirectory`, by default
    /// the folder of `file`.
    public static func check(
        bytes: [UInt8], file: String, canonical: Bool = false, baseDirectory: String? = nil
    ) -> CheckResult {
        checked(ContractLoader.load(bytes: bytes, file: file, canonical: canonical, baseDirectory: baseDirectory))
    }

    private static func checked(_ loaded: LoadResult) -> CheckResult {
        guard let contract = loaded.contract else {
            // Schema-valid with bad values: the semantic checks still run on the rest, so
            // that one run reports every problem; what they say about an element whose value
            // was bad is left out (it would only repeat the first problem).
            guard let partial = loaded.partial else {
                return CheckResult(contract: nil, bytes: loaded.bytes, diagnostics: loaded.diagnostics)
            }
            // A bad value's element and its siblings (the KPI or project it belongs to) are
            // left to the first diagnostic: a projection without its slope leaves the KPI's
            // actual values without an expected one, which is no second mistake.
            let scopes = Set(loaded.diagnostics.compactMap { $0.location.element.map(parentPath) })
            let more = ContractChecks.run(partial).filter { diagnostic in
                guard let element = diagnostic.location.element else { return true }
                return !scopes.contains { element == $0 || element.hasPrefix($0 + "/") || $0.hasPrefix(element + "/") }
            }
            let all = (loaded.diagnostics + more).sorted {
                ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column)
            }
            return CheckResult(contract: nil, bytes: loaded.bytes, diagnostics: all)
        }
        return CheckResult(
            contract: contract, bytes: loaded.bytes, diagnostics: ContractChecks.run(contract),
            canonical: loaded.canonical)
    }

    /// The result of checking a file that could not be read.
    public static func unreadable(_ failure: SettlementFailure) -> CheckResult {
        CheckResult(contract: nil, bytes: [], diagnostics: failure.diagnostics)
    }

    /// The bytes of the contract file at `path` (a diagnostic naming it when it cannot be
    /// read): what ``check(bytes:file:)`` and ``provenance(bytes:fileName:)`` take.
    public static func read(path: String) -> Result<[UInt8], SettlementFailure> {
        ContractLoader.read(path: path, displayName: path).mapError { SettlementFailure([$0.diagnostic]) }
    }

    /// What the statements of contract bytes record about where they came from, computed
    /// from the bytes alone (so that it can run beside the check: the canonical digest is a
    /// second, independent parse).
    public static func provenance(bytes: [UInt8], fileName: String) -> Provenance {
        Provenance(
            file: fileName, sha256: sha256Hex(bytes), digest: canonicalDigest(bytes, fileName: fileName),
            engineVersion: version)
    }

    /// Checks the contract at `path` and settles fiscal year `year`; on any error returns
    /// the diagnostics and no settlement.
    public static func settle(path: String, year: Int) -> Result<Settlement, SettlementFailure> {
        settle(check(path: path, canonical: true), fileName: lastPathComponent(path), year: year)
    }

    /// What every statement of a checked contract records about where it came from: the
    /// file name, the SHA-256 of its bytes and of its canonical form, the engine version.
    /// Computed once per contract (the canonical form means parsing it again, unless the
    /// check made it).
    public static func provenance(of checked: CheckResult, fileName: String) -> Provenance {
        Provenance(
            file: fileName, sha256: checked.sha256,
            digest: checked.canonicalDigest ?? canonicalDigest(checked.bytes, fileName: fileName),
            engineVersion: version)
    }

    /// SHA-256 of the canonical form of contract XML (of the bytes themselves if they do
    /// not parse, which a checked contract always does).
    private static func canonicalDigest(_ bytes: [UInt8], fileName: String) -> String {
        sha256Hex(CanonicalForm.bytes(of: bytes, file: fileName) ?? bytes)
    }

    /// Settles an already checked contract (see ``check(path:)``).
    public static func settle(
        _ checked: CheckResult, fileName: String, year: Int
    ) -> Result<Settlement, SettlementFailure> {
        settle(checked, provenance: provenance(of: checked, fileName: fileName), year: year)
    }

    /// Settles `year` of an already checked contract, recording `provenance`.
    public static func settle(
        _ checked: CheckResult, provenance: Provenance, year: Int
    ) -> Result<Settlement, SettlementFailure> {
        guard let contract = checked.contract, !checked.hasErrors else {
            return .failure(SettlementFailure(checked.diagnostics))
        }
        let yearProblems = ContractChecks.settlement(of: contract, year: year)
        guard yearProblems.isEmpty else { return .failure(SettlementFailure(yearProblems)) }
        return evaluate(contract, year: year, provenance: provenance)
    }

    /// Settles every year of the term that can be settled (``settleableYears(_:)``), in
    /// order, in one pass over the term (each year hands what it carries to the next).
    /// Without `steps`, figures only (see ``Evaluator/settleTerm(_:years:provenance:steps:)``).
    public static func settleTerm(
        _ checked: CheckResult, fileName: String, steps: Bool = true
    ) -> Result<[Settlement], SettlementFailure> {
        guard checked.contract != nil, !checked.hasErrors else {
            return .failure(SettlementFailure(checked.diagnostics))
        }
        return settleTerm(checked, provenance: provenance(of: checked, fileName: fileName), steps: steps)
    }

    /// ``settleTerm(_:fileName:)`` with the provenance already computed, and the settleable
    /// years when they are known (a caller may find them on several cores).
    /// Without `steps`, figures only (see ``Evaluator/settleTerm(_:years:provenance:steps:)``).
    public static func settleTerm(
        _ checked: CheckResult, provenance: Provenance, years: [Int]? = nil, steps: Bool = true
    ) -> Result<[Settlement], SettlementFailure> {
        guard let contract = checked.contract, !checked.hasErrors else {
            return .failure(SettlementFailure(checked.diagnostics))
        }
        return fold(contract, years: years ?? settleableYears(contract), provenance: provenance, steps: steps)
    }

    /// The term up to `year`: the settleable years before it, then `year` itself, which
    /// must settle (its diagnostics otherwise). What a payout statement for `year` shows.
    public static func settleHistory(
        _ checked: CheckResult, provenance: Provenance, through year: Int
    ) -> Result<[Settlement], SettlementFailure> {
        guard let contract = checked.contract, !checked.hasErrors else {
            return .failure(SettlementFailure(checked.diagnostics))
        }
        let yearProblems = ContractChecks.settlement(of: contract, year: year)
        guard yearProblems.isEmpty else { return .failure(SettlementFailure(yearProblems)) }
        return fold(contract, years: settleableYears(contract).filter { $0 < year } + [year], provenance: provenance)
    }

    private static func evaluate(
        _ contract: Contract, year: Int, provenance: Provenance
    ) -> Result<Settlement, SettlementFailure> {
        do {
            return .success(try Evaluator.settle(contract, year: year, provenance: provenance))
        } catch {
            return .failure(SettlementFailure([error.diagnostic]))
        }
    }

    private static func fold(
        _ contract: Contract, years: [Int], provenance: Provenance, steps: Bool = true
    ) -> Result<[Settlement], SettlementFailure> {
        do {
            return .success(try Evaluator.settleTerm(contract, years: years, provenance: provenance, steps: steps))
        } catch {
            return .failure(SettlementFailure([error.diagnostic]))
        }
    }

    /// The fiscal years of the term that can be settled: there is something to settle
    /// (a project, or a payment for the year) and every outcome it needs is measured.
    public static func settleableYears(_ contract: Contract) -> [Int] {
        guard contract.term.first <= contract.term.last else { return [] }
        return (contract.term.first...contract.term.last).filter { isSettleable(contract, year: $0) }
    }

    /// Whether `year` has something to settle (a project, a payment for the year, or a KPI
    /// target whose KPI has a result by then; a year with none gives no statement) and every
    /// outcome it needs is measured.
    public static func isSettleable(_ contract: Contract, year: Int) -> Bool {
        (!contract.projects.isEmpty || contract.payments.contains { $0.year == year }
            || contract.targets.contains { target in
                target.applies(to: year)
                    && contract.kpi(target.kpi)?.actual.contains { $0.year == year } == true
            })
            && ContractChecks.settlement(of: contract, year: year).isEmpty
    }

    /// SHA-256 of `bytes`, lowercase hex.
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// The contract format's XSD, as bundled.
    public static var schemaText: [UInt8] { ContractLoader.schemaText }

    /// `/contract/kpis/kpi[@id='a']` for `/contract/kpis/kpi[@id='a']/projection` (quoted
    /// ids may hold '/' only in theory: identifiers cannot).
    static func parentPath(_ element: String) -> String {
        guard let slash = element.lastIndex(of: "/"), slash != element.startIndex else { return element }
        return String(element[..<slash])
    }

    /// The file name at the end of a path.
    public static func lastPathComponent(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
    }
}

/// Why a settlement was not produced: the diagnostics, none of them settled around.
public struct SettlementFailure: Error, Sendable {
    /// Every problem found.
    public let diagnostics: [Diagnostic]
    /// A failure with these diagnostics.
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
}
