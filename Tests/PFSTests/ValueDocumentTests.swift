import Foundation
import PFS
import PFSLedger
import PFSModel
import PFSOutput
import PFSRegister
import PFSStatements
import PFSTestSupport
import PFSValue
import Testing

/// `pfs value`: what a contract is worth to the public sector and to its investors (issue 26).
@Suite struct ValueDocument {
    /// The settled years of a shipped contract (or of a contract file) and its assessment.
    static func assessed(
        _ path: String, command: ValueDeclaration? = nil, paid: [Int: ExactDecimal]? = nil
    ) throws -> (Contract, [Settlement], ValueAssessment) {
        let checked = PFS.check(path: path, canonical: true)
        let contract = try #require(checked.contract)
        let history = try PFS.settleTerm(checked, fileName: PFS.lastPathComponent(path)).get()
        let assessment = try ValueForMoney.assess(contract, history: history, command: command, paid: paid).get()
        return (contract, history, assessment)
    }

    static func shipped(_ name: String) -> String { Repository.contracts + "/" + name }

    /// Maebashi's item C: 90 attributable, 18 paid to the provider, 72 kept, in FY2024 — the
    /// fifth year of a term from FY2020, discounted five years at Japan's 4% (no schedule named).
    @Test func maebashisWorkedExampleDiscountedAtJapansFourPercent() throws {
        let (_, _, a) = try Self.assessed(Self.shipped("maebashi-profit-share.xml"))
        #expect(a.scheduleSource == .standard)
        #expect(a.benefitSource == .attributable)
        let year = try #require(a.years.first)
        #expect(a.years.count == 1)
        #expect(year.year == 2024 && year.period == 5 && year.paymentPeriod == 5)
        #expect(year.benefit == d("90"))
        #expect(year.payments == d("18"))
        #expect(year.net == d("72"))
        let factor = try #require(Rational(d("1.04")).power(-5))
        #expect(year.factor == factor)
        #expect(a.netPresentValue.exact == Rational(72) * factor)
        // 72 ÷ 1.04⁵ = 59.1787…
        #expect(a.netPresentValue.value == d("59"))
        #expect(!a.netPresentValue.isExact)
        // Benefit and payments are discounted alike: the ratio is 90 ÷ 18 exactly.
        #expect(a.benefitCostRatio?.exact == Rational(5))
        #expect(a.benefitCostRatio?.isExact == true)
        let itemC = try #require(a.outcomeCosts.first { $0.kpi == "item-c" })
        #expect(itemC.basis == .improvement)
        #expect(itemC.achieved == d("300"))
        #expect(itemC.payments == d("18"))
        #expect(itemC.costPerOutcome?.value == d("0.06"))
    }

    /// Each built-in schedule, and a constant rate, named on the command line: the net
    /// present value is 72 discounted five years at its rate.
    @Test(arguments: [
        (ValueDeclaration.Discount.japan, nil as String?, "1.04"),
        (.greenBook, nil, "1.035"),
        (.constant, "0.05", "1.05"),
    ])
    func everyBuiltInScheduleDiscountsTheNet(_ discount: ValueDeclaration.Discount, rate: String?, growth: String) throws {
        let command = ValueDeclaration(discount: discount, rate: rate.map(d), location: .file("--discount"))
        let (_, _, a) = try Self.assessed(Self.shipped("maebashi-profit-share.xml"), command: command)
        #expect(a.scheduleSource == .command)
        let factor = try #require(Rational(d(growth)).power(-5))
        #expect(a.netPresentValue.exact == Rational(72) * factor)
        #expect(a.presentPayments.exact == Rational(18) * factor)
    }

    /// The classes of example-investor-classes: the protected class P gets 1.23 times its
    /// principal back (6,150,000 on 5,000,000) at ≈6.09% a year; E ≈1.38 (1.3849755) at ≈6.73%; each
    /// holder earns its class's rate.
    @Test func theSIBExampleShowsEachClasssRateOfReturnAndMultiple() throws {
        let (_, _, a) = try Self.assessed(Self.shipped("example-investor-classes.xml"))
        func investment(_ id: String) throws -> ValueAssessment.Investment {
            try #require(a.investments.first { $0.id == id })
        }
        let p = try investment("class-p")
        #expect(p.kind == .capitalClass)
        #expect(p.multiple?.exact == Rational(d("1.23")))
        #expect(p.shownRate?.value == d("0.0609"))
        #expect(p.principalLost == .zero)
        let e = try investment("class-e")
        #expect(e.multiple?.value == d("1.38"))
        #expect(e.multiple?.exact == Rational(d("1.3849755")))
        #expect(e.shownRate?.value == d("0.0673"))
        #expect(try investment("super-fund").shownRate?.value == d("0.0609"))
        #expect(try investment("foundation").shownRate?.value == d("0.0673"))
        #expect(try investment("foundation").kind == .holder)
    }

