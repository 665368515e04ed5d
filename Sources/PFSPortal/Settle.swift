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
/// bound by the administrator first). Values of a year already issued change only with a
/// reason: the correction is recorded as `pfs actuals --correction` records it, and the
/// earliest issued year it reaches is settled again by adjustment, as `pfs settle` does.
extension Portal {
    /// The largest upload: a table of 8 MiB, base64 in JSON.
    static let settleBodyLimit = 12 << 20

    func settle(_ request: Request, _ context: PortalContext, _ viewer: Viewer) async throws -> Response {
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
        var preview: [String: Any] = ["added": 0, "changed": 0, "unchanged": 0, "lines": [String](), "corrects": [Int]()]
        var corrected: [CorrectedValue] = []
        let years = try await pool.use { register in try await register.years(of: id) }
        let issuedYears = Set(years.filter(\.everIssued).map(\.year))
        if let upload = signed.offered.actuals {
            guard let data = Data(base64Encoded: upload.bytes) else { throw Refusal.malformed }
            let table: ActualsTable
            switch ActualsTable.read(bytes: Array(data), name: Self.uploadName(upload.name, otherwise: "actuals")) {
            case .success(let read): table = read
            case .failure(let problem):
                return Responses.json(["error": problem.diagnostic.rendered], status: .badRequest)
            }
            let plan = Actuals.plan(table, into: recorded.contract, bytes: recorded.bytes, file: recorded.fileName)
            guard plan.diagnostics.isEmpty else {
                return Responses.json(
                    ["error": plan.diagnostics.map(\.rendered).joined(separator: "\n")], status: .badRequest)
            }
            bytes = plan.bytes
            corrected = plan.correctedValues
            preview = [
                "added": plan.changes.filter { $0.before == nil }.count, "changed": corrected.count,
                "unchanged": plan.unchanged, "lines": plan.diff,
                "corrects": Set(corrected.map(\.year)).intersection(issuedYears).sorted(),
            ]
        }
        if signed.offered.preview == true { return Responses.json(["preview": preview]) }
        // An issued year changes only with a reason, and from the earliest one it reaches: its
        // adjustment carries the change on to the issued years after it.
        let reason = signed.offered.reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let correctedIssued = Set(corrected.map(\.year)).intersection(issuedYears)
        if let earliest = correctedIssued.min() ?? (issuedYears.contains(year) ? year : nil) {
            guard !reason.isEmpty else {
                return Responses.json(
                    [
                        "error": "FY\(earliest) was issued: its figures change only with the reason for the correction",
                        "hint": "say why in the reason field; the adjustment statements carry it",
                    ], status: .conflict)
            }
            guard year == earliest else {
                return Responses.json(
                    [
                        "error": "the table changes values of FY\(earliest), which was issued: settle FY\(earliest), not FY\(year)",
                        "hint": "its adjustment reaches every issued year after it",
                    ], status: .conflict)
            }
        }
        let signer = try signed.requireSigner()
        let (version, corrections) = (PFS.sha256Hex(bytes), corrected)
        let checked = PFS.check(bytes: bytes, file: recorded.fileName, canonical: true)
        let selection = StatementSelection(formats: [.json, .html], languages: [.ja, .en])
        do {
            let (state, adjustments) = try await pool.use { register -> (String, Int) in
                try Self.requireOwnKey(signer, viewer, try await cache.trust(register))
                // The correction first, as `pfs actuals --correction` records it: the browser
                // sends this request again for the next signature, by then it is recorded.
                if !corrections.isEmpty, !correctedIssued.isEmpty,
                    try await !register.correctionRecorded(contract: id, to: version)
                {
                    try await register.recordCorrection(
                        contract: recorded.contract, from: PFS.sha256Hex(recorded.bytes), to: version, values: corrections,
                        reason: reason, signer: signer)
                }
                let outcome: SettleOutcome
                do {
                    outcome = try await register.settle(
                        checked, fileName: recorded.fileName, year: year, selection: selection, signer: signer,
                        reason: reason.isEmpty ? nil : reason)
                } catch let problem as SettleProblem {
                    switch problem {
                    case .register(let refusal): throw refusal
                    case .contract(let diagnostics):
                        throw RegisterError.input(diagnostics.map(\.rendered).joined(separator: "\n"))
                    case .statements(let diagnostic): throw RegisterError.input(diagnostic.rendered)
                    }
                }
                let adjustments: Int
                switch outcome {
                case .recorded(_, _, let made): adjustments = made.count
                case .adjusted(let made): adjustments = made.count
                }
                return (try await register.record(of: id, year: year)?.state.rawValue ?? "", adjustments)
            }
            return Responses.json(["state": state, "adjustments": adjustments, "preview": preview])
        } catch let error as RegisterError {
            return Self.answer(error)
        }
    }
}
