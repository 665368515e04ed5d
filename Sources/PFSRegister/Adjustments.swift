import Foundation
import PFSModel
import PFSStatements
import SQLKit

/// One year's adjustment as recorded.
public struct RecordedAdjustment: Sendable {
    public let year: Int
    public let number: Int
    public let runID: Int
    public let lines: [AdjustmentLine]
    /// Paths of the adjustment statements recorded with it.
    public let statements: [String]
    /// The adjustment statement itself, for writing it in other formats.
    public let document: Document
}

extension Register {
    /// Corrects issued years by adjustment: settles the corrected contract's term (`history`,
    /// the fold of the new version), and for each year from `year` on that was issued and
    /// whose amounts differ from what was issued (with the adjustments issued since),
    /// records an adjustment: the restated run, the adjustment statements, and a `settled`
    /// event whose state then goes through review, approval, issue and payment like any.
    /// The issued statements stay as they are. All of it is one transaction.
    public func recordAdjustments(
        _ input: ContractInput, history: [Settlement], from year: Int, reason given: String?,
        signer: (any EventSigner)? = nil, party: String? = nil
    ) async throws(RegisterError) -> [RecordedAdjustment] {
        try await write { db in
            let who = try await self.participant(
                .settle, contract: input.contract, signer: signer, party: party, in: db)
            let recorded = try await self.adjustments(
                input, history: history, from: year, reason: given, otherwise: nil, who: who, in: db)
            guard !recorded.isEmpty else {
                throw RegisterError.refused(
                    "the corrected contract changes no amount of an issued year of '\(input.contract.id)'",
                    hint: "nothing to adjust; settle a year that is not issued yet as usual")
            }
            return recorded
        }
    }

    /// The adjustments of every issued year from `year` on that `history` changes, inside
    /// a writing transaction. The reason is the one given, else the one `pfs actuals
    /// --correction` recorded, else `otherwise`; none at all is refused.
    func adjustments(
        _ input: ContractInput, history: [Settlement], from year: Int, reason given: String?, otherwise: String?,
        who: Participant, in db: any SQLDatabase
    ) async throws -> [RecordedAdjustment] {
        let years = try await self.issuedYears(input.contract.id, in: db)
        var records: [Int: YearRecord] = [:]
        for issued in years { records[issued] = try await self.record(input.contract.id, issued, in: db) }
        var recorded: [RecordedAdjustment] = []
        var reason: String?
        for corrected in years {
            guard let record = records[corrected] else { continue }
            guard let restated = history.first(where: { $0.fiscalYear.year == corrected }) else {
                throw RegisterError.refused(
                    "FY\(corrected) was issued, but the corrected contract cannot settle it",
                    hint: "give FY\(corrected) its data in the corrected contract")
            }
            let lines = try await self.adjustmentLines(record, restated: restated, contract: input.contract, in: db)
            guard lines.contains(where: { $0.difference != .zero }) else { continue }
            if corrected < year {
                throw RegisterError.refused(
                    "the corrected contract also changes FY\(corrected), issued before FY\(year)",
                    hint:
                        "settle from the first year it changes: "
                        + "`pfs settle \(input.fileName) --year \(corrected) --register R`"
                )
            }
            if let open = records.values.first(where: { $0.adjustment != nil && !$0.everIssuedSince(adjustment: true) })
            {
                throw RegisterError.refused(
                    """
                    adjustment \(open.adjustment ?? 0) of contract '\(input.contract.id)' FY\(open.year) is \
                    \(open.state.rawValue), not yet issued
                    """,
                    hint: "take it through review, approval and issue (or reject it) before correcting again")
            }
            if reason == nil {
                do {
                    reason = try await self.correctionReason(
                        given, contract: input.contract.id, sha256: input.sha256, in: db)
                } catch let error as RegisterError {
                    guard let otherwise else { throw error }
                    reason = otherwise
                }
            }
            recorded.append(
                try await self.recordAdjustment(
                    input, restated: restated, lines: lines, record: record, reason: reason ?? "", who: who, in: db))
        }
        return recorded
    }