    /// Below class E's loss floor in the last year (performance 1%, floor 5%, all lost at
    /// 0%), it loses 80% of its principal: 1,600,000 of 2,000,000, and its rate is negative.
    @Test func aClassBelowItsFloorLosesPrincipal() throws {
        let source = try String(contentsOfFile: Self.shipped("example-investor-classes.xml"), encoding: .utf8)
        let changed = source.replacingOccurrences(
            of: #"<actual year="2017" value="344""#, with: #"<actual year="2017" value="396""#)
        #expect(changed != source)
        let path = try TemporaryFolder.make().appendingPathComponent("loss.xml").path
        try changed.write(toFile: path, atomically: true, encoding: .utf8)
        let (_, history, a) = try Self.assessed(path)
        let e = try #require(a.investments.first { $0.id == "class-e" })
        #expect(e.principalLost == d("1600000"))
        #expect(e.principalRepaid == d("400000"))
        #expect(e.shownRate?.value == d("-0.148"))
        #expect(e.multiple?.value == d("0.45"))
        let foundation = try #require(a.investments.first { $0.id == "foundation" })
        #expect(foundation.principalLost == d("1600000"))
        let document = try #require(ValueStatement.document(a, history: history))
        let text = Statement.render(document, as: .text, language: .en)
        #expect(text.contains("Class E (principal at risk) lost 1,600,000.00 of its principal."))
        #expect(
            Statement.render(document, as: .text, language: .ja).contains(
                "Eクラス（元本リスクあり）は元本のうち1,600,000.00を毀損しました。"))
    }

    /// Over every shipped contract: the rate of return found makes each investment's present
    /// value change sign within one unit of its last place; its flows add up to what it
    /// received less its principal; the years' present values add up to the totals.
    @Test func everyShippedContractsFiguresHoldTogether() throws {
        var investments = 0
        for path in Portfolio.contractFiles([Repository.contracts]).files {
            let (_, history, a) = try Self.assessed(path)
            #expect(a.years.map(\.year) == history.map(\.fiscalYear.year))
            let net = a.years.reduce(Rational.zero) { $0 + $1.presentNet.exact }
            #expect(net == a.netPresentValue.exact, "\(path)")
            #expect(a.totalNet == (try a.totalBenefit.subtracting(a.totalPayments)))
            for investment in a.investments {
                investments += 1
                #expect(investment.flows.total == Rational(investment.received) - Rational(investment.principal))
                guard let rate = investment.shownRate?.exact else {
                    Issue.record("\(path) \(investment.id): no rate of return")
                    continue
                }
                let step = try #require(Rational(1, 10_000))
                let below = try #require(investment.flows.presentValue(atRate: rate - step))
                let above = try #require(investment.flows.presentValue(atRate: rate + step))
                #expect(below.signum * above.signum < 0, "\(path) \(investment.id)")
            }
        }
        #expect(investments >= 7)
    }

    /// A contract's own schedule: declared, declining, with its rate digits.
    @Test func aContractDeclaresItsSchedule() throws {
        let source = try String(contentsOfFile: Self.shipped("maebashi-profit-share.xml"), encoding: .utf8)
        let declaration = """
              <value-for-money discount="declared" declining="true" terms="nominal" rate-digits="6">
                <rate from-year="1" value="0.05"/>
                <rate from-year="4" value="0.03"/>
              </value-for-money>
              <parties>
            """
        let changed = source.replacingOccurrences(of: "  <parties>", with: declaration)
        #expect(changed != source)
        let path = try TemporaryFolder.make().appendingPathComponent("declared.xml").path
        try changed.write(toFile: path, atomically: true, encoding: .utf8)
        let (_, _, a) = try Self.assessed(path)
        #expect(a.scheduleSource == .contract)
        #expect(a.schedule.terms == .nominal)
        #expect(a.rateDigits == 6)
        // Three years at 5%, then two at 3%.
        let factor = try #require(Rational(d("1.05")).power(-3)) * (try #require(Rational(d("1.03")).power(-2)))
        #expect(a.years.first?.factor == factor)
    }

