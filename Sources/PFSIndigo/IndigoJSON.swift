import PFS
import PFSLoader
import PFSModel

/// Reads an INDIGO project from its JSON (`project.json`'s shape, or the data publication's
/// `{"id": …, "data": {…}}` around it), strictly: a file of at most 16 MiB, every value the
/// type the schema gives it, every code one of its codelist, every metric a pricing, payment
/// or result names declared. Numbers are read as written, never through floating point.
public enum IndigoJSON {
    public static let maximumBytes = 16 << 20
    /// Most entries of one list (INDIGO's largest projects have a few hundred payments).
    public static let maximumItems = 10_000
    /// Longest text read (a name, a definition, a note).
    public static let maximumText = 10_000

    /// The project in the file at `path`, or why not.
    public static func read(path: String) -> Result<IndigoProject, IndigoProblem> {
        switch readBytes(path) {
        case .failure(let problem): return .failure(problem)
        case .success(let bytes): return read(bytes: bytes, file: path)
        }
    }

    /// The project in `bytes`, named `file` in what is said.
    public static func read(bytes: [UInt8], file: String) -> Result<IndigoProject, IndigoProblem> {
        do throws(IndigoProblem) {
            let root = try parse(bytes, file: file)
            return .success(try project(root))
        } catch {
            return .failure(error)
        }
    }

    /// Organisation records keyed by their ids (`{"INDIGO-ORG-0001": {…}, …}`, as `pfs export
    /// indigo --output` writes them).
    public static func organisations(path: String) -> Result<[String: IndigoProject.Organisation], IndigoProblem> {
        do throws(IndigoProblem) {
            let bytes = try readBytes(path).get()
            let root = try parse(bytes, file: path)
            var organisations: [String: IndigoProject.Organisation] = [:]
            for (id, record) in try root.members() {
                try Cursor.checkID(id, at: record)
                organisations[id] = IndigoProject.Organisation(
                    name: try record.value("name"),
                    english: try record.member("translated_official_name")?.value("english"))
            }
            return .success(organisations)
        } catch {
            return .failure(error)
        }
    }

    static func readBytes(_ path: String) -> Result<[UInt8], IndigoProblem> {
        switch ContractLoader.readFile(path, maxBytes: maximumBytes, regularOnly: true) {
        case .success(let bytes): return .success(bytes)
        case .failure(.tooLarge(let size, let limit)):
            return .failure(
                IndigoProblem(
                    "the file has \(size) bytes; an INDIGO project is read up to \(limit) bytes",
                    hint: "check that this is one project's JSON", at: .file(path)))
        case .failure(.missing):
            return .failure(IndigoProblem("no such file", hint: "check the path", at: .file(path)))
        case .failure(.isDirectory):
            return .failure(
                IndigoProblem(
                    "this is a directory, not a JSON file",
                    hint: "name the project's .json file, or read the CSV export with --csv DIR --project ID",
                    at: .file(path)))
        case .failure(.notRegular):
            return .failure(
                IndigoProblem("this is a pipe, socket or device, not a file", hint: "name a regular file", at: .file(path)))
        case .failure(.unreadable):
            return .failure(IndigoProblem("the file cannot be read", hint: "check its permissions", at: .file(path)))
        }
    }

    static func parse(_ bytes: [UInt8], file: String) throws(IndigoProblem) -> Cursor {
        do throws(StrictJSON.Problem) {
            return Cursor(node: try StrictJSON.parse(bytes), path: "", file: file)
        } catch {
            throw IndigoProblem(
                "is not valid JSON: \(error.message)", hint: "INDIGO projects are JSON objects",
                at: SourceLocation(file: file, line: error.line, column: error.column))
        }
    }

