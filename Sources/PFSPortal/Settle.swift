import Foundation
import Hummingbird
import PFS
import PFSLoader
import PFSModel
import PFSRegister
import PFSStatements

/// The finance officer settles a year in the browser: optionally a department's table of
/// actual values first (the same reading and checks as `pfs actuals`, shown before anything
/// is recorded), then the year settled from the new version and the `settled` event signed
/// in the browser. A contract's first year comes with the contract's file (its parties
/// bound by the administrator first). Values of a year already issued are changed with
/// `pfs actuals --correction` and its reason, not here.
extension Portal {
    /// The largest upload: a table of 8 MiB, base64 in JSON.
    static let settleBodyLimit = 12 << 20

    func settle(_ request: Request, _ context: BasicRequestContext, _ viewer: Viewer) async throws -> Response {
        guard let signed = try await signedRequest(.apiSettle, request, context, viewer, limit: Self.settleBodyLimit)
        else { return notFound(viewer, api: true) }
        let (id, year) = (signed.contract, signed.year)
        let recorded: RecordedContract
        if let held = try await pool.use({ register in try await cache.contracts(register) })
            .first(where: { $0.contract.id == id })
        {
            recorded = held
        } else {
            // The first year: the register holds no version yet, the finance officer sends the file.
            guard let text = signed.offered.fields?["contractFile"], !text.isEmpty else {
                return Responses.json(
                    ["error": "the register holds no version of contract '\(id)' yet: choose its file"],
                    status: .badRequest)
            }
            do {
                let input = try Self.checkedContract(
                    Array(text.utf8), name: Self.uploadName(signed.offered.fields?["contractFileName"], otherwise: "\(id).xml"))
                guard input.contract.id == id else {
                    throw RegisterError.input("the file is contract '\(input.contract.id)', not '\(id)'")
                }
                recorded = RecordedContract(contract: input.contract, fileName: input.fileName, bytes: input.bytes)
            } catch let error as RegisterError {
                return Self.answer(error)
            }
        }
        var bytes = recorded.bytes
        var preview: [String: Any] = ["added": 0, "changed": 0, "unchanged": 0, "lines": [String]()]
        if let upload = signed.offered.actuals {
            guard let data = Data(base64Encoded: upload.bytes) else { throw Refusal.malformed }
            let table: ActualsTable
            switch ActualsTable.read(bytes: Array(data), name: (upload.name as NSString).lastPathComponent) {
            case .success(let read): table = read
            case .failure(let problem):
                return Responses.json(["error": problem.diagnostic.rendered], status: .badRequest)
            }
            let plan = Actuals.plan(table, into: recorded.contract, bytes: recorded.bytes, file: recorded.fileName)
            guard plan.diagnostics.isEmpty else {
                return Responses.json(
                    ["error": plan.diagnostics.map(\.rendered).joined(separator: "\n")], status: .badRequest)
            }
            let changedYears = Set(plan.changes.filter { $0.before != nil }.map(\.edit.year))
            let years = try await pool.use { register in try await register.years(of: id) }
            if let issued = years.first(where: { $0.everIssued && changedYears.contains($0.year) }) {
                return Responses.json(
                    [
                        "error": "the table changes values of FY\(issued.year), which was issued",
                        "hint": "a correction of an issued year is made with its reason: `pfs actuals --correction`",
                    ], status: .conflict)
            }
            bytes = plan.bytes
            preview = [
                "added": plan.changes.filter { $0.before == nil }.count,
                "changed": plan.changes.filter { $0.before != nil }.count, "unchanged": plan.unchanged,
                "lines": plan.diff,
            ]
        }
        if signed.offered.preview == true { return Responses.json(["preview": preview]) }
        let signer = try signed.requireSigner()
        let checked = PFS.check(bytes: bytes, file: recorded.fileName, canonical: true)
        let selection = StatementSelection(formats: [.json, .html], languages: [.ja, .en])
        do {
            let state = try await pool.use { register -> String in
                try Self.requireOwnKey(signer, viewer, try await cache.trust(register))
                do {
                    _ = try await register.settle(
                        checked, fileName: recorded.fileName, year: year, selection: selection, signer: signer)
                } catch let problem as SettleProblem {
                    switch problem {
                    case .register(let refusal): throw refusal
                    case .contract(let diagnostics):
                        throw RegisterError.input(diagnostics.map(\.rendered).joined(separator: "\n"))
                    case .statements(let diagnostic): throw RegisterError.input(diagnostic.rendered)
                    }
                }
                return try await register.record(of: id, year: year)?.state.rawValue ?? ""
            }
            return Responses.json(["state": state, "preview": preview])
        } catch let error as RegisterError {
            return Self.answer(error)
        }
    }
}
