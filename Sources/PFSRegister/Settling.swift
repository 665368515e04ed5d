import Foundation
import PFS
import PFSModel
import PFSStatements

/// What settling a year into the register did.
public enum SettleOutcome: Sendable {
    /// The year's run and statements were recorded, with the adjustments of later issued years
    /// the new version changes.
    case recorded(run: Int, statements: Int, adjustments: [RecordedAdjustment])
    /// The year was issued already: adjustments were recorded for it and the issued years after.
    case adjusted([RecordedAdjustment])
}

/// Why a year could not be settled into the register.
public enum SettleProblem: Error, Sendable {
    /// The contract cannot be kept in a register, or does not settle (`pfs check` says why).
    case contract([Diagnostic])
    /// The statements could not be made (a template over its limits).
    case statements(Diagnostic)
    /// The register refused, or failed.
    case register(RegisterError)
}

extension Register {
    /// Settles `year` of a checked contract and records it, as `pfs settle --register` does
    /// (and the portal's finance officer): the run, its statements in `selection`, signed by
    /// `signer`; for a year already issued, an adjustment instead, with `reason`.
    public func settle(
        _ checked: PFS.CheckResult, fileName: String, year: Int, selection: StatementSelection,
        template: HTMLTemplate = .standard, signer: (any EventSigner)?, party: String? = nil, reason: String? = nil
    ) async throws(SettleProblem) -> SettleOutcome {
        guard let input = ContractInput(checked: checked, fileName: fileName) else {
            throw .contract(checked.diagnostics)
        }
        if let problem = input.registerProblem { throw .contract([problem]) }
        let issued: Bool
        var provenance = PFS.provenance(of: checked, fileName: fileName)
        do {
            issued = try await record(of: input.contract.id, year: year)?.everIssued ?? false
            // Statements recorded in a register name its authority, where their signatures lead.
            provenance.registerAuthority = try await trust().authority?.fingerprint
        } catch {
            throw .register(error)
        }
        let history: [Settlement]
        switch PFS.settleHistory(checked, provenance: provenance, through: year) {
        case .success(let settled): history = settled
        case .failure(let problems): throw .contract(problems.diagnostics)
        }
        guard let settlement = history.last(where: { $0.fiscalYear.year == year }) else {
            throw .contract([])
        }
        if issued {
            guard case .success(let term) = PFS.settleTerm(checked, provenance: provenance) else {
                throw .register(.input("the corrected contract cannot be settled over its term"))
            }
            do {
                return .adjusted(
                    try await recordAdjustments(
                        input, history: term, from: year, reason: reason, signer: signer, party: party))
            } catch {
                throw .register(error)
            }
        }
        let statements: [StatementInput]
        switch StatementInput.of(
            history: history, year: year, selection: selection, template: template, contract: input.contract)
        {
        case .success(let made): statements = made
        case .failure(let problem): throw .statements(problem.diagnostic)
        }
        // Later issued years this version changes (a year's data arrived late) are adjusted too.
        let term = (try? PFS.settleTerm(checked, provenance: provenance).get()) ?? history
        do {
            let (run, adjustments) = try await recordSettlement(
                input, settlement: settlement, settlementJSON: JSONStatement.bytes(settlement), statements: statements,
                signer: signer, party: party, restating: term, reason: reason)
            return .recorded(run: run, statements: statements.count, adjustments: adjustments)
        } catch {
            throw .register(error)
        }
    }
}
