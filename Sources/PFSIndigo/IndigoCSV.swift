import CSV
import Foundation
import PFSLoader
import PFSModel

/// Reads one project from INDIGO's spreadsheet export: a folder of CSV files, one per
/// record type, each row keyed by its project's id (`INDIGO-POJ-0001`), columns named by the
/// schema's titles (`Price Per Unit - Amount - (Value)`). `projects.csv` is required; the
/// others are read when present. Every file is read up to 64 MiB; a value of the wrong type,
/// an unknown code, a metric no metric row declares or a project id missing is said at its
/// file, row and column.
public enum IndigoCSV {
    public static let maximumBytes = 64 << 20

    public static func read(directory: String, project id: String) -> Result<IndigoProject, IndigoProblem> {
        do throws(IndigoProblem) {
            return .success(try project(directory, id))
        } catch {
            return .failure(error)
        }
    }

    static func project(_ directory: String, _ id: String) throws(IndigoProblem) -> IndigoProject {
        var project = IndigoProject()
        project.id = id
        guard let projects = try Sheet.read(directory, "projects.csv", required: true) else { return project }
        let rows = try projects.rows(key: "ID", id)
        guard let row = rows.first else {
            let known = projects.rows.prefix(5).compactMap { $0.cells["ID"] }.filter { !$0.isEmpty }
            throw IndigoProblem(
                "no project '\(id.prefix(64))' in projects.csv",
                hint: known.isEmpty ? "the file lists no project" : "it lists " + known.joined(separator: ", ") + "…",
                at: .file(projects.path))
        }
        if rows.count > 1 {
            throw rows[1].problem("project '\(id)' has two rows", column: "ID", hint: "keep one row per project")
        }
        project.name = try row.text("Impact Bond Name - (Value)")
        project.alternativeName = try row.text("Alternative Names - (Value)")
        project.stage = try row.code("Stage of Development - (Value)", IndigoCodes.stages)
        project.start = try row.date("Dates - Start date of service provision - (Value)")
        project.end = try row.date("Dates - Actual end date of service provision - (Value)")
        if project.end == nil { project.end = try row.date("Dates - Anticipated end date of service provision - (Value)") }
        project.country = try row.text("Jurisdiction - Jurisdiction - (Value)")
        if let sheet = try Sheet.read(directory, "projects_outcome_metrics.csv") {
            for row in try sheet.rows(key: "Project ID", id) {
                guard let metric = try row.text("Id") else {
                    throw row.problem("an outcome metric has no id", column: "Id", hint: "give each metric an id")
                }
                try row.checkID(metric, column: "Id")
                if project.metrics.contains(where: { $0.id == metric }) {
                    throw row.problem("the outcome metric id '\(metric)' is declared twice", column: "Id", hint: "one row per metric")
                }
                project.metrics.append(
                    IndigoProject.Metric(
                        id: metric, definition: try row.text("Outcome Definition - (Value)"),
                        unit: try row.text("Unit description of Service user or beneficiaries - (Value)"),
                        target: try row.text("Outcome metric target - (Value)"),
                        japaneseName: IndigoText.japaneseName(in: try row.text("Notes"))))
            }
        }
        let metricIDs = Set(project.metrics.map(\.id))
        func metric(_ row: Row) throws(IndigoProblem) -> String? {
            let column = "Outcome Metric Id - (Value)"
            guard let metric = try row.text(column) else { return nil }
            guard metricIDs.contains(metric) else {
                throw row.problem(
                    "names outcome metric '\(metric.prefix(64))', which projects_outcome_metrics.csv does not declare for the project",
                    column: column, hint: "declared: " + (metricIDs.isEmpty ? "none" : metricIDs.sorted().joined(separator: ", ")))
            }
            return metric
        }
        if let sheet = try Sheet.read(directory, "projects_outcome_pricings.csv") {
            for row in try sheet.rows(key: "Project ID", id) {
                let maximum = try row.text("Maximum Price if all targets achieved - Amount - (Value)")
                project.pricings.append(
                    IndigoProject.Pricing(
                        metric: try metric(row), currency: try row.currency("Currency - (Value)"),
                        pricePerUnit: try row.number("Price Per Unit - Amount - (Value)"),
                        maximum: maximum.flatMap { ExactDecimal(plain: $0.replacingOccurrences(of: ",", with: "")) },
                        maximumText: maximum, description: try row.text("Price Description - (Value)")))
            }
        }
        if let sheet = try Sheet.read(directory, "projects_outcome_payment_commitments.csv") {
            for row in try sheet.rows(key: "Project ID", id) {
                let organisation = try row.requiredOrganisation(
                    "Organisation ID - (Value)", of: "an outcome payment commitment", role: "payer")
                _ = try row.code("Organisation Role Category - (Value)", IndigoCodes.payerCategories)
                project.commitments.append(
                    IndigoProject.Commitment(
                        organisation: organisation,
                        currency: try row.currency("Maximum potential Outcome payment - Currency - (Value)"),
                        maximum: try row.number("Maximum potential Outcome payment - Amount - (Value)")))
            }
        }
        if let sheet = try Sheet.read(directory, "projects_investments.csv") {
            for row in try sheet.rows(key: "Project ID", id) {
                var amount = try row.number("Investment Commitment - Amount - Exact - (Value)")
                if amount == nil { amount = try row.number("Investment Commitment - Amount - Min - (Value)") }
                let organisation = try row.requiredOrganisation(
                    "Organisation ID - (Value)", of: "an investment", role: "investor")
                _ = try row.code("Organisation Role Category - (Value)", IndigoCodes.investorCategories)
                project.investments.append(
                    IndigoProject.Investment(
                        id: try row.text("Id"), organisation: organisation,
                        currency: try row.currency("Investment Commitment - Currency - (Value)"),
                        amount: amount))
            }
        }
        if let sheet = try Sheet.read(directory, "projects_outcome_payments.csv") {
            for row in try sheet.rows(key: "Project ID", id) {
                project.payments.append(
                    IndigoProject.Payment(
                        metric: try metric(row), start: try row.date("Period - Start - (Value)"),
                        end: try row.date("Period - End - (Value)"),
                        payer: try row.organisation("Payer Organisation ID - (Value)"),
                        recipient: try row.organisation("Recipient Organisation ID - (Value)"),
                        type: try row.code("Type - (Value)", IndigoCodes.paymentTypes),
                        currency: try row.currency("Payments - Currency - (Value)"),
                        amount: try row.number("Payments - Amount - (Value)")))
            }
        }
        if let sheet = try Sheet.read(directory, "projects_results.csv") {
            for row in try sheet.rows(key: "Project ID", id) {
                _ = try metric(row)
                let column = "Outcomes validator(s) - (Value)"
                for validator in (try row.text(column) ?? "").split(separator: ",") {
                    let validator = validator.trimmingCharacters(in: .whitespaces)
                    guard !validator.isEmpty else { continue }
                    try row.checkID(validator, column: column)
                    if !project.validators.contains(validator) { project.validators.append(validator) }
                }
            }
        }
        let named = Set(
            project.commitments.map(\.organisation) + project.investments.map(\.organisation)
                + project.payments.flatMap { [$0.payer, $0.recipient].compactMap { $0 } } + project.validators)
        if let sheet = try Sheet.read(directory, "organisations.csv") {
            for row in sheet.rows {
                guard let organisation = row.cells["ID"], named.contains(organisation) else { continue }
                project.organisations[organisation] = IndigoProject.Organisation(
                    name: try row.text("Name"), english: try row.text("Translated Official Name - English"))
            }
        }
        return project
    }
}

