import Foundation
import PFS
import PFSModel
import PFSRegister
import PFSStatements
import PFSTestSupport
import Testing

/// Corrections of issued years by adjustment (issue 14, item 2), on both backends.
@Suite(.serialized) struct Adjustments {
    /// A cost KPI over a term with the given actual values (expected 1000 every year), one
    /// project, the provider's share 20%.
    static func contract(
        actuals: [Int: Int], first: Int = 2020, last: Int = 2024, negative: String = "carry-forward",
        policy: String = "refund"
    ) -> String {
        let years = (first...last).map { year in
            #"<expected year="\#(year)" value="1000"/>"#
                + (actuals[year].map { #"<actual year="\#(year)" value="\#($0)" source="accounts"/>"# } ?? "")
        }.joined(separator: "\n      ")
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <contract xmlns="urn:pfs:contract:1" format-version="1" id="corrected">
              <title ja="修正" en="Corrected"/>
              <amounts currency="JPY" scale="1"/>
              <rounding increment="1" mode="down"/>
              <fiscal-year start-month="4"/>
              <term first="\(first)" last="\(last)"/>
              <corrections policy="\(policy)"/>
              <parties>
                <party id="city" role="public-sector"><name en="City"/></party>
                <party id="provider" role="provider"><name en="Provider"/></party>
                <party id="evaluator" role="evaluator"><name en="Evaluator"/></party>
              </parties>
              <kpis>
                <kpi id="cost" direction="lower-is-better" unit="yen"><name en="cost"/><money/>
                  <baseline year="\(first - 1)" value="1000"/>
                  \(years)
                </kpi>
              </kpis>
              <projects negative-improvement="\(negative)">
                <project id="programme" payer="city"><name en="Programme"/><credit kpi="cost" share="1"/>
                  <provider-share party="provider" share="0.2"/></project>
              </projects>
            </contract>
            """
    }

    static func input(_ text: String) throws -> ContractInput {
        let checked = PFS.check(bytes: Array(text.utf8), file: "corrected.xml")
        let errors = checked.diagnostics.filter { $0.severity == .error }.map(\.rendered)
        #expect(errors.isEmpty, "\(errors)")
        let provenance = PFS.provenance(of: checked, fileName: "corrected.xml")
        return ContractInput(
            contract: try #require(checked.contract), fileName: "corrected.xml", bytes: checked.bytes,
            sha256: provenance.sha256, digest: provenance.digest)
    }

    static func history(_ input: ContractInput) throws -> [Settlement] {
        try PFS.settleTerm(PFS.check(bytes: input.bytes, file: input.fileName), fileName: input.fileName).get()
    }

    /// Maebashi with FY2024's actual for item C restated from 2,200 to 2,250, and its check.
    static func restatingItemC(_ issued: ContractInput) throws -> (ContractInput, PFS.CheckResult) {
        let text = String(decoding: issued.bytes, as: UTF8.self).replacingOccurrences(
            of: #"<actual year="2024" value="2200""#, with: #"<actual year="2024" value="2250""#)
        let checked = PFS.check(bytes: Array(text.utf8), file: issued.fileName)
        let provenance = PFS.provenance(of: checked, fileName: issued.fileName)
        let corrected = ContractInput(
            contract: try #require(checked.contract), fileName: issued.fileName, bytes: checked.bytes,
            sha256: provenance.sha256, digest: provenance.digest)
        return (corrected, checked)
    }

    /// Settles, reviews, approves and issues `years` (and pays them when `pay`).
    static func issue(
        _ years: [Int], of input: ContractInput, in register: Register, keys: TestKeys, pay: Bool = true
    ) async throws {
        for year in years {
            try await recordYear(register, input, year: year, keys: keys)
            try await signOffAndIssue(year, of: input, in: register, keys: keys, pay: pay)
        }
    }

    /// Review, approval, issue and (when `pay`) every payment of the year's current run.
    static func signOffAndIssue(
        _ year: Int, of input: ContractInput, in register: Register, keys: TestKeys, pay: Bool = true
    ) async throws {
        try await register.review(input, year: year, signer: keys.evaluator)
        try await register.approve(input, year: year, signer: keys.finance)
        _ = try await register.issue(input, year: year, signer: keys.finance)
        guard pay, let record = try await register.record(of: input.contract.id, year: year) else { return }
        for due in record.dues {
            try await register.recordPayment(
                input, year: year, payer: due.payer, payee: due.payee, amount: due.amount.description, date: "2025-06-30",
                reference: "TR-\(year)", signer: keys.finance)
        }
    }

    /// The worked correction on the shipped Maebashi contract: FY2024's actual for item C
    /// is restated from 2,200 to 2,250 after the year was issued and paid. The improvement
    /// falls from 300 to 250, the attributable part from 90 to 75, the provider's reward from
    /// 18 to 15: the provider owes the city 3 (refund, the default policy).
    @Test(arguments: Backend.available)
    func theMaebashiYearCorrectedAfterPayment(_ backend: Backend) async throws {
        let (register, keys) = try await registerWithKeys(backend)
        defer { Task { await register.close() } }
        let issued = try contractInput("maebashi-profit-share.xml")
        try await Self.issue([2024], of: issued, in: register, keys: keys)
        let (corrected, checked) = try Self.restatingItemC(issued)
        #expect(
            await refusal {
                _ = try await register.recordAdjustments(
                    corrected, history: try PFS.settleTerm(checked, fileName: issued.fileName).get(), from: 2024,
                    reason: nil, signer: keys.finance)
            } == "an issued year changes, and no reason for the correction is recorded for this contract version")
        let adjustments = try await register.recordAdjustments(
            corrected, history: try PFS.settleTerm(checked, fileName: issued.fileName).get(), from: 2024,
            reason: "audit 2025-09: R6 cost of item C restated", signer: keys.finance)
        let adjustment = try #require(adjustments.first)
        #expect(adjustments.count == 1)
        #expect(adjustment.number == 1)
        #expect(
            adjustment.lines.map {
                "\($0.payer.id)→\($0.payee.id) \($0.clause) \($0.issued) \($0.restated) \($0.difference)"
            }
                == ["maebashi→provider smart-city 18 15 -3"])
        let record = try #require(try await register.record(of: "maebashi-profit-share", year: 2024))
        #expect(record.adjustment == 1)
        #expect(record.state == .settled)
        #expect(record.dues == [Due(payer: "provider", payee: "maebashi", amount: ExactDecimal(3))])
        // The original stays issued and paid; the adjustment goes the same way.
        try await Self.signOffAndIssue(2024, of: corrected, in: register, keys: keys)
        let status = try await register.status()
        #expect(status.years.first?.state == .paid)
        #expect(
            status.byPayer.map { "\($0.payer) \($0.issued) \($0.paid) \($0.outstanding)" } == [
                "maebashi 18 18 0", "provider 3 3 0",
            ])
        #expect(try await register.verify().findings.isEmpty)
        // The history: every figure's versions, every settlement and step, with who and why.
        let history = try await register.history(contract: "maebashi-profit-share", year: 2024)
        let lines = history.map { entry in
            ([entry.what, entry.who ?? "", entry.why ?? ""] + entry.details).joined(separator: " | ")
        }
        #expect(
            lines.prefix(3) == [
                "party maebashi (public-sector) bound to organisation test-city | the register's authority | ",
                "party provider (provider) bound to organisation org-provider | the register's authority | ",
                "party evaluator (evaluator) bound to organisation test-evaluation-firm | the register's authority | ",
            ])
        #expect(lines[3].hasPrefix("FY2024 settled (run 1) from contract "))
        #expect(
            lines.contains(
                "FY2024 adjustment 1 settled (run 2), correcting run 1 | maebashi (public-sector), member finance-officer of test-city, key \(keys.finance.keyID.prefix(16)) | audit 2025-09: R6 cost of item C restated | KPI item-c FY2024 actual: 2200 (前橋市公表資料 (R6実績)) → 2250 (前橋市公表資料 (R6実績)) | maebashi → provider smart-city: issued 18, restated 15, difference -3"
            ))
        #expect(history.filter { $0.what == "FY2024 issued" }.count == 2)
    }

    /// A correction of the first year of a carry-forward contract reaches three later issued
    /// years: each gets its own adjustment, from the same fold, in one run.
    @Test(arguments: Backend.available)
    func aCorrectionInAnEarlyYearAdjustsThreeLaterYears(_ backend: Backend) async throws {
        let (register, keys) = try await registerWithKeys(backend)
        defer { Task { await register.close() } }
        // FY2020 costs 1300: a shortfall of 300 carried into three years of +100 each.
        let original = try Self.input(Self.contract(actuals: [2020: 1300, 2021: 900, 2022: 900, 2023: 900, 2024: 900]))
        try await Self.issue(Array(2020...2024), of: original, in: register, keys: keys)
        let corrected = try Self.input(
            Self.contract(actuals: [2020: 1000, 2021: 900, 2022: 900, 2023: 900, 2024: 900]))
        let adjustments = try await register.recordAdjustments(
            corrected, history: try Self.history(corrected), from: 2020, reason: "FY2020 cost restated", signer: keys.finance)
        #expect(adjustments.map(\.year) == [2021, 2022, 2023])
        #expect(adjustments.allSatisfy { $0.lines.map(\.difference) == [ExactDecimal(20)] })
        for year in 2021...2023 {
            let record = try #require(try await register.record(of: "corrected", year: year))
            #expect(record.dues == [Due(payer: "city", payee: "provider", amount: ExactDecimal(20))])
        }
        // A year whose amounts do not change gets none, and a year with an open adjustment
        // is not corrected again before it is issued.
        #expect(try await register.record(of: "corrected", year: 2024)?.adjustment == nil)
        #expect(
            await refusal {
                _ = try await register.recordAdjustments(
                    corrected, history: try Self.history(corrected), from: 2020, reason: "again", signer: keys.finance)
            }?.hasPrefix("adjustment 1 of contract 'corrected' FY") == true)
    }

    /// A year settled over (declared not measured) whose data arrives after the later years
    /// were issued: settling it restates the later years that depend on it, in one run.
    @Test(arguments: Backend.available)
    func aYearsLateDataRestatesTheIssuedYearsAfterIt(_ backend: Backend) async throws {
        let (register, keys) = try await registerWithKeys(backend)
        defer { Task { await register.close() } }
        var text = Self.contract(actuals: [2020: 900, 2022: 900, 2023: 900], last: 2023)
        text = text.replacingOccurrences(
            of: #"<expected year="2021" value="1000"/>"#,
            with: #"<not-measured year="2021" reason="survey delayed"/>"#)
        let original = try Self.input(text)
        try await Self.issue([2020, 2022, 2023], of: original, in: register, keys: keys)
        // FY2021's cost arrives: 1200, a shortfall of 200 carried into FY2022 and FY2023.
        let arrived = try Self.input(Self.contract(actuals: [2020: 900, 2021: 1200, 2022: 900, 2023: 900], last: 2023))
        let history = try Self.history(arrived)
        let settlement = try #require(history.first { $0.fiscalYear.year == 2021 })
        let (_, adjustments) = try await register.recordSettlement(
            arrived, settlement: settlement, settlementJSON: JSONStatement.bytes(settlement), statements: [],
            signer: keys.finance, restating: history)
        #expect(adjustments.map(\.year) == [2022, 2023])
        #expect(
            adjustments.map { $0.lines.map { "\($0.issued) \($0.restated) \($0.difference)" } } == [
                ["20 0 -20"], ["20 0 -20"],
            ])
        let record = try #require(try await register.record(of: "corrected", year: 2022))
        #expect(record.adjustment == 1)
        #expect(record.events.last?.comment?.hasPrefix("FY2021 settled from this contract version") == true)
    }

    /// Money paid too much: refunded by the payee, or deducted from the next payment.
    @Test(arguments: Backend.available)
    func paidTooMuchIsRefundedOrDeductedFromTheNextPayment(_ backend: Backend) async throws {
        for policy in ["refund", "adjust-next-payment"] {
            let (register, keys) = try await registerWithKeys(backend)
            defer { Task { await register.close() } }
            let original = try Self.input(
                Self.contract(actuals: [2020: 900, 2021: 900, 2022: 900], last: 2022, policy: policy))
            try await Self.issue([2020, 2021], of: original, in: register, keys: keys)
            // FY2020 restated: 950, so the provider's 20 falls to 10.
            let corrected = try Self.input(
                Self.contract(actuals: [2020: 950, 2021: 900, 2022: 900], last: 2022, policy: policy))
            let adjustments = try await register.recordAdjustments(
                corrected, history: try Self.history(corrected), from: 2020, reason: "restated", signer: keys.finance)
            #expect(adjustments.map(\.year) == [2020])
            let record = try #require(try await register.record(of: "corrected", year: 2020))
            try await Self.signOffAndIssue(2020, of: corrected, in: register, keys: keys)
            try await recordYear(register, corrected, year: 2022, keys: keys)
            let next = try #require(try await register.record(of: "corrected", year: 2022))
            if policy == "refund" {
                #expect(record.dues == [Due(payer: "provider", payee: "city", amount: ExactDecimal(10))])
                #expect(next.dues == [Due(payer: "city", payee: "provider", amount: ExactDecimal(20))])
            } else {
                #expect(record.dues.isEmpty)
                #expect(next.dues == [Due(payer: "city", payee: "provider", amount: ExactDecimal(10))])
            }
            #expect(try await register.verify().findings.isEmpty)
        }
    }

    /// For any sequence of revisions, what was issued plus every adjustment equals a fresh
    /// settlement of the final version, per payer, payee, clause and year, to the unit.
    @Test(arguments: Backend.available)
    func issuedPlusAdjustmentsEqualsAFreshSettlementOfTheFinalVersion(_ backend: Backend) async throws {
        var generator = SeededGenerator(seed: backend == .sqlite ? 42 : 7)
        for round in 0..<(backend == .sqlite ? 8 : 3) {
            let (register, keys) = try await registerWithKeys(backend)
            defer { Task { await register.close() } }
            let policy = round % 2 == 0 ? "refund" : "adjust-next-payment"
            let negative = ["floor", "carry-forward", "claw-back"][round % 3]
            var actuals = Dictionary(
                uniqueKeysWithValues: (2020...2024).map { ($0, Int.random(in: 700...1300, using: &generator)) })
            var current = try Self.input(Self.contract(actuals: actuals, negative: negative, policy: policy))
            try await Self.issue(Array(2020...2024), of: current, in: register, keys: keys, pay: false)
            for revision in 0..<Int.random(in: 1...4, using: &generator) {
                let year = Int.random(in: 2020...2024, using: &generator)
                actuals[year] = Int.random(in: 700...1300, using: &generator)
                let next = try Self.input(Self.contract(actuals: actuals, negative: negative, policy: policy))
                let adjustments: [RecordedAdjustment]
                do {
                    adjustments = try await register.recordAdjustments(
                        next, history: try Self.history(next), from: 2020, reason: "revision \(revision)", signer: keys.finance)
                } catch RegisterError.refused(let message, _) where message.contains("changes no amount") {
                    adjustments = []
                }
                for adjustment in adjustments {
                    try await Self.signOffAndIssue(adjustment.year, of: next, in: register, keys: keys, pay: false)
                }
                current = next
            }
            // Booked = the original lines + every issued adjustment's differences.
            let fresh = try Self.history(current)
            for settlement in fresh {
                let year = settlement.fiscalYear.year
                let record = try #require(try await register.record(of: "corrected", year: year))
                let booked = try register.bookedAmounts(record)
                var expected: [String: ExactDecimal] = [:]
                for line in try DueLine.lines(of: settlement) {
                    expected[line.key] = try (expected[line.key] ?? .zero).adding(line.amount)
                }
                #expect(
                    booked.filter { $0.value != .zero } == expected.filter { $0.value != .zero },
                    "round \(round) FY\(year) (\(negative), \(policy))")
            }
            #expect(try await register.verify().findings.isEmpty)
        }
    }
}

/// A small deterministic generator (SplitMix64), so a failing sequence can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
