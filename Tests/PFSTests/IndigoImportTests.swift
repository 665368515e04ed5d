import Foundation
import PFS
import PFSIndigo
import PFSModel
import PFSTestSupport
import Testing

/// `pfs import indigo` on the CSV export and on broken or hostile input: every problem is
/// said where it is, and nothing is written.
@Suite struct IndigoImport {
    /// The CSV tests write files under the published headers, read from the reference.
    static let csvHeaders = ConditionTrait.enabled(
        if: IndigoExchange.runs, "needs the INDIGO 4.1.0 reference's CSV headers (../shared/reference/indigo-4.1.0)")

    /// The spreadsheet export's header lines, as published (../shared/reference).
    static func header(_ file: String) throws -> [String] {
        let text = try String(contentsOfFile: IndigoExchange.reference + "/csv-export-headers/" + file, encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).first.map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        } ?? []
    }

    /// A CSV file under the published header, with these rows (by column name; the rest empty).
    static func write(_ file: String, rows: [[String: String]], in folder: String) throws {
        let columns = try header(file)
        func quoted(_ field: String) -> String {
            field.contains(where: { ",\"\n".contains($0) }) ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }
        var lines = [columns.map(quoted).joined(separator: ",")]
        for row in rows { lines.append(columns.map { quoted(row[$0] ?? "") }.joined(separator: ",")) }
        try (lines.joined(separator: "\r\n") + "\r\n").write(toFile: folder + "/" + file, atomically: true, encoding: .utf8)
    }

    /// A small export: two projects, one of them ours (a metric priced per unit, a payer, an
    /// investor through an intermediary, two organisations named).
    static func export(metricAmount: String = "1500", stage: String = "Implementation") throws -> String {
        let folder = try TemporaryFolder.make().path
        try write(
            "projects.csv",
            rows: [
                [
                    "ID": "INDIGO-POJ-0001", "Impact Bond Name - (Value)": "Youth employment, \"Step up\", phase 1",
                    "Stage of Development - (Value)": stage,
                    "Dates - Start date of service provision - (Value)": "2019-04-01",
                    "Dates - Anticipated end date of service provision - (Value)": "2022-03-31",
                ],
                ["ID": "INDIGO-POJ-0002", "Impact Bond Name - (Value)": "Another project"],
            ], in: folder)
        try write(
            "projects_outcome_metrics.csv",
            rows: [
                [
                    "Project ID": "INDIGO-POJ-0001", "Id": "outcomemetric1",
                    "Outcome Definition - (Value)": "Young people in work\nfor six months",
                    "Unit description of Service user or beneficiaries - (Value)": "persons",
                ],
                ["Project ID": "INDIGO-POJ-0002", "Id": "outcomemetric1", "Outcome Definition - (Value)": "Other"],
            ], in: folder)
        try write(
            "projects_outcome_pricings.csv",
            rows: [
                [
                    "Project ID": "INDIGO-POJ-0001", "Outcome Metric Id - (Value)": "outcomemetric1",
                    "Currency - (Value)": "GBP", "Price Per Unit - Amount - (Value)": metricAmount,
                    "Maximum Price if all targets achieved - Amount - (Value)": "600000",
                ]
            ], in: folder)
        try write(
            "projects_outcome_payment_commitments.csv",
            rows: [
                [
                    "Project ID": "INDIGO-POJ-0001", "Organisation ID - (Value)": "INDIGO-ORG-0001",
                    "Organisation Role Category - (Value)": "Government/Public Sector/Public Bank",
                    "Maximum potential Outcome payment - Currency - (Value)": "GBP",
                    "Maximum potential Outcome payment - Amount - (Value)": "600000",
                ]
            ], in: folder)
        try write(
            "projects_investments.csv",
            rows: [
                [
                    "Project ID": "INDIGO-POJ-0001", "Id": "investment1", "Organisation ID - (Value)": "INDIGO-ORG-0002",
                    "Organisation Role Category - (Value)": "Impact Investor",
                    "Investment Commitment - Currency - (Value)": "GBP",
                    "Investment Commitment - Amount - Exact - (Value)": "250000",
                ]
            ], in: folder)
        try write(
            "organisations.csv",
            rows: [
                ["ID": "INDIGO-ORG-0001", "Name": "Department for Work and Pensions"],
                ["ID": "INDIGO-ORG-0002", "Name": "Social Investment Fund"],
            ], in: folder)
        return folder
    }

    static func importing(_ arguments: [String]) throws -> (run: CommandRun, output: String) {
        let output = try TemporaryFolder.make().appendingPathComponent("contract.xml").path
        return (try CommandRun.pfs(["import", "indigo"] + arguments + ["--output", output]), output)
    }

    @Test(Self.csvHeaders) func theCSVExportGivesASkeletonThatChecks() throws {
        let folder = try Self.export()
        let (run, output) = try Self.importing(["--csv", folder, "--project", "INDIGO-POJ-0001"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput == "wrote \(output): 1 KPI, 2 parties, 3 payments\n")
        let checked = PFS.check(path: output)
        #expect(!checked.hasErrors)
        let contract = try #require(checked.contract)
        #expect(contract.id == "INDIGO-POJ-0001")
        #expect(contract.title.en == #"Youth employment, "Step up", phase 1"#)
        #expect(contract.term.first == 2019 && contract.term.last == 2021)
        #expect(contract.fiscalYearStartMonth == 4)
        #expect(contract.parties.map(\.id) == ["INDIGO-ORG-0001", "INDIGO-ORG-0002"])
        #expect(contract.parties.map(\.role) == [.publicSector, .investor])
        #expect(contract.parties[0].name.en == "Department for Work and Pensions")
        #expect(contract.kpis.map(\.name.en) == ["Young people in work for six months"])
        #expect(contract.payments.map(\.id) == ["outcomemetric1-2019", "outcomemetric1-2020", "outcomemetric1-2021"])
        #expect(contract.paymentLimits?.maximum == d("600000"))
        // No intermediary: the investment is said, no bond declared.
        #expect(contract.sib == nil)
        let text = try String(contentsOfFile: output, encoding: .utf8)
        #expect(text.contains("<per-unit price=\"1500\" baseline=\"0\"/>"))
        #expect(text.contains("INDIGO lists investments but no intermediary"))
        #expect(
            run.standardError.contains(
                "warning: [data-missing] KPI 'outcomemetric1' has no actual value in any year of the term"))
    }

    /// Broken input: each said at its file, row and column (or JSON path), and no file written.
    @Test(Self.csvHeaders, arguments: [
        ("amount", "'1,500.00' is not a number", "row 2, column 'Price Per Unit - Amount - (Value)'"),
        ("stage", "'Started' is not an INDIGO 4.1.0 code here", "row 2, column 'Stage of Development - (Value)'"),
        ("missing", "no project 'INDIGO-POJ-0009' in projects.csv", nil),
    ])
    func brokenCSVIsSaidAndNothingIsWritten(_ broken: String, message: String, element: String?) throws {
        let folder = try Self.export(
            metricAmount: broken == "amount" ? "1,500.00" : "1500", stage: broken == "stage" ? "Started" : "Implementation")
        let project = broken == "missing" ? "INDIGO-POJ-0009" : "INDIGO-POJ-0001"
        let (run, output) = try Self.importing(["--csv", folder, "--project", project])
        #expect(run.status == 1)
        #expect(run.standardError.contains("error: [indigo-input] " + message), "\(run.standardError)")
        if let element { #expect(run.standardError.contains("element: " + element)) }
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    /// Hostile or broken JSON: wrong types, unknown codes, a metric nobody declared, an id a
    /// contract cannot hold, a repeated key, a huge file, nesting too deep.
    @Test(arguments: [
        (#"{"name": {"value": 3}}"#, "is a number, where INDIGO has a string", "/name/value"),
        (
            #"{"stage_development": {"value": "Started"}}"#, "'Started' is not an INDIGO 4.1.0 code here",
            "/stage_development/value"
        ),
        (
            #"{"outcome_pricings": [{"outcome_metric_id": {"value": "m9"}}]}"#,
            "names outcome metric 'm9', which the project does not declare", "/outcome_pricings/0"
        ),
        (#"{"outcome_metrics": [{"definition": {"value": "x"}}]}"#, "an outcome metric has no id", "/outcome_metrics/0"),
        (
            #"{"outcome_metrics": [{"id": "1 bad"}]}"#, "the id '1 bad' is not one a contract can hold",
            "/outcome_metrics/0"
        ),
        (
            #"{"outcome_pricings": [{"price_per_unit": {"amount": {"value": "1500"}}}]}"#,
            "is a string, where INDIGO has a number", "/outcome_pricings/0/price_per_unit/amount/value"
        ),
        (
            #"{"outcome_pricings": [{"price_per_unit": {"amount": {"value": 1e400}}}]}"#,
            "'1e400' is a number pfs cannot hold exactly", "/outcome_pricings/0/price_per_unit/amount/value"
        ),
        (
            #"{"dates": {"start_date_of_service_provision": {"value": "01/04/2019"}}}"#, "'01/04/2019' is not a date",
            "/dates/start_date_of_service_provision/value"
        ),
        (#"{"name": {"value": "a\u202Eb"}}"#, "holds a control or text-direction character (U+202E)", "/name/value"),
        (#"{"outcome_metrics": {"id": "m1"}}"#, "is an object, where INDIGO has a list", "/outcome_metrics"),
        (#"[]"#, "is a list, where INDIGO has an object", "/"),
        (
            #"{"outcome_metrics": [{"id": "m1"}, {"id": "m1"}]}"#, "the outcome metric id 'm1' is declared twice",
            "/outcome_metrics/1"
        ),
        (
            #"{"outcome_payment_commitments": [{"organisation_role_category": {"value": "Outcome Payer"}}]}"#,
            "an outcome payment commitment names no organisation", "/outcome_payment_commitments/0"
        ),
        (#"{"investments": [{}]}"#, "an investment names no organisation", "/investments/0"),
        (
            #"{"investments": [{"organisation_id": {"value": "a b"}}]}"#, "the id 'a b' is not one a contract can hold",
            "/investments/0"
        ),
        (
            #"{"outcome_pricings": [{"price_per_unit": {"amount": {"value": -5}}}]}"#,
            "is negative, where INDIGO has an amount", "/outcome_pricings/0/price_per_unit/amount/value"
        ),
        (
            #"{"outcome_pricings": [{"currency": {"value": "yen"}}]}"#, "'yen' is not an ISO 4217 code",
            "/outcome_pricings/0/currency/value"
        ),
        (
            #"{"outcome_metrics": ["# + Array(repeating: "{}", count: IndigoJSON.maximumItems + 1).joined(separator: ",") + "]}",
            "holds 10001 entries; pfs reads at most 10000", "/outcome_metrics"
        ),
    ])
    func brokenJSONIsSaidAndNothingIsWritten(_ json: String, message: String, element: String) throws {
        let file = try TemporaryFolder.make().appendingPathComponent("project.json").path
        try json.write(toFile: file, atomically: true, encoding: .utf8)
        let (run, output) = try Self.importing([file])
        #expect(run.status == 1)
        #expect(run.standardError.contains("error: [indigo-input] " + message), "\(run.standardError)")
        #expect(run.standardError.contains("element: " + element), "\(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    /// A project read whole that still cannot make a contract: said of the file, nothing written.
    @Test(arguments: [
        (#"{}"#, "the project names no currency (no pricing, commitment, investment or payment gives one)"),
        (
            #"{"outcome_pricings": [{"currency": {"value": "GBP"}}]}"#,
            "the project gives no dates (no start of service provision and no payment period)"
        ),
        (
            #"{"outcome_pricings": [{"currency": {"value": "GBP"}}], "dates": {"start_date_of_service_provision": {"value": "2019-13-01"}}}"#,
            "the start date '2019-13-01' has no month 13"
        ),
        (
            #"{"outcome_pricings": [{"currency": {"value": "GBP"}}], "dates": {"start_date_of_service_provision": {"value": "2019-04-01"}, "anticipated_end_date_of_service_provision": {"value": "2018-03-31"}}}"#,
            "the project ends (2018-03-31) before it starts (2019-04-01), or runs a century"
        ),
        (
            #"{"outcome_pricings": [{"currency": {"value": "GBP"}}], "dates": {"start_date_of_service_provision": {"value": "2019-04-01"}}}"#,
            "the project names no outcome payer (no outcome payment commitment or payment names one)"
        ),
        (
            #"{"outcome_pricings": [{"currency": {"value": "GBP"}}, {"currency": {"value": "USD"}}], "dates": {"start_date_of_service_provision": {"value": "2019-04-01"}}, "outcome_payment_commitments": [{"organisation_id": {"value": "INDIGO-ORG-0001"}}]}"#,
            "a pricing is in USD, another amount in GBP: a contract has one currency"
        ),
    ])
    func aProjectThatMakesNoContractIsSaid(_ json: String, message: String) throws {
        let file = try TemporaryFolder.make().appendingPathComponent("project.json").path
        try json.write(toFile: file, atomically: true, encoding: .utf8)
        let (run, output) = try Self.importing([file])
        #expect(run.status == 1)
        #expect(run.standardError.contains(file + ": error: [indigo-input] " + message), "\(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    /// A path that is not a readable project file is said as such.
    @Test func aPathThatIsNoFileIsSaid() throws {
        let folder = try TemporaryFolder.make().path
        let missing = try Self.importing([folder + "/none.json"])
        #expect(missing.run.status == 1)
        #expect(missing.run.standardError.contains(folder + "/none.json: error: [indigo-input] no such file"))
        let directory = try Self.importing([folder])
        #expect(directory.run.status == 1)
        #expect(directory.run.standardError.contains(folder + ": error: [indigo-input] this is a directory, not a JSON file"))
    }

    /// Every problem of the CSV export, each in its file, row and column; nothing written.
    @Test(Self.csvHeaders) func everyCSVProblemIsSaidWhereItIs() throws {
        enum Change { case rows([[String: String]]), bytes([UInt8]), absent }
        let project = "INDIGO-POJ-0001"
        let metric = ["Project ID": project, "Id": "outcomemetric1"]
        let pricing = [
            "Project ID": project, "Outcome Metric Id - (Value)": "outcomemetric1", "Currency - (Value)": "GBP",
            "Price Per Unit - Amount - (Value)": "1500",
        ]
        let cases: [(file: String, change: Change, message: String, element: String?)] = [
            ("projects.csv", .rows([["ID": project], ["ID": project]]), "project 'INDIGO-POJ-0001' has two rows", "row 3, column 'ID'"),
            (
                "projects.csv", .rows([["ID": project, "Dates - Start date of service provision - (Value)": "01/04/2019"]]),
                "'01/04/2019' is not a date", "row 2, column 'Dates - Start date of service provision - (Value)'"
            ),
            ("projects_outcome_metrics.csv", .rows([["Project ID": project]]), "an outcome metric has no id", "row 2, column 'Id'"),
            (
                "projects_outcome_metrics.csv", .rows([metric, metric]), "the outcome metric id 'outcomemetric1' is declared twice",
                "row 3, column 'Id'"
            ),
            (
                "projects_outcome_metrics.csv", .rows([["Project ID": project, "Id": "1 bad"]]),
                "the id '1 bad' is not one a contract can hold", "row 2, column 'Id'"
            ),
            (
                "projects_outcome_pricings.csv", .rows([pricing.merging(["Outcome Metric Id - (Value)": "m9"]) { $1 }]),
                "names outcome metric 'm9', which projects_outcome_metrics.csv does not declare for the project",
                "row 2, column 'Outcome Metric Id - (Value)'"
            ),
            (
                "projects_outcome_pricings.csv", .rows([pricing.merging(["Price Per Unit - Amount - (Value)": "-5"]) { $1 }]),
                "is negative, where INDIGO has an amount", "row 2, column 'Price Per Unit - Amount - (Value)'"
            ),
            (
                "projects_outcome_pricings.csv", .rows([pricing.merging(["Currency - (Value)": "yen"]) { $1 }]),
                "'yen' is not an ISO 4217 code", "row 2, column 'Currency - (Value)'"
            ),
            (
                "projects_outcome_payment_commitments.csv", .rows([["Project ID": project]]),
                "an outcome payment commitment names no organisation", "row 2, column 'Organisation ID - (Value)'"
            ),
            (
                "projects_investments.csv", .rows([["Project ID": project]]),
                "an investment names no organisation", "row 2, column 'Organisation ID - (Value)'"
            ),
            (
                "projects_investments.csv", .rows([["Project ID": project, "Organisation ID - (Value)": "a b"]]),
                "the id 'a b' is not one a contract can hold", "row 2, column 'Organisation ID - (Value)'"
            ),
            ("projects_outcome_metrics.csv", .bytes([0x49, 0x64, 0xFF, 0x0A]), "projects_outcome_metrics.csv is not UTF-8 text", nil),
            ("projects_outcome_metrics.csv", .bytes([]), "projects_outcome_metrics.csv is empty", nil),
            ("projects_outcome_metrics.csv", .bytes(Array("Id,Other\r\nm1,x\r\n".utf8)), "has no column 'Project ID'", nil),
            ("projects.csv", .absent, "no projects.csv in ", nil),
        ]
        for (file, change, message, element) in cases {
            let folder = try Self.export()
            switch change {
            case .rows(let rows): try Self.write(file, rows: rows, in: folder)
            case .bytes(let bytes): try Data(bytes).write(to: URL(fileURLWithPath: folder + "/" + file))
            case .absent: try FileManager.default.removeItem(atPath: folder + "/" + file)
            }
            let (run, output) = try Self.importing(["--csv", folder, "--project", project])
            #expect(run.status == 1, "\(message)")
            #expect(
                run.standardError.contains(folder + "/" + file + ": error: [indigo-input] " + message), "\(run.standardError)")
            if let element { #expect(run.standardError.contains("element: " + element), "\(run.standardError)") }
            #expect(!FileManager.default.fileExists(atPath: output))
        }
    }

    @Test func notJSONAHugeFileAndDeepNestingAreRefused() throws {
        let folder = try TemporaryFolder.make().path
        let cases: [(String, [UInt8], String)] = [
            ("syntax.json", Array("{\n  \"name\": {\"value\": \"x\",}\n}".utf8), "syntax.json:2:25: error: [indigo-input] is not valid JSON: expected a key in quotes"),
            ("repeat.json", Array(#"{"name": {"value": "a"}, "name": {"value": "b"}}"#.utf8), "the key \"name\" appears twice in one object"),
            ("deep.json", Array((String(repeating: "[", count: 100) + String(repeating: "]", count: 100)).utf8), "nested more than 64 levels deep"),
            ("huge.json", Array(repeating: UInt8(ascii: " "), count: IndigoJSON.maximumBytes + 1), "an INDIGO project is read up to 16777216 bytes"),
        ]
        for (name, bytes, message) in cases {
            let file = folder + "/" + name
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            let (run, output) = try Self.importing([file])
            #expect(run.status == 1, "\(name)")
            #expect(run.standardError.contains(message), "\(name): \(run.standardError)")
            #expect(!FileManager.default.fileExists(atPath: output))
        }
    }

    /// An existing file is never replaced; the usage is said.
    @Test(Self.csvHeaders) func anExistingFileIsNeverReplaced() throws {
        let folder = try Self.export()
        let output = try TemporaryFolder.make().appendingPathComponent("mine.xml").path
        try "mine".write(toFile: output, atomically: true, encoding: .utf8)
        let run = try CommandRun.pfs(["import", "indigo", "--csv", folder, "--project", "INDIGO-POJ-0001", "--output", output])
        #expect(run.status == 1)
        #expect(run.standardError.contains("error: [statement-exists] the file exists: pfs import never replaces a file"))
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "mine")
        let usage = try CommandRun.pfs(["import", "indigo", "--csv", folder, "--output", output])
        #expect(usage.status == 64)
        #expect(usage.standardError.contains("--csv needs --project ID (e.g. INDIGO-POJ-0001)"))
    }
}