/// One CSV file of the export: its header and rows.
private struct Sheet {
    let path: String
    let rows: [Row]

    /// The file `name` in `directory`; nil when it is absent and not `required`.
    static func read(_ directory: String, _ name: String, required: Bool = false) throws(IndigoProblem) -> Sheet? {
        let path = directory + "/" + name
        let bytes: [UInt8]
        switch ContractLoader.readFile(path, maxBytes: IndigoCSV.maximumBytes, regularOnly: true) {
        case .success(let read): bytes = read
        case .failure(.missing):
            guard required else { return nil }
            throw IndigoProblem(
                "no \(name) in \(directory)", hint: "name the folder of INDIGO's CSV export (projects.csv, …)",
                at: .file(path))
        case .failure(.tooLarge(let size, let limit)):
            throw IndigoProblem("the file has \(size) bytes; pfs reads up to \(limit)", hint: "check the export", at: .file(path))
        case .failure:
            throw IndigoProblem("cannot read \(name)", hint: "check that it is a regular, readable file", at: .file(path))
        }
        var data = bytes
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { data.removeFirst(3) }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw IndigoProblem("\(name) is not UTF-8 text", hint: "INDIGO's export is UTF-8 CSV", at: .file(path))
        }
        var grid: [[String]] = []
        do {
            let reader = try CSVReader(string: text, hasHeaderRow: false)
            while let row = reader.next() {
                grid.append(row)
                if grid.count > 1_000_000 {
                    throw IndigoProblem("\(name) has more than a million rows", hint: "check the export", at: .file(path))
                }
            }
        } catch let problem as IndigoProblem {
            throw problem
        } catch {
            throw IndigoProblem("\(name) is not a CSV table: \(error)", hint: "INDIGO's export is RFC 4180 CSV", at: .file(path))
        }
        guard let header = grid.first else {
            throw IndigoProblem("\(name) is empty", hint: "its first row names the columns", at: .file(path))
        }
        let columns = header.map { $0.trimmingCharacters(in: .whitespaces) }
        return Sheet(
            path: path,
            rows: grid.dropFirst().enumerated().map { index, cells in
                Row(
                    path: path, number: index + 2,
                    cells: Dictionary(
                        zip(columns, cells).map { ($0, $1) }, uniquingKeysWith: { first, _ in first }))
            })
    }

    /// The rows whose `key` column is `id`.
    func rows(key: String, _ id: String) throws(IndigoProblem) -> [Row] {
        if let first = rows.first, first.cells[key] == nil {
            throw IndigoProblem(
                "has no column '\(key)'", hint: "INDIGO's export keys each row by its project's id", at: .file(path))
        }
        return rows.filter { $0.cells[key] == id }
    }
}