    static func project(_ root: Cursor) throws(IndigoProblem) -> IndigoProject {
        var data = root
        var project = IndigoProject()
        // The data publication wraps a project: {"id": "INDIGO-POJ-0001", "data": {…}}.
        if let wrapped = try root.member("data") {
            project.id = try root.member("id")?.string()
            data = wrapped
        }
        _ = try data.members()
        project.name = try data.value("name")
        project.alternativeName = try data.value("alternative_names")
        project.stage = try data.member("stage_development")?.code("value", IndigoCodes.stages)
        if let dates = try data.member("dates") {
            project.start = try dates.date("start_date_of_service_provision")
            project.end = try dates.date("actual_end_date_of_service_provision")
            if project.end == nil { project.end = try dates.date("anticipated_end_date_of_service_provision") }
        }
        project.country = try data.member("jurisdiction")?.value("jurisdiction")
        for metric in try data.list("outcome_metrics") {
            guard let id = try metric.member("id")?.string() else {
                throw metric.problem("an outcome metric has no id", hint: "give each metric an id (outcomemetric1, …)")
            }
            try Cursor.checkID(id, at: metric)
            if project.metrics.contains(where: { $0.id == id }) {
                throw metric.problem("the outcome metric id '\(id)' is declared twice", hint: "give each metric its own id")
            }
            project.metrics.append(
                IndigoProject.Metric(
                    id: id, definition: try metric.value("definition"),
                    unit: try metric.value("unit_description_of_service_user_or_beneficiaries"),
                    target: try metric.value("outcome_metric_target"),
                    japaneseName: IndigoText.japaneseName(in: try metric.member("notes")?.string())))
        }
        let metricIDs = Set(project.metrics.map(\.id))
        func metric(_ cursor: Cursor) throws(IndigoProblem) -> String? {
            guard let id = try cursor.value("outcome_metric_id") else { return nil }
            guard metricIDs.contains(id) else {
                throw cursor.problem(
                    "names outcome metric '\(id)', which the project does not declare",
                    hint: metricIDs.isEmpty
                        ? "declare it under outcome_metrics" : "declared metrics: " + metricIDs.sorted().joined(separator: ", "))
            }
            return id
        }
        for pricing in try data.list("outcome_pricings") {
            let maximum = try pricing.member("maximum_price_if_all_targets_achieved")?.value("amount")
            project.pricings.append(
                IndigoProject.Pricing(
                    metric: try metric(pricing), currency: try pricing.currency("currency"),
                    pricePerUnit: try pricing.member("price_per_unit")?.number("amount"),
                    maximum: maximum.flatMap { ExactDecimal(plain: $0.replacingOccurrences(of: ",", with: "")) },
                    maximumText: maximum, description: try pricing.value("price_description")))
        }
        for commitment in try data.list("outcome_payment_commitments") {
            guard let organisation = try commitment.organisation("organisation_id") else {
                throw commitment.problem("an outcome payment commitment names no organisation", hint: "give its organisation_id")
            }
            _ = try commitment.member("organisation_role_category")?.code("value", IndigoCodes.payerCategories)
            let maximum = try commitment.member("maximum_potential_outcome_payment")
            project.commitments.append(
                IndigoProject.Commitment(
                    organisation: organisation, currency: try maximum?.currency("currency"),
                    maximum: try maximum?.number("amount")))
        }
        for investment in try data.list("investments") {
            guard let organisation = try investment.organisation("organisation_id") else {
                throw investment.problem("an investment names no organisation", hint: "give its organisation_id")
            }
            _ = try investment.member("organisation_role_category")?.code("value", IndigoCodes.investorCategories)
            let commitment = try investment.member("investment_commitment")
            let amounts = try commitment?.member("amount")
            var amount = try amounts?.number("exact")
            if amount == nil { amount = try amounts?.number("min") }
            project.investments.append(
                IndigoProject.Investment(
                    id: try investment.member("id")?.string(), organisation: organisation,
                    currency: try commitment?.currency("currency"),
                    amount: amount))
        }
        for provision in try data.list("service_provisions") {
            if let organisation = try provision.organisation("organisation_id") { project.providers.append(organisation) }
        }
        for service in try data.list("intermediary_services") {
            if let organisation = try service.organisation("organisation_id") { project.intermediaries.append(organisation) }
        }
        for payment in try data.list("outcome_payments") {
            let money = try payment.member("money")
            let period = try payment.member("period")
            project.payments.append(
                IndigoProject.Payment(
                    metric: try metric(payment), start: try period?.date("start_date"), end: try period?.date("end_date"),
                    payer: try payment.organisation("payer_organisation_id"),
                    recipient: try payment.organisation("recipient_organisation_id"),
                    type: try payment.member("type")?.code("value", IndigoCodes.paymentTypes),
                    currency: try money?.currency("currency"), amount: try money?.number("amount")))
        }
        for result in try data.list("results") {
            _ = try metric(result)
            for id in (try result.value("outcomes_validator_organisation_ids") ?? "").split(separator: ",") {
                let id = id.trimmingCharacters(in: .whitespaces)
                guard !id.isEmpty else { continue }
                try Cursor.checkID(id, at: result)
                if !project.validators.contains(id) { project.validators.append(id) }
            }
        }
        return project
    }
}

/// A place in a JSON value, to read it with its path for what is said.
struct Cursor {
    let node: StrictJSON.Node
    /// A JSON pointer: `/outcome_pricings/2/price_per_unit`.
    let path: String
    let file: String

    func problem(_ message: String, hint: String) -> IndigoProblem {
        IndigoProblem(message, hint: hint, at: SourceLocation(file: file, line: 0, column: 0, element: path.isEmpty ? "/" : path))
    }

    var typeName: String {
        switch node {
        case .object: return "an object"
        case .array: return "a list"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "true or false"
        case .null: return "null"
        }
    }