    /// With a register, the years paid are told from those due: Hachioji's first year issued
    /// and paid, the others settled and due.
    @Test(arguments: Backend.available)
    func aRegisterTellsPaymentsMadeFromDue(_ backend: Backend) async throws {
        let (register, keys) = try await registerWithKeys(backend)
        defer { Task { await register.close() } }
        let input = try contractInput("hachioji-colorectal-screening-sib.xml")
        let years = PFS.settleableYears(input.contract)
        let first = try #require(years.first)
        for year in years { try await recordYear(register, input, year: year, keys: keys) }
        try await register.review(input, year: first, signer: keys.evaluator, comment: "checked")
        try await register.approve(input, year: first, signer: keys.finance)
        _ = try await register.issue(input, year: first, signer: keys.finance)
        let dues = try #require(try await register.status(contract: input.contract.id).years.first { $0.year == first }).dues
        for due in dues {
            try await register.recordPayment(
                input, year: first, payer: due.payer, payee: due.payee, amount: due.amount.description,
                date: "2019-06-28", reference: "TR-1", signer: keys.finance)
        }
        let paid = try await register.paidByYear(contract: input.contract.id)
        let (_, _, a) = try Self.assessed(Self.shipped("hachioji-colorectal-screening-sib.xml"), paid: paid)
        #expect(a.years.first?.state == .paid)
        // FY2018 is due; FY2019's outcomes earned nothing.
        #expect(a.years.map(\.state) == [.paid, .due, .nothingDue])
        #expect(a.years.last?.payments == .zero)
        let firstPayments = try #require(a.years.first?.payments)
        #expect(a.totalPaid == firstPayments)
        #expect(a.totalDue == (try a.totalPayments.subtracting(firstPayments)))
    }
}

/// `pfs value` on the command line.
@Suite struct ValueCommandLine {
    static let maebashi = "Contracts/maebashi-profit-share.xml"

    @Test func printsTheDocumentAndItsJSON() throws {
        let run = try CommandRun.pfs(["value", Self.maebashi, "--lang", "en"])
        #expect(run.status == 0)
        #expect(run.standardOutput.hasPrefix("Value for money — to FY2024 (令和6年度)"))
        #expect(run.standardOutput.contains("Net present value to the public sector         ≈59"))
        let json = try CommandRun.pfs(["value", Self.maebashi, "--discount", "constant", "--rate", "0.05", "--format", "json"])
        #expect(json.status == 0)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        #expect(object["format"] as? String == "pfs-value/1")
        #expect(json.standardOutput.contains(#""rate" : "0.05""#))
    }

    @Test func explainsEachFigureDownToTheSettlementSteps() throws {
        let run = try CommandRun.pfs(["value", Self.maebashi, "--explain", "--lang", "en"])
        #expect(run.status == 0)
        let lines = run.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.count == 9)
        #expect(lines[1] == "Net present value to the public sector = ≈59 = ≈74 − ≈15")
        // 90 attributable in the fifth year from the start of FY2020, discounted at 4%: 90 ÷ 1.04^5 = 73.97…
        #expect(lines[3] == "│  └─ FY2024 (令和6年度): 90 × ≈0.821927 [1 ÷ (1 + 0.04)^5] = ≈74")
        #expect(lines[4] == "│        ← settlement steps S3 (pfs explain --year 2024)")
        #expect(lines[7] == "│        ← maebashi → provider smart-city: 18")
        #expect(lines[8] == "└─ Benefit-cost ratio = ≈74 ÷ ≈15 = 5")
    }

    @Test func explainsEachInvestorsFlows() throws {
        let run = try CommandRun.pfs(["value", "Contracts/example-investor-classes.xml", "--explain", "--lang", "en"])
        #expect(run.status == 0)
        #expect(
            run.standardOutput.contains(
                """
                Class E (principal at risk): internal rate of return ≈6.73%, multiple ≈1.38 = 2,769,951.00 ÷ 2,000,000.00
                ├─ year 0 (principal): -2,000,000.00
                ├─ year 1 (2013–14): 0.00
                """))
        #expect(run.standardOutput.contains("└─ year 5 (2017–18): 2,769,951.00\n"))
    }

    @Test func writesEveryFormatUnderOutput() throws {
        let folder = try TemporaryFolder.make().path
        let run = try CommandRun.pfs(["value", Self.maebashi, "--format", "all", "--lang", "ja", "--output", folder])
        #expect(run.status == 0)
        let written = try FileManager.default.contentsOfDirectory(atPath: folder + "/maebashi-profit-share").sorted()
        #expect(
            written == [
                "value-FY2024.ja.csv", "value-FY2024.ja.html", "value-FY2024.ja.md", "value-FY2024.ja.txt",
                "value-FY2024.ja.xlsx", "value-FY2024.json",
            ])
    }

    @Test(arguments: [
        (["--rate", "0.03"], "--rate, --terms and --rate-digits go with --discount"),
        (["--discount", "constant"], "--discount constant needs --rate (0.035 for 3.5%)"),
        (["--discount", "japan", "--rate", "0.03"], "--rate goes with --discount constant, not japan"),
        (["--discount", "constant", "--rate=-0.01"], "--discount: the discount rate -0.01 from year 1 is negative"),
        (["--discount", "constant", "--rate", "3%"], "--rate '3%' is not a decimal (0.035 for 3.5%)"),
        (["--discount", "declared"], "a declared schedule is declared in the contract"),
        (["--discount", "japan", "--rate-digits", "13"], "--rate-digits must be 1 to 12"),
        (["--format", "xlsx"], "XLSX documents are written to files: add --output DIR"),
        (["--document", "audit"], "pfs value writes the value-for-money document: --document and --party do not apply"),
        (["--explain", "--format", "json"], "--explain prints the tree: --output and --format do not apply"),
    ])
    func refusesWhatItCannotDo(_ arguments: [String], message: String) throws {
        let run = try CommandRun.pfs(["value", Self.maebashi] + arguments)
        #expect(run.status == 64, "\(arguments)")
        #expect(run.standardError.contains(message), "\(run.standardError)")
        #expect(run.standardOutput.isEmpty)
    }
}