    /// The years of a contract that were ever issued, in order.
    func issuedYears(_ contract: String, in db: any SQLDatabase) async throws -> [Int] {
        try await db.contractYears(with: .issued, contract: contract).map(\.year)
    }

    /// The reason given, or else the one recorded by `pfs actuals --correction` for this version.
    func correctionReason(
        _ given: String?, contract: String, sha256: String, in db: any SQLDatabase
    ) async throws
        -> String
    {
        if let given, !given.trimmingCharacters(in: .whitespaces).isEmpty { return given }
        if let comment = try await db.correction(of: contract, to: sha256)?.comment { return comment }
        throw RegisterError.refused(
            "an issued year changes, and no reason for the correction is recorded for this contract version",
            hint: "say why: --correction \"…\" (or take the values in with `pfs actuals --correction`)")
    }

    /// Issued (with the issued adjustments since) against restated, per payer, payee and clause.
    func adjustmentLines(
        _ record: YearRecord, restated: Settlement, contract: Contract, in db: any SQLDatabase
    ) async throws -> [AdjustmentLine] {
        var booked: [String: (DueLine, ExactDecimal)] = [:]
        var order: [String] = []
        func book(_ line: DueLine, _ amount: ExactDecimal) throws {
            if let existing = booked[line.key] {
                booked[line.key] = (existing.0, try existing.1.adding(amount))
            } else {
                booked[line.key] = (line, amount)
                order.append(line.key)
            }
        }
        for (line, amount) in Self.bookedLines(record) { try book(line, amount) }
        var restatedByKey: [String: ExactDecimal] = [:]
        for line in try DueLine.lines(of: restated) {
            try book(line, .zero)
            restatedByKey[line.key] = try (restatedByKey[line.key] ?? .zero).adding(line.amount)
        }
        func reference(_ id: String) -> Settlement.PartyReference? {
            contract.parties.first { $0.id == id }.map(Settlement.PartyReference.init)
        }
        return try order.compactMap { key in
            guard let (line, issued) = booked[key], let payer = reference(line.payer), let payee = reference(line.payee)
            else { return nil }
            let now = restatedByKey[key] ?? .zero
            return AdjustmentLine(
                payer: payer, payee: payee, clause: line.clause, issued: issued, restated: now,
                difference: try now.subtracting(issued))
        }
    }

    /// The payloads of the year's runs that were issued: the original and its issued adjustments.
    static func issuedCycles(_ record: YearRecord) -> [SettledPayload] {
        var cycles: [SettledPayload] = []
        var current: SettledPayload?
        for event in record.events {
            switch EventPayload(event) {
            case .settled(let settled): current = settled
            case .issued: if let current { cycles.append(current) }
            default: break
            }
        }
        return cycles
    }

