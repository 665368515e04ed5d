import Foundation
import PFS
import PFSIndigo
import PFSLedger
import PFSModel
import PFSOutput
import PFSTestSupport
import PFSValue
import Testing

/// INDIGO 4.1.0 out and in (issue 26, parts 2 and 3).
@Suite struct IndigoExchange {
    /// The standard's JSON Schemas and CSV headers, which the project keeps no copy of:
    /// `PFS_INDIGO_REFERENCE` (`.ci/run` sets it), else the workplace's reference beside the project.
    static let reference: String = {
        if let given = ProcessInfo.processInfo.environment["PFS_INDIGO_REFERENCE"], !given.isEmpty { return given }
        return Repository.root.deletingLastPathComponent().appendingPathComponent("shared/reference/indigo-4.1.0").path
    }()

    static let referenceFound = FileManager.default.fileExists(atPath: reference + "/project.json")

    /// Whether the INDIGO tests run: where the reference is, and always under CI (which has it).
    static let runs = referenceFound || ProcessInfo.processInfo.environment["CI"] == "true"

    static var schemasAvailable: Bool {
        if !referenceFound, ProcessInfo.processInfo.environment["CI"] == "true" {
            Issue.record("CI must have the INDIGO 4.1.0 reference (PFS_INDIGO_REFERENCE or ../shared/reference/indigo-4.1.0)")
        }
        return referenceFound
    }

    /// Exports every shipped contract with `pfs export indigo --output DIR`.
    static func exportAll() throws -> String {
        let folder = try TemporaryFolder.make().path
        for path in Portfolio.contractFiles([Repository.contracts]).files {
            let run = try CommandRun.pfs(["export", "indigo", path, "--output", folder])
            #expect(run.status == 0, "\(path): \(run.standardError)")
        }
        return folder
    }