/// `pfs verify` on a value-for-money document: made again from the contract and the basis it
/// records (schedule, precision, register), every figure compared.
@Suite struct ValueVerification {
    static let classes = "Contracts/example-investor-classes.xml"

    static func verify(_ arguments: [String]) throws -> CommandRun { try CommandRun.pfs(["verify"] + arguments) }

    /// A document written to a temporary file: `pfs value` with these arguments, or a shipped
    /// one edited by `edit`.
    static func document(_ text: String) throws -> String {
        let file = try TemporaryFolder.make().appendingPathComponent("value.json").path
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test func everyShippedValueDocumentVerifies() throws {
        let files = try Portfolio.contractFiles([Repository.contracts]).files
        #expect(files.count == 20)
        for contract in files {
            let id = ((contract as NSString).lastPathComponent as NSString).deletingPathExtension
            let folder = Repository.root.path + "/Reports/" + id
            let documents = try FileManager.default.contentsOfDirectory(atPath: folder).filter {
                $0.hasPrefix("value-") && $0.hasSuffix(".json")
            }
            #expect(documents.count == 1, "\(id)")
            for document in documents {
                let run = try Self.verify([folder + "/" + document, "--contract", contract])
                #expect(run.status == 0, "\(id): \(run.standardOutput)\(run.standardError)")
                #expect(run.standardOutput.hasSuffix("\nverified\n"), "\(id)")
            }
        }
    }

    @Test func anAlteredFigureIsFoundByItsPath() throws {
        let shipped = try String(
            contentsOfFile: Repository.root.path + "/Reports/example-investor-classes/value-FY2017.json", encoding: .utf8)
        let altered = shipped.replacingOccurrences(
            of: #""netPresentValue" : "-7675005.36""#, with: #""netPresentValue" : "1.00""#)
        #expect(altered != shipped)
        let run = try Self.verify([try Self.document(altered), "--contract", Self.classes])
        #expect(run.status == 1)
        #expect(
            run.standardOutput.contains(
                """
                  1 difference (statement → recomputed):
                    sections[publicValue].facts.netPresentValue: "1.00" → "-7675005.36"
                NOT verified
                """))
    }

    /// A schedule named on the command line is named again from the basis; a basis edited to
    /// another precision no longer gives the document's figures.
    @Test func aCommandsScheduleIsNamedAgainFromTheBasis() throws {
        let made = try CommandRun.pfs(["value", Self.classes, "--discount", "constant", "--rate", "0.05", "--format", "json"])
        #expect(made.status == 0)
        #expect(made.standardOutput.contains(#""scheduleSource" : "command""#))
        let verified = try Self.verify([try Self.document(made.standardOutput), "--contract", Self.classes])
        #expect(verified.status == 0, "\(verified.standardOutput)")
        #expect(verified.standardOutput.hasSuffix("\nverified\n"))
        let edited = made.standardOutput.replacingOccurrences(of: #""rateDigits" : 4"#, with: #""rateDigits" : 6"#)
        let run = try Self.verify([try Self.document(edited), "--contract", Self.classes])
        #expect(run.status == 1)
        // Class P's rate found to six places, where the document shows four.
        #expect(run.standardOutput.contains("  5 differences (statement → recomputed):\n"))
        #expect(
            run.standardOutput.contains(
                #"    sections[investors].tables[investments].rows[0].rateOfReturn: "0.0609" → "0.060888""#))
        #expect(run.standardOutput.hasSuffix("\nNOT verified\n"))
        // A rate no schedule may have is said as such, not compared.
        let negative = made.standardOutput.replacingOccurrences(
            of: #""fromYear" : 1,\#n        "rate" : "0.05""#, with: #""fromYear" : 1,\#n        "rate" : "-0.05""#)
        #expect(negative != made.standardOutput)
        let file = try Self.document(negative)
        let refused = try Self.verify([file, "--contract", Self.classes])
        #expect(refused.status == 1)
        #expect(
            refused.standardError.contains(
                file + ": error: [statement-format] the discount schedule the document records cannot be used: "
                    + "the discount rate -0.05 from year 1 is negative\n  hint: verify the .json document `pfs value` wrote"),
            "\(refused.standardError)")
    }

    @Test func aDocumentWithoutItsBasisOrWithTheWrongOptionsIsRefused() throws {
        let shipped = try String(
            contentsOfFile: Repository.root.path + "/Reports/maebashi-profit-share/value-FY2024.json", encoding: .utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(shipped.utf8)) as? [String: Any])
        let withoutBasis = try Self.document(
            String(decoding: try JSONSerialization.data(withJSONObject: object.filter { $0.key != "basis" }), as: UTF8.self))
        let contract = "Contracts/maebashi-profit-share.xml"
        let noBasis = try Self.verify([withoutBasis, "--contract", contract])
        #expect(noBasis.status == 1)
        #expect(
            noBasis.standardError.contains(
                withoutBasis + ": error: [statement-format] the value-for-money document records no basis "
                    + "(its schedule, precision and year) pfs can read"))
        let file = try Self.document(shipped)
        let register = try TemporaryFolder.make().appendingPathComponent("register.sqlite").path
        #expect(try CommandRun.pfs(["register", "init", "--authority-key", "authority.key", "--register", register],
            in: (register as NSString).deletingLastPathComponent).status == 0)
        let withRegister = try Self.verify([file, "--contract", contract, "--register", register])
        #expect(withRegister.status == 1)
        #expect(
            withRegister.standardError.contains(
                file + ": error: [statement-register] the document was made without a register (its payments are the "
                    + "settled amounts); --register does not apply"))
        let noContract = try Self.verify([file, "--register", register])
        #expect(noContract.status == 64)
        #expect(
            noContract.standardError.contains(
                "pfs: a value-for-money document is verified by making it again: give --contract CONTRACT.xml"))
    }

    /// A document that counted what a register records paid is made again with that register.
    @Test(arguments: Backend.available)
    func aDocumentMadeWithARegisterIsVerifiedWithIt(_ backend: Backend) async throws {
        let location = try await backend.freshLocation()
        let (register, keys) = try await registerWithKeys(at: location)
        let input = try contractInput("hachioji-colorectal-screening-sib.xml")
        let first = try #require(PFS.settleableYears(input.contract).first)
        try await recordYear(register, input, year: first, keys: keys)
        try await register.review(input, year: first, signer: keys.evaluator, comment: "checked")
        try await register.approve(input, year: first, signer: keys.finance)
        _ = try await register.issue(input, year: first, signer: keys.finance)
        for due in try #require(try await register.status(contract: input.contract.id).years.first { $0.year == first }).dues {
            try await register.recordPayment(
                input, year: first, payer: due.payer, payee: due.payee, amount: due.amount.description,
                date: "2019-06-28", reference: "TR-1", signer: keys.finance)
        }
        await register.close()
        let contract = "Contracts/hachioji-colorectal-screening-sib.xml"
        let argument = Backend.argument(location)
        let made = try CommandRun.pfs(["value", contract, "--register", argument, "--format", "json"])
        #expect(made.status == 0, "\(made.standardError)")
        #expect(made.standardOutput.contains(#""paidFromRegister" : true"#))
        let file = try Self.document(made.standardOutput)
        let without = try Self.verify([file, "--contract", contract])
        #expect(without.status == 1)
        #expect(
            without.standardError.contains(
                file + ": error: [statement-register] the document counts what a register records paid; it is made "
                    + "again only with that register"))
        let with = try Self.verify([file, "--contract", contract, "--register", argument])
        #expect(with.status == 0, "\(with.standardOutput)\(with.standardError)")
        #expect(with.standardOutput.hasSuffix("\nverified\n"))
    }
}
