import ArgumentParser
import Foundation
import PFS
import PFSModel
import PFSRegister
import PFSLedger
import PFSStatements
import PFSValue

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recompute a JSON statement from its contract, report every difference, and check its signatures.",
        discussion:
            """
            Exit status 0 when every value recomputes identically from a contract whose content is unchanged \
            (same canonical digest) and every signature file beside it (STATEMENT.<party>.sig, from `pfs issue`) \
            verifies with a key whose certificate, and whose party's binding, the register's authority signed; 1 \
            otherwise.
            """
    )

    @Argument(help: "A JSON statement written by pfs (settlement, payout or audit), or a value-for-money document.")
    var statement: String

    @Option(
        help: """
            The contract XML file the statement was issued from: every figure is recomputed from it. Without it \
            only the signatures beside the statement (and the register, with --register) are checked.
            """)
    var contract: String?

    @Option(
        help: ArgumentHelp(
            """
            Also check against this register that the statement is the one issued, from this contract version, \
            and that its signatures (the register's, and STATEMENT.<party>.sig files beside it) verify.
            """,
            valueName: "PATH|URL"))
    var register: String?

    func validate() throws {
        if contract == nil, register == nil, SignatureFiles.beside(statement).isEmpty {
            throw ValidationError(
                """
                nothing to check: give --contract CONTRACT.xml to recompute the statement, or keep beside it the \
                signature files `pfs issue` wrote
                """)
        }
    }

    func run() async throws {
        if let valueContract = Verification.valueDocumentContract(at: statement) {
            try await verifyValue(contractID: valueContract)
            return
        }
        // The recomputation first, then the signatures' chain, then what the register says.
        var stopped: (any Error)?
        if let contract {
            do { try recompute(contract) } catch { stopped = error }
        } else {
            print("\(statement): not recomputed (give --contract CONTRACT.xml to recompute every figure)")
        }
        let chain = ChainCheck.check(statement: statement)
        if checkChain(chain) {
            stopped = stopped ?? ExitCode(ExitStatus.validationFailure)
            if contract == nil { print("NOT verified") }
        } else if contract == nil, !chain.signers.isEmpty {
            print("signatures verified")
        }
        if let register {
            print("  register \(RegisterLocation.parse(register)):")
            if try await checkIssued(in: RegisterLocation.parse(register), authority: chain.authority) {
                print("NOT verified against the register")
                stopped = stopped ?? ExitCode(ExitStatus.validationFailure)
            }
        }
        if let stopped { throw stopped }
    }

    /// The signatures beside the statement and their chain to the register's authority, as
    /// the README's OpenSSL commands check them; true when something is refused.
    private func checkChain(_ chain: ChainCheck.Result) -> Bool {
        guard chain.authority != nil || !chain.refusals.isEmpty else { return false }
        print("  signatures beside the statement:")
        if let authority = chain.authority {
            print("    authority \(authority) (compare it with the one your register's administrator published)")
        }
        for signer in chain.signers {
            print(
                """
                    signed for party \(signer.party) (\(signer.role)) by member \(signer.member) of \
                \(signer.organisation), key \(signer.keyID.prefix(16)): key and binding certified by the authority
                """)
        }
        for refusal in chain.refusals { print("    REFUSED: \(refusal)") }
        return !chain.refusals.isEmpty
    }

    /// The register's view of the statement; true when something is refused.
    private func checkIssued(in location: RegisterLocation, authority: String?) async throws -> Bool {
        guard let bytes = FileManager.default.contents(atPath: statement).map(Array.init) else {
            printError("pfs: cannot read \(statement)")
            throw ExitCode(ExitStatus.validationFailure)
        }
        let contractSHA = contract.flatMap { FileManager.default.contents(atPath: $0) }.map { PFS.sha256Hex(Array($0)) }
        let (check, trust) = try await usingRegister(location) { register async throws(RegisterError) in
            (
                try await register.checkIssued(
                    bytes, contractSHA256: contractSHA, signatureFiles: SignatureFiles.beside(statement)),
                try await register.trust()
            )
        }
        var refused = false
        if let authority, authority != trust.authority?.fingerprint {
            print("    REFUSED: the certificates beside the statement name authority \(authority.prefix(16))…, not this register's")
            refused = true
        }
        for line in check.confirmations { print("    \(line)") }
        for line in check.refusals { print("    REFUSED: \(line)") }
        return refused || !check.refusals.isEmpty
    }

    /// A value-for-money document is neither issued nor signed: it is made again from the
    /// contract, with what the register records paid where the document counted it.
    private func verifyValue(contractID: String) async throws {
        guard let contract else {
            printError("pfs: a value-for-money document is verified by making it again: give --contract CONTRACT.xml")
            throw ExitCode(ExitStatus.usage)
        }
        var paid: [Int: ExactDecimal]?
        if let register {
            paid = try await usingRegister(RegisterLocation.parse(register)) { register async throws(RegisterError) in
                try await register.paidByYear(contract: contractID)
            }
        }
        try recompute(contract, paid: paid)
    }

    private func recompute(_ contract: String, paid: [Int: ExactDecimal]? = nil) throws {
        let value: Verification.ValueRecomputation = { contractModel, history, basis in
            Self.valueDocument(
                contractModel, history: history, basis: basis, paid: paid, statement: statement, register: register)
        }
        switch Verification.verify(statementPath: statement, contractPath: contract, value: value) {
        case .failure(let failure):
            printDiagnostics(failure.diagnostics)
            throw ExitCode(ExitStatus.validationFailure)
        case .success(let report):
            var lines = ["\(statement): \(report.format), FY\(report.year), recomputed from \(contract)"]
            if report.contractChanged {
                lines.append(
                    "  contract changed since the statement was issued: "
                        + "digest at issue \(report.recordedDigest), now \(report.currentDigest)")
            } else {
                lines.append("  contract unchanged: digest \(report.currentDigest)")
            }
            if report.contractFileChanged {
                lines.append(
                    "  contract file differs from the one the statement records: "
                        + "SHA-256 at issue \(report.recordedSHA256), now \(report.currentSHA256)"
                        + (report.contractChanged ? "" : " (same content: formatting only)"))
            }
            switch report.recordedSettlementDigest {
            case nil:
                lines.append("  settlement digest: none recorded (made before statements recorded it); now \(report.currentSettlementDigest)")
            case let recorded? where report.settlementDigestDiffers:
                let cause = report.ruleChanges.isEmpty ? "" : " (it names the rules' versions, which differ)"
                lines.append(
                    "  settlement digest differs: \(recorded) recorded, \(report.currentSettlementDigest) from the "
                        + "figures now\(cause)")
            case _?:
                lines.append("  settlement digest matches: \(report.currentSettlementDigest)")
            }
            if report.recordedEngine != report.currentEngine {
                lines.append("  issued by \(report.recordedEngine); recomputed by \(report.currentEngine)")
            }
            for change in report.ruleChanges {
                let before = change.recorded.map { "version \($0)" } ?? "not used"
                let now = change.current.map { "version \($0)" } ?? "not used"
                lines.append(
                    "  rule \(change.rule): \(before) at issue, \(now) now; differences may come from the rule")
            }
            if !report.differences.isEmpty {
                lines.append(
                    "  \(report.differences.count) difference\(report.differences.count == 1 ? "" : "s") "
                        + "(statement → recomputed):")
                for difference in report.differences {
                    lines.append("    \(difference.path): \(difference.statement) → \(difference.recomputed)")
                }
            }
            lines.append(report.verified ? "verified" : "NOT verified")
            print(lines.joined(separator: "\n"))
            if !report.verified { throw ExitCode(ExitStatus.validationFailure) }
        }
    }

    /// The value-for-money document made again as `pfs value` made it, from the basis it
    /// records (a schedule named on the command line is named again; the contract's is the
    /// contract's) and, where it counted payments made, from the register's.
    static func valueDocument(
        _ contract: Contract, history: [Settlement], basis: ValueBasis, paid: [Int: ExactDecimal]?, statement: String,
        register: String?
    ) -> Result<Document, SettlementFailure> {
        func refuse(_ check: CheckID, _ message: String, _ hint: String) -> Result<Document, SettlementFailure> {
            .failure(SettlementFailure([Diagnostic(check: check, message: message, hint: hint, at: .file(statement))]))
        }
        if basis.paidFromRegister, paid == nil {
            return refuse(
                .statementRegister,
                "the document counts what a register records paid; it is made again only with that register",
                "give --register PATH|URL, the register it was made with")
        }
        if !basis.paidFromRegister, register != nil {
            return refuse(
                .statementRegister,
                "the document was made without a register (its payments are the settled amounts); --register does not apply",
                "verify it without --register")
        }
        let assessment: ValueAssessment
        switch ValueForMoney.assess(
            contract, history: history, command: basis.commandDeclaration(at: .file(statement)), paid: paid)
        {
        case .success(let made): assessment = made
        case .failure(.schedule(let error)):
            return refuse(
                .statementFormat, "the discount schedule the document records cannot be used: \(error.description)",
                "verify the .json document `pfs value` wrote")
        case .failure(.arithmetic(let error)):
            return refuse(
                .arithmeticOverflow, "the value for money cannot be computed: \(error)",
                "amounts this large are beyond pfs's exact decimals")
        }
        guard let document = ValueStatement.document(assessment, history: history) else {
            return refuse(.statementFormat, "no year of the term is settled to the document's year", "check the contract")
        }
        return .success(document)
    }
}