    private func recordAdjustment(
        _ input: ContractInput, restated: Settlement, lines: [AdjustmentLine], record: YearRecord, reason: String,
        who: Participant, in db: any SQLDatabase
    ) async throws -> RecordedAdjustment {
        let year = record.year
        let number =
            record.events.filter {
                if case .settled(let settled) = EventPayload($0) { return settled.adjustment != nil }
                return false
            }.count + 1
        let original = try await db.settlementStatement(ofRun: try await self.originalRun(record))
        let correctsPath = original?.path ?? "FY\(year) as issued"
        let correctsSHA = original?.sha256 ?? ""
        let facts = AdjustmentFacts(
            number: number, reason: reason, corrects: correctsPath, correctsSHA256: correctsSHA,
            digestBefore: record.digest, digestAfter: input.digest, policy: input.contract.correctionPolicy,
            paid: record.state == .paid, lines: lines,
            division: try await self.division(of: record.runID, restated: restated, in: db))
        let document = AdjustmentStatement.document(restated, facts)
        var statements: [StatementInput] = []
        // Every format pfs writes itself, in both languages, so that `pfs issue` can hand the
        // adjustment over in whichever the city files (PDF is made from the HTML then).
        let formats = StatementFormat.own.flatMap { format in
            format.isLocalized ? Language.allCases.map { (format, $0) } : [(format, Language.ja)]
        }
        for (format, language) in formats {
            let path = Statement.path(
                contractID: input.contract.id, year: year, kind: document.kind, format: format, language: language)
            statements.append(
                StatementInput(
                    document: "adjustment-\(number)", party: nil, language: format == .json ? "ja+en" : language.rawValue,
                    format: format.rawValue, path: path,
                    bytes: Statement.bytes(document, as: format, language: language)))
        }
        // How the differences are settled: more due is paid; less is refunded, or
        // deducted from the next payment to the same payee.
        var dues: [DueLine] = []
        var credits: [DueLine] = []
        for line in lines where line.difference != .zero {
            if line.difference > .zero {
                dues.append(
                    DueLine(
                        payer: line.payer.id, payee: line.payee.id, clause: line.clause, kind: "adjustment",
                        amount: line.difference))
            } else {
                let back = try ExactDecimal.zero.subtracting(line.difference)
                switch input.contract.correctionPolicy {
                case .refund:
                    dues.append(
                        DueLine(
                            payer: line.payee.id, payee: line.payer.id, clause: line.clause, kind: "refund",
                            amount: back))
                case .adjustNextPayment:
                    credits.append(
                        DueLine(
                            payer: line.payer.id, payee: line.payee.id, clause: line.clause, kind: "credit",
                            amount: back))
                }
            }
        }
        let settlementJSON = JSONStatement.bytes(restated)
        let corrects = try await self.originalRun(record)
        let runID = try await recordRun(
            input, settlement: restated, settlementJSON: settlementJSON, statements: statements, who: who,
            comment: reason,
            extra: {
                $0.adjustment = number
                $0.corrects = corrects
                $0.reason = reason
                $0.digestBefore = record.digest
                $0.policy = input.contract.correctionPolicy.rawValue
                $0.lines = lines.map {
                    .init(
                        payer: $0.payer.id, payee: $0.payee.id, clause: $0.clause, issued: $0.issued.description,
                        restated: $0.restated.description, difference: $0.difference.description)
                }
                $0.credits = credits.map(SettledPayload.Line.init)
            },
            dues: try Due.sum(dues), in: db)
        return RecordedAdjustment(
            year: year, number: number, runID: runID, lines: lines, statements: statements.map(\.path),
            document: document)
    }

    /// The projects' division of the run last issued (read from its recorded settlement)
    /// beside the restated one: each attributable improvement and each party's share.
    func division(of run: Int, restated: Settlement, in db: any SQLDatabase) async throws -> [DivisionLine] {
        guard let json = try await db.settlementJSON(ofRun: run),
            let object = try JSONSerialization.jsonObject(with: json) as? [String: Any]
        else { return [] }
        func amount(_ any: Any?) -> ExactDecimal { (any as? String).flatMap { ExactDecimal(plain: $0) } ?? .zero }
        var issued: [String: (attributable: ExactDecimal, shares: [String: ExactDecimal])] = [:]
        for project in object["projects"] as? [[String: Any]] ?? [] {
            guard let id = project["id"] as? String else { continue }
            var shares: [String: ExactDecimal] = [:]
            for allocation in project["allocations"] as? [[String: Any]] ?? [] {
                if let party = (allocation["party"] as? [String: Any])?["id"] as? String {
                    shares[party] = amount(allocation["amount"])
                }
            }
            issued[id] = (amount(project["netAttributable"]), shares)
        }
        var lines: [DivisionLine] = []
        for project in restated.projects {
            let before = issued[project.id]
            let attributable = before?.attributable ?? .zero
            lines.append(
                DivisionLine(
                    project: project.id, party: nil, issued: attributable, restated: project.netAttributable,
                    difference: try project.netAttributable.subtracting(attributable)))
            for allocation in project.allocations {
                let share = before?.shares[allocation.party.id] ?? .zero
                lines.append(
                    DivisionLine(
                        project: project.id, party: allocation.party, issued: share, restated: allocation.amount,
                        difference: try allocation.amount.subtracting(share)))
            }
        }
        return lines
    }