    /// Every shipped contract's project validates against project.json (draft 7) and each of
    /// its organisations against organisation.json, with python3-jsonschema as CI installs it.
    @Test func everyShippedContractsExportValidatesAgainstTheSchema() throws {
        guard Self.schemasAvailable else { return }
        let folder = try Self.exportAll()
        let script = """
            import glob, json, sys, jsonschema
            reference, folder = sys.argv[1], sys.argv[2]
            project = jsonschema.Draft7Validator(json.load(open(reference + "/project.json")))
            organisation = jsonschema.Draft7Validator(json.load(open(reference + "/organisation.json")))
            problems, projects, organisations = 0, 0, 0
            for path in sorted(glob.glob(folder + "/*/*.indigo.json")):
                projects += 1
                for error in project.iter_errors(json.load(open(path))):
                    problems += 1
                    print(path, list(error.absolute_path), error.message)
            for path in sorted(glob.glob(folder + "/*/*.indigo-organisations.json")):
                for key, record in json.load(open(path)).items():
                    organisations += 1
                    for error in organisation.iter_errors(record):
                        problems += 1
                        print(path, key, error.message)
            print(f"{projects} projects, {organisations} organisations, {problems} problems")
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script, Self.reference, folder]
        let out = Pipe()
        process.standardOutput = out
        let errors = try TemporaryFolder.make().appendingPathComponent("stderr.txt")
        try #require(FileManager.default.createFile(atPath: errors.path, contents: nil))
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let said = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        let contracts = Portfolio.contractFiles([Repository.contracts]).files.count
        let parties = try Portfolio.contractFiles([Repository.contracts]).files.reduce(0) {
            $0 + (try #require(PFS.check(path: $1).contract)).parties.count
        }
        #expect(text == "\(contracts) projects, \(parties) organisations, 0 problems\n", "\(said)")
    }

    /// Hachioji's export: its three settled years' payments (Planned: no register says they
    /// were paid), its metrics and results, amounts in yen (the contract writes thousands).
    @Test func anExportCarriesTheYearsAndTheirMoneyInCurrencyUnits() throws {
        let path = Repository.contracts + "/hachioji-colorectal-screening-sib.xml"
        let checked = PFS.check(path: path, canonical: true)
        let contract = try #require(checked.contract)
        let history = try PFS.settleTerm(checked, fileName: "hachioji-colorectal-screening-sib.xml").get()
        let bytes = try IndigoExport.project(contract, history: history, paid: nil, assessment: nil)
        let project = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let payments = try #require(project["outcome_payments"] as? [[String: Any]])
        let due = try history.flatMap { try DueLine.lines(of: $0) }.filter { $0.amount != .zero }
        #expect(payments.count == due.count)
        #expect(payments.allSatisfy { ($0["type"] as? [String: Any])?["value"] as? String == "Planned" })
        // 2,441 thousand yen is 2,441,000 yen: the number as written in the file.
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("\"value\" : 2441000\n"))
        #expect((project["stage_development"] as? [String: Any])?["value"] as? String == "Service delivery complete")
        let metrics = try #require(project["outcome_metrics"] as? [[String: Any]])
        #expect(metrics.map { $0["id"] as? String } == contract.kpis.map(\.id))
        let results = try #require(project["results"] as? [[String: Any]])
        #expect(results.count == history.map { $0.kpis.filter { $0.actual != nil }.count }.reduce(0, +))
    }

    /// Paid in the register: Actual, and the commitments' and the project's totals made.
    @Test func paymentsTheRegisterRecordsAreActual() throws {
        let path = Repository.contracts + "/maebashi-profit-share.xml"
        let checked = PFS.check(path: path, canonical: true)
        let contract = try #require(checked.contract)
        let history = try PFS.settleTerm(checked, fileName: "maebashi-profit-share.xml").get()
        let bytes = try IndigoExport.project(contract, history: history, paid: [2024: d("18")], assessment: nil)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#""value" : "Actual""#))
        #expect(!text.contains(#""value" : "Planned""#))
        // 18 thousand yen paid to the provider.
        #expect(text.contains(#""total_outcome_payments_made" : {"#))
        #expect(text.contains("\"value\" : 18000\n"))
    }

    /// Contract → INDIGO → skeleton keeps every KPI (id, names, unit), every party (id, role,
    /// names) and every price per unit (in the currency's units, the scale 1 now).
    @Test func aRoundTripKeepsEveryMetricPriceAndParty() throws {
        let folder = try Self.exportAll()
        let skeletons = try TemporaryFolder.make().path
        for path in Portfolio.contractFiles([Repository.contracts]).files {
            let original = try #require(PFS.check(path: path).contract)
            let id = original.id
            let output = skeletons + "/\(id).xml"
            let run = try CommandRun.pfs([
                "import", "indigo", "\(folder)/\(id)/\(id).indigo.json", "--organisations",
                "\(folder)/\(id)/\(id).indigo-organisations.json", "--output", output,
            ])
            #expect(run.status == 0, "\(id): \(run.standardError)")
            let checked = PFS.check(path: output)
            #expect(!checked.hasErrors, "\(id): \(checked.diagnostics.map(\.rendered))")
            let skeleton = try #require(checked.contract)
            #expect(skeleton.id == id)
            #expect(skeleton.kpis.map(\.id) == original.kpis.map(\.id), "\(id)")
            for kpi in original.kpis {
                let made = try #require(skeleton.kpi(kpi.id))
                #expect(made.unit == kpi.unit, "\(id) \(kpi.id)")
                #expect(made.name.en == (kpi.name.en ?? kpi.name.ja), "\(id) \(kpi.id)")
                #expect(made.name.ja == (kpi.name.en == nil ? kpi.name.ja : kpi.name.ja ?? kpi.name.en), "\(id) \(kpi.id)")
            }
            #expect(
                Set(skeleton.parties.map { "\($0.id) \($0.role.rawValue)" })
                    == Set(original.parties.filter { Self.appears($0, in: original) }.map { "\($0.id) \($0.role.rawValue)" }),
                "\(id)")
            for party in skeleton.parties {
                let before = try #require(original.party(party.id))
                #expect(party.name == before.name, "\(id) \(party.id)")
            }
            // Each price per unit the original pays is a per-unit payment of the skeleton.
            let scale = original.amounts.scale
            let prices = Set(original.payments.compactMap { payment -> String? in
                guard case .perUnit(let price, let baseline) = payment.rule, payment.conditions == nil,
                    baseline == nil || baseline == .zero, let kpi = payment.kpi,
                    let inCurrency = try? price.multiplied(by: scale).normalized()
                else { return nil }
                return "\(kpi) \(inCurrency)"
            })
            let made = Set(skeleton.payments.compactMap { payment -> String? in
                guard case .perUnit(let price, _) = payment.rule, let kpi = payment.kpi else { return nil }
                return "\(kpi) \(price.normalized())"
            })
            #expect(made == prices, "\(id)")
        }
    }

    /// A party INDIGO can place: a payer, provider, intermediary, investor, or an evaluator
    /// once results (settled years) name it as their validator.
    static func appears(_ party: Party, in contract: Contract) -> Bool {
        guard party.role == .evaluator else { return true }
        return !PFS.settleableYears(contract).isEmpty
    }

    /// The skeleton of example-investor-classes settles once its actual values are added, and
    /// pays what the original contract pays for the same outcomes achieved.
    @Test func aSkeletonWithItsActualsAddedSettles() throws {
        let folder = try Self.exportAll()
        let output = try TemporaryFolder.make().appendingPathComponent("classes.xml").path
        let id = "example-investor-classes"
        let run = try CommandRun.pfs([
            "import", "indigo", "\(folder)/\(id)/\(id).indigo.json", "--organisations",
            "\(folder)/\(id)/\(id).indigo-organisations.json", "--output", output,
        ])
        #expect(run.status == 0)
        #expect(
            run.standardError.contains(
                "warning: [data-missing] KPI 'entries' has no actual value in any year of the term: payments "
                    + "'entries-2013', 'entries-2014', 'entries-2015' and 2 more cannot be settled until its yearly "
                    + "values are added"))
        // 2013–14: 400 in the comparison group, 384 in the programme: 16 entries avoided;
        // 2014–15: 400 and 368, 32 avoided — paid 30,000 each, 960,000, as the original pays.
        let actuals = """
                  <actual year="2013" value="16" source="test"/>
                  <actual year="2014" value="32" source="test"/>
                  <!-- Missing:
            """
        let text = try String(contentsOfFile: output, encoding: .utf8).replacingOccurrences(
            of: "      <!-- Missing:", with: actuals)
        let checked = PFS.check(bytes: Array(text.utf8), file: "classes.xml")
        let settlement = try PFS.settleHistory(
            checked, provenance: PFS.provenance(of: checked, fileName: "classes.xml"), through: 2014
        ).get().last
        let original = try PFS.settle(path: Repository.contracts + "/\(id).xml", year: 2014).get()
        let paid = try #require(settlement?.payments?.first { $0.id == "entries-2014" }?.amount)
        #expect(paid == d("960000"))
        #expect(original.payments?.first { $0.id == "outcomes-2014" }?.amount == d("960000"))
    }
}