private struct Row {
    let path: String
    /// The row's number in the file, the header being row 1.
    let number: Int
    let cells: [String: String]

    func problem(_ message: String, column: String, hint: String) -> IndigoProblem {
        IndigoProblem(
            message, hint: hint, at: SourceLocation(file: path, line: 0, column: 0, element: "row \(number), column '\(column)'"))
    }

    /// The cell's text, line breaks made spaces; nil when empty or absent.
    func text(_ column: String) throws(IndigoProblem) -> String? {
        guard let written = cells[column] else { return nil }
        switch IndigoCodes.plainText(written) {
        case .success(let text): return text.isEmpty ? nil : text
        case .failure(let wrong): throw problem(wrong.message, column: column, hint: wrong.hint)
        }
    }

    func number(_ column: String) throws(IndigoProblem) -> ExactDecimal? {
        guard let text = try text(column) else { return nil }
        guard let number = ExactDecimal(plain: text) else {
            throw problem("'\(text.prefix(40))' is not a number", column: column, hint: "INDIGO's amounts are plain decimals: 1250.50")
        }
        guard number.signum >= 0 else { throw problem("is negative, where INDIGO has an amount", column: column, hint: "amounts are zero or more") }
        return number
    }

    func date(_ column: String) throws(IndigoProblem) -> String? {
        guard let text = try text(column) else { return nil }
        guard IndigoCodes.isDate(text) else {
            throw problem("'\(text.prefix(40))' is not a date", column: column, hint: "INDIGO writes YYYY, YYYY-MM or YYYY-MM-DD")
        }
        return text
    }

    func currency(_ column: String) throws(IndigoProblem) -> String? {
        guard let text = try text(column) else { return nil }
        guard IndigoCodes.isCurrency(text) else {
            throw problem("'\(text.prefix(40))' is not an ISO 4217 code", column: column, hint: "e.g. GBP, JPY, USD")
        }
        return text
    }

    func code(_ column: String, _ codes: Set<String>) throws(IndigoProblem) -> String? {
        guard let text = try text(column) else { return nil }
        guard codes.contains(text) else {
            throw problem(
                "'\(text.prefix(60))' is not an INDIGO 4.1.0 code here", column: column,
                hint: "one of: " + codes.sorted().joined(separator: "; "))
        }
        return text
    }

    func organisation(_ column: String) throws(IndigoProblem) -> String? {
        guard let id = try text(column) else { return nil }
        try checkID(id, column: column)
        return id
    }

    /// The organisation a record cannot be without: absent, an error naming the record.
    func requiredOrganisation(_ column: String, of record: String, role: String) throws(IndigoProblem) -> String {
        guard let id = try organisation(column) else {
            throw problem("\(record) names no organisation", column: column, hint: "give the \(role)'s INDIGO-ORG id")
        }
        return id
    }

    func checkID(_ id: String, column: String) throws(IndigoProblem) {
        guard IndigoCodes.isContractID(id) else {
            let (message, hint) = IndigoCodes.notAnID(id)
            throw problem(message, column: column, hint: hint)
        }
    }
}