    /// The run of the year's first settlement that was issued.
    func originalRun(_ record: YearRecord) async throws -> Int {
        var current: Int?
        for event in record.events {
            switch EventKind(rawValue: event.kind) {
            case .settled: current = EventPayload.decode(RunPayload.self, from: event.payload)?.run
            case .issued: if let current { return current }
            default: break
            }
        }
        return record.runID
    }

}

extension YearRecord {
    /// Whether the current run (an adjustment, when `adjustment`) has been issued.
    func everIssuedSince(adjustment: Bool) -> Bool {
        guard let lastSettled = events.lastIndex(where: { $0.kind == EventKind.settled.rawValue }) else { return false }
        return events[lastSettled...].contains { $0.kind == EventKind.issued.rawValue }
            || state == .rejected
    }
}

extension Register {
    /// Under `adjust-next-payment`, the amounts corrections found paid too much, not yet
    /// deducted, are deducted from this year's amounts to the same payees: what is deducted,
    /// and what is still owed. Other policies owe the dues as they are.
    func netCredits(
        _ contract: Contract, year: Int, dues: [Due], in db: any SQLDatabase
    ) async throws -> (netted: [DueLine], owed: [Due]) {
        guard contract.correctionPolicy == .adjustNextPayment else { return ([], dues) }
        var outstanding: [String: ExactDecimal] = [:]
        func add(_ lines: [SettledPayload.Line]?, sign: Bool) throws {
            for line in (lines ?? []).map(\.due) {
                let key = "\(line.payer)\u{0}\(line.payee)"
                let current = outstanding[key] ?? .zero
                outstanding[key] = sign ? try current.adding(line.amount) : try current.subtracting(line.amount)
            }
        }
        let years = try await db.contractYears(with: .settled, contract: contract.id).map(\.year)
        for other in years where other != year {
            guard let record = try await self.record(contract.id, other, in: db) else { continue }
            let issued = Self.issuedCycles(record)
            for cycle in issued {
                try add(cycle.credits, sign: true)
                try add(cycle.netted, sign: false)
            }
            // A settled year not yet issued has already taken its deduction.
            if !record.everIssuedSince(adjustment: false), record.state != .rejected,
                let last = record.events.last(where: { $0.kind == EventKind.settled.rawValue }),
                case .settled(let payload) = EventPayload(last)
            {
                try add(payload.netted, sign: false)
            }
        }
        var netted: [DueLine] = []
        var owed: [Due] = []
        for due in dues {
            let key = "\(due.payer)\u{0}\(due.payee)"
            let credit = outstanding[key] ?? .zero
            guard credit > .zero else {
                owed.append(due)
                continue
            }
            let deducted = min(credit, due.amount)
            outstanding[key] = try credit.subtracting(deducted)
            netted.append(
                DueLine(payer: due.payer, payee: due.payee, clause: "adjustment", kind: "netted", amount: deducted))
            let rest = try due.amount.subtracting(deducted)
            if rest != .zero { owed.append(Due(payer: due.payer, payee: due.payee, amount: rest)) }
        }
        return (netted, owed)
    }
}

extension Register {
    /// What the register holds as due for a year, per payer, payee and clause (`DueLine.key`):
    /// the original issued amounts plus every issued adjustment's differences.
    public func bookedAmounts(_ record: YearRecord) throws(ArithmeticError) -> [String: ExactDecimal] {
        var booked: [String: ExactDecimal] = [:]
        for (line, amount) in Self.bookedLines(record) {
            booked[line.key] = try (booked[line.key] ?? .zero).adding(amount)
        }
        return booked
    }

    /// The lines of the year's issued runs, in order: the original's amounts, then each
    /// issued adjustment's differences.
    static func bookedLines(_ record: YearRecord) -> [(DueLine, ExactDecimal)] {
        issuedCycles(record).flatMap { cycle in
            (cycle.lines ?? []).map { ($0.due, $0.booked) }
        }
    }
}