    func members() throws(IndigoProblem) -> [(String, Cursor)] {
        guard case .object(let members) = node else {
            throw problem("is \(typeName), where INDIGO has an object", hint: "check the project against INDIGO 4.1.0")
        }
        return members.map { ($0.key, Cursor(node: $0.value, path: path + "/" + $0.key, file: file)) }
    }

    /// The member `key`, nil when absent or null.
    func member(_ key: String) throws(IndigoProblem) -> Cursor? {
        for (name, cursor) in try members() where name == key {
            if case .null = cursor.node { return nil }
            return cursor
        }
        return nil
    }

    func list(_ key: String) throws(IndigoProblem) -> [Cursor] {
        guard let member = try member(key) else { return [] }
        guard case .array(let elements) = member.node else {
            throw member.problem("is \(member.typeName), where INDIGO has a list", hint: "check the project against INDIGO 4.1.0")
        }
        guard elements.count <= IndigoJSON.maximumItems else {
            throw member.problem(
                "holds \(elements.count) entries; pfs reads at most \(IndigoJSON.maximumItems)",
                hint: "check that this is one project")
        }
        return elements.enumerated().map { Cursor(node: $1, path: member.path + "/\($0)", file: file) }
    }

    /// The string here, its line breaks and tabs made spaces (INDIGO's free text has them; a
    /// contract's attributes are one line).
    func string() throws(IndigoProblem) -> String {
        guard case .string(let written) = node else {
            throw problem("is \(typeName), where INDIGO has a string", hint: "check the project against INDIGO 4.1.0")
        }
        switch IndigoCodes.plainText(written) {
        case .success(let text): return text
        case .failure(let wrong): throw problem(wrong.message, hint: wrong.hint)
        }
    }

    /// INDIGO's `{"value": "…"}` under `key`; nil when absent or empty.
    func value(_ key: String) throws(IndigoProblem) -> String? {
        guard let wrapper = try member(key), let value = try wrapper.member("value") else { return nil }
        let text = try value.string().trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    /// INDIGO's `{"value": 123.45}` under `key`, exactly as written.
    func number(_ key: String) throws(IndigoProblem) -> ExactDecimal? {
        guard let wrapper = try member(key), let value = try wrapper.member("value") else { return nil }
        guard case .number(let text) = value.node else {
            throw value.problem("is \(value.typeName), where INDIGO has a number", hint: "write the amount as a JSON number")
        }
        guard let number = ExactDecimal(plain: text) else {
            throw value.problem(
                "'\(text.prefix(40))' is a number pfs cannot hold exactly (an exponent, or too many digits)",
                hint: "write it as a plain decimal, e.g. 1250.50")
        }
        guard number.signum >= 0 else {
            throw value.problem("is negative, where INDIGO has an amount", hint: "amounts are zero or more")
        }
        return number
    }

    /// The `value` cursor of the member `key`, where a value's problem is said.
    func valueCursor(_ key: String) throws(IndigoProblem) -> Cursor? { try member(key)?.member("value") }

    func date(_ key: String) throws(IndigoProblem) -> String? {
        guard let text = try value(key), let at = try valueCursor(key) else { return nil }
        guard IndigoCodes.isDate(text) else {
            throw at.problem("'\(text.prefix(40))' is not a date", hint: "INDIGO writes YYYY, YYYY-MM or YYYY-MM-DD")
        }
        return text
    }

    func currency(_ key: String) throws(IndigoProblem) -> String? {
        guard let text = try value(key), let at = try valueCursor(key) else { return nil }
        guard IndigoCodes.isCurrency(text) else {
            throw at.problem("'\(text.prefix(40))' is not an ISO 4217 code", hint: "e.g. GBP, JPY, USD")
        }
        return text
    }

    /// A value from a closed list (`value` of this object).
    func code(_ key: String, _ codes: Set<String>) throws(IndigoProblem) -> String? {
        guard let at = try member(key) else { return nil }
        let text = try at.string()
        guard !text.isEmpty else { return nil }
        guard codes.contains(text) else {
            throw at.problem(
                "'\(text.prefix(60))' is not an INDIGO 4.1.0 code here",
                hint: "one of: " + codes.sorted().joined(separator: "; "))
        }
        return text
    }

    func organisation(_ key: String) throws(IndigoProblem) -> String? {
        guard let id = try value(key) else { return nil }
        try Cursor.checkID(id, at: self)
        return id
    }

    /// Refuses an id a contract cannot hold (``IndigoCodes/isContractID(_:)``).
    static func checkID(_ id: String, at cursor: Cursor) throws(IndigoProblem) {
        guard IndigoCodes.isContractID(id) else {
            let (message, hint) = IndigoCodes.notAnID(id)
            throw cursor.problem(message, hint: hint)
        }
    }
}
