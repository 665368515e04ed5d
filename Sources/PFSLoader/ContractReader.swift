import CLibXML2
import PFSModel

/// Turns a schema-valid document into a ``Contract``, recording the location of every
/// element and reporting values that are not what they claim to be (decimals).
struct ContractReader {
    let source: SourceText
    var diagnostics: [Diagnostic] = []
    /// The folder files the contract names (a rate card's records) are read from.
    var baseDirectory = "."

    init(source: SourceText) { self.source = source }

    /// A light view of an element node.
    struct Element {
        let node: xmlNodePtr
        let path: String

        var name: String { node.pointee.name.map { String(cString: $0) } ?? "" }
        var line: Int { Int(xmlGetLineNo(node)) }

        func attribute(_ name: String) -> String? { Self.attribute(name, of: node) }

        private static func attribute(_ name: String, of node: xmlNodePtr) -> String? {
            var key = name
            return key.withUTF8 { wanted in
                guard let attribute = Self.attributeNode(of: node, named: wanted) else { return nil }
                // Almost every value is one text node: read it in place rather than have
                // libxml2 copy it (a contract has thousands of attributes).
                if let text = attribute.pointee.children, text.pointee.next == nil, text.pointee.type == XML_TEXT_NODE,
                    let content = text.pointee.content
                {
                    return String(cString: content)
                }
                return takeXMLString(xmlGetNoNsProp(node, name))
            }
        }

        /// Whether `node` is named `name` (any name when nil).
        private static func isNamed(_ node: xmlNodePtr, _ name: UnsafeBufferPointer<UInt8>?) -> Bool {
            guard let name else { return true }
            return node.pointee.name.map { equal($0, name) } ?? false
        }

        /// The attribute without a namespace named `name`, as `xmlGetNoNsProp` finds it.
        private static func attributeNode(of node: xmlNodePtr, named name: UnsafeBufferPointer<UInt8>) -> xmlAttrPtr? {
            var attribute = node.pointee.properties
            while let current = attribute {
                if current.pointee.ns == nil, let raw = current.pointee.name, Self.equal(raw, name) { return current }
                attribute = current.pointee.next
            }
            return nil
        }

        private static func equal(_ raw: UnsafePointer<xmlChar>, _ name: UnsafeBufferPointer<UInt8>) -> Bool {
            for index in 0..<name.count where raw[index] != name[index] { return false }
            return raw[name.count] == 0
        }

        var children: [Element] { elements(named: nil, limit: .max) }
        func children(named name: String) -> [Element] { elements(named: name, limit: .max) }
        func child(named name: String) -> Element? { elements(named: name, limit: 1).first }

        /// Child elements, optionally only those named `name`; a path is built only for the
        /// elements returned (building one reads attributes, and KPIs have many children).
        private func elements(named name: String?, limit: Int) -> [Element] {
            var result: [Element] = []
            func collect(_ wanted: UnsafeBufferPointer<UInt8>?) {
                var child = node.pointee.children
                while let current = child, result.count < limit {
                    if current.pointee.type == XML_ELEMENT_NODE, Self.isNamed(current, wanted) {
                        result.append(Element(node: current, parentPath: path))
                    }
                    child = current.pointee.next
                }
            }
            if var name {
                name.withUTF8 { collect($0) }
            } else {
                collect(nil)
            }
            return result
        }

        init(node: xmlNodePtr, parentPath: String) {
            self.node = node
            // Built in one buffer: a contract has thousands of elements, each with a path.
            var path = String()
            path.reserveCapacity(parentPath.utf8.count + 64)
            path += parentPath
            path += "/"
            if let name = node.pointee.name { path += String(cString: name) }
            for key in Self.pathKeys {
                if let value = Self.attribute(key, of: node) {
                    path += "[@"
                    path += key
                    path += "='"
                    path += value
                    path += "']"
                    break
                }
            }
            self.path = path
        }

        /// The attribute that identifies an element in its path, in order of preference.
        private static let pathKeys = ["id", "year", "kpi", "party"]
    }

    func location(of element: Element) -> SourceLocation {
        source.elementLocation(line: element.line, qualifiedName: qualifiedName(element.node), path: element.path)
    }

    func location(of attribute: String, in element: Element) -> SourceLocation {
        source.attributeLocation(
            line: element.line, qualifiedName: qualifiedName(element.node), attribute: attribute, path: element.path)
    }

    /// The location of a node libxml2 reported an error for.
    func location(of node: xmlNodePtr?, line: Int, column: Int) -> SourceLocation {
        guard let node, node.pointee.type == XML_ELEMENT_NODE else {
            return SourceLocation(file: source.file, line: line, column: column)
        }
        let element = Element(node: node, parentPath: Self.parentPath(of: node))
        let nodeLine = element.line > 0 ? element.line : line
        return source.elementLocation(line: nodeLine, qualifiedName: qualifiedName(node), path: element.path)
    }

    static func parentPath(of node: xmlNodePtr) -> String {
        var ancestors: [xmlNodePtr] = []
        var current = node.pointee.parent
        while let parent = current, parent.pointee.type == XML_ELEMENT_NODE {
            ancestors.append(parent)
            current = parent.pointee.parent
        }
        var path = ""
        for ancestor in ancestors.reversed() {
            path = Element(node: ancestor, parentPath: path).path
        }
        return path
    }

    // MARK: Reading values

    /// A required string attribute; the schema guarantees its presence.
    func string(_ name: String, of element: Element) -> String {
        element.attribute(name) ?? ""
    }

    mutating func decimal(_ name: String, of element: Element) -> ExactDecimal {
        let text = string(name, of: element)
        switch ExactDecimal.parse(text) {
        case .success(let value):
            return value
        case .failure(let error):
            diagnostics.append(
                Diagnostic(
                    check: .decimalSyntax,
                    message: "<\(element.name)> attribute '\(name)' is '\(text)', which is not a decimal",
                    hint: error.explanation,
                    at: location(of: name, in: element)))
            return .zero
        }
    }

    func integer(_ name: String, of element: Element) -> Int {
        // The schema has checked the range (xs:integer with bounds), which may have
        // surrounding whitespace.
        Int(string(name, of: element).trimmingXMLWhitespace()) ?? 0
    }

    func names(_ element: Element?) -> LocalizedText {
        LocalizedText(ja: element?.attribute("ja"), en: element?.attribute("en"))
    }

    // MARK: The contract

    mutating func read(root: xmlNodePtr, format: ContractFormat = .one) -> Contract {
        checkTexts(root)
        let contract = Element(node: root, parentPath: "")
        let title = contract.child(named: "title")
        let amounts = contract.child(named: "amounts")
        let rounding = contract.child(named: "rounding")
        let fiscalYear = contract.child(named: "fiscal-year")
        let term = contract.child(named: "term")

        let amountUnit =
            amounts.map { element in
                AmountUnit(
                    currency: string("currency", of: element), scale: decimal("scale", of: element),
                    label: LocalizedText(ja: element.attribute("label-ja"), en: element.attribute("label-en")),
                    location: location(of: element))
            }
            ?? AmountUnit(
                currency: "", scale: .one, label: LocalizedText(ja: nil, en: nil), location: location(of: contract))
        let roundingRule =
            rounding.map { element in
                RoundingRule(
                    increment: decimal("increment", of: element),
                    mode: RoundingMode(rawValue: string("mode", of: element)) ?? .down)
            } ?? RoundingRule(increment: .one, mode: .down)
        let contractTerm =
            term.map { element in
                Term(
                    first: integer("first", of: element), last: integer("last", of: element),
                    location: location(of: element))
            } ?? Term(first: 0, last: 0, location: location(of: contract))

        let parties = (contract.child(named: "parties")?.children(named: "party") ?? []).map { element in
            Party(
                id: string("id", of: element), role: PartyRole(rawValue: string("role", of: element)) ?? .provider,
                name: names(element.child(named: "name")), location: location(of: element))
        }
        var kpis: [KPI] = []
        for element in contract.child(named: "kpis")?.children(named: "kpi") ?? [] {
            kpis.append(readKPI(element))
        }
        var projects: [Project] = []
        for element in contract.child(named: "projects")?.children(named: "project") ?? [] {
            projects.append(readProject(element))
        }
        var payments: [Payment] = []
        let paymentsElement = contract.child(named: "payments")
        for element in paymentsElement?.children(named: "payment") ?? [] {
            payments.append(readPayment(element))
        }
        var limits: PaymentLimits?
        if let element = paymentsElement {
            var yearLimits: [PaymentLimits.YearLimit] = []
            for limit in element.children(named: "year-limit") {
                yearLimits.append(
                    .init(
                        year: integer("year", of: limit), maximum: decimal("maximum", of: limit),
                        location: location(of: limit)))
            }
            var payerLimits: [PaymentLimits.PayerLimit] = []
            for limit in element.children(named: "payer-limit") {
                payerLimits.append(
                    .init(
                        party: string("party", of: limit), maximum: decimal("maximum", of: limit),
                        location: location(of: limit)))
            }
            limits = PaymentLimits(
                maximum: optionalDecimal("maximum", of: element), minimum: optionalDecimal("minimum", of: element),
                yearLimits: yearLimits, payerLimits: payerLimits, location: location(of: element))
        }
        let rewardMaximum = contract.child(named: "projects").flatMap { optionalDecimal("reward-maximum", of: $0) }
        var sib: SIB?
        if let element = contract.child(named: "sib") {
            var investors: [SIB.Investor] = []
            for investor in element.children(named: "investor") {
                investors.append(
                    .init(
                        party: string("party", of: investor), principal: decimal("principal", of: investor),
                        // `none`, written out: a return with no cap, never one left out by mistake.
                        maximumReturn: investor.attribute("max-return")?.trimmingXMLWhitespace() == "none"
                            ? nil : decimal("max-return", of: investor),
                        location: location(of: investor)))
            }
            sib = SIB(
                intermediary: string("intermediary", of: element),
                feeRate: element.attribute("fee-rate") == nil ? .zero : decimal("fee-rate", of: element),
                investors: investors, residual: string("residual", of: element),
                classes: element.children(named: "class").map { readInvestorClass($0) },
                performance: element.child(named: "performance").map { performance in
                    PerformanceMeasure(
                        kpi: string("kpi", of: performance), measure: measure(of: performance),
                        location: location(of: performance))
                }, location: location(of: element))
        }
        return Contract(
            id: string("id", of: contract),
            title: LocalizedText(ja: title?.attribute("ja"), en: title?.attribute("en")),
            amounts: amountUnit, rounding: roundingRule,
            fiscalYearStartMonth: fiscalYear.map { integer("start-month", of: $0) } ?? 4,
            term: contractTerm, parties: parties, kpis: kpis, projects: projects,
            negativeImprovement: contract.child(named: "projects")?.attribute("negative-improvement")
                .flatMap(NegativeImprovementPolicy.init(rawValue:)) ?? .floor,
            rewardMaximum: rewardMaximum,
            payments: payments, paymentLimits: limits, sib: sib,
            correctionPolicy: contract.child(named: "corrections")?.attribute("policy")
                .flatMap(CorrectionPolicy.init(rawValue:)) ?? .refund,
            format: format,
            yearLabels: fiscalYear?.attribute("labels").flatMap(YearLabels.init(rawValue:)) ?? .fy,
            targets: readTargets(contract.child(named: "targets")),
            rateCards: (paymentsElement?.children(named: "rate-card") ?? []).map { readRateCard($0) },
            paymentTiming: contract.child(named: "payment-timing").map { timing in
                PaymentTiming(
                    year: timing.attribute("year").flatMap(PaymentTiming.Year.init(rawValue:)) ?? .same,
                    // xs:boolean: "true" or "1".
                    closingPeriod: ["true", "1"].contains(
                        timing.attribute("closing-period")?.trimmingCharacters(in: .whitespaces) ?? ""),
                    location: location(of: timing))
            } ?? .sameYear,
            administration: contract.child(named: "administration").map { readAdministration($0) },
            valueForMoney: contract.child(named: "value-for-money").map { readValueDeclaration($0) },
            location: location(of: contract))
    }

    /// `<value-for-money>`: the schema has checked the names; the checks, what they mean
    /// together (a constant rate given, a declared schedule's order).
    private mutating func readValueDeclaration(_ element: Element) -> ValueDeclaration {
        let rates = element.children(named: "rate").map { rate in
            ValueDeclaration.DeclaredRate(
                from: integer("from-year", of: rate), rate: decimal("value", of: rate), location: location(of: rate))
        }
        let declining = element.attribute("declining").map { ["true", "1"].contains($0.trimmingXMLWhitespace()) }
        return ValueDeclaration(
            discount: ValueDeclaration.Discount(rawValue: String(string("discount", of: element).trimmingXMLWhitespace()))
                ?? .japan,
            rate: optionalDecimal("rate", of: element), rates: rates, declining: declining ?? false,
            terms: element.attribute("terms").flatMap { DiscountTerms(rawValue: String($0.trimmingXMLWhitespace())) } ?? .real,
            rateDigits: element.attribute("rate-digits").map { _ in integer("rate-digits", of: element) }
                ?? ValueDeclaration.defaultRateDigits,
            location: location(of: element))
    }

    /// `<administration>`: the schema has checked every attribute's type.
    private mutating func readAdministration(_ element: Element) -> Administration {
        let record = element.child(named: "contract-record")
        let budget = element.child(named: "budget")
        let tax = element.child(named: "tax")
        return Administration(
            contractNumber: record?.attribute("number"), concluded: record?.attribute("concluded"),
            clauses: record?.attribute("clauses"), budgetAccount: budget?.attribute("account"),
            commitment: budget?.attribute("commitment"),
            debtBurden: element.child(named: "debt-burden").map {
                Administration.DebtBurden(
                    setIn: integer("set-in", of: $0), first: integer("first", of: $0), last: integer("last", of: $0),
                    limit: decimal("limit", of: $0), location: location(of: $0))
            },
            tax: tax.map {
                Administration.Tax(
                    included: ["true", "1"].contains($0.attribute("included")?.trimmingCharacters(in: .whitespaces) ?? ""),
                    rate: optionalDecimal("rate", of: $0), location: location(of: $0))
            },
            office: element.attribute("office"), seal: element.attribute("seal").flatMap(Administration.Seal.init),
            years: element.children(named: "year-record").map {
                Administration.YearRecord(
                    year: integer("year", of: $0), evaluated: $0.attribute("evaluated"), report: $0.attribute("report"),
                    invoiceBy: $0.attribute("invoice-by"), payBy: $0.attribute("pay-by"), location: location(of: $0))
            }, location: location(of: element))
    }

    private mutating func readObservation(_ element: Element) -> Observation {
        Observation(
            year: integer("year", of: element), value: decimal("value", of: element),
            source: element.attribute("source"), location: location(of: element))
    }

    private mutating func readKPI(_ element: Element) -> KPI {
        var valuation = Valuation.measuredOnly
        if element.child(named: "money") != nil { valuation = .money }
        if let perUnit = element.child(named: "value-per-unit") {
            valuation = .perUnit(
                UnitValue(
                    amount: decimal("amount", of: perUnit), source: perUnit.attribute("source"),
                    location: location(of: perUnit)))
        }
        var expected: [Observation] = []
        var actual: [Observation] = []
        var notMeasured: [NotMeasured] = []
        var baseline: Observation?
        for child in element.children {
            switch child.name {
            case "baseline": baseline = readObservation(child)
            case "expected": expected.append(readObservation(child))
            case "actual":
                let observation = readObservation(child)
                var beneficiaries: [BeneficiaryValue] = []
                for beneficiary in child.children(named: "beneficiary") {
                    beneficiaries.append(
                        .init(
                            id: string("id", of: beneficiary), value: decimal("value", of: beneficiary),
                            location: location(of: beneficiary)))
                }
                actual.append(
                    Observation(
                        year: observation.year, value: observation.value, source: observation.source,
                        location: observation.location, beneficiaries: beneficiaries))
            case "not-measured":
                notMeasured.append(
                    NotMeasured(
                        year: integer("year", of: child), reason: string("reason", of: child),
                        location: location(of: child)))
            default: break
            }
        }
        let projection = element.child(named: "projection").flatMap { readProjection($0) }
        let comparisonGroup = element.child(named: "comparison-group").map { readSeries($0, id: "") }
        var series: [Series] = []
        for child in element.children(named: "series") { series.append(readSeries(child, id: string("id", of: child))) }
        return KPI(
            id: string("id", of: element), name: names(element.child(named: "name")),
            unit: string("unit", of: element),
            direction: Direction(rawValue: string("direction", of: element)) ?? .lowerIsBetter,
            valuation: valuation,
            baseline: baseline ?? Observation(year: 0, value: .zero, source: nil, location: location(of: element)),
            expected: expected, projection: projection, actual: actual, notMeasured: notMeasured,
            comparisonGroup: comparisonGroup, series: series,
            relativePrecision: element.attribute("relative-precision").map { _ in
                integer("relative-precision", of: element)
            }
                ?? 4,
            baselineDeclared: baseline != nil, location: location(of: element))
    }

    mutating func optionalDecimal(_ name: String, of element: Element) -> ExactDecimal? {
        element.attribute(name) == nil ? nil : decimal(name, of: element)
    }

    func flag(_ name: String, of element: Element) -> Bool {
        // xs:boolean: "true", "false", "1", "0"; the schema has checked the value, default true.
        guard let text = element.attribute(name)?.trimmingXMLWhitespace() else { return true }
        return text == "true" || text == "1"
    }

    private mutating func readProjection(_ element: Element) -> Projection? {
        let here = location(of: element)
        func missing(_ attribute: String, _ method: String) -> Projection? {
            diagnostics.append(
                Diagnostic(
                    check: .projection, message: "a \(method) projection needs the attribute '\(attribute)'",
                    hint: "write <projection method=\"\(method)\" \(attribute)=\"…\"/>; see Contracts/README.md",
                    at: here))
            return nil
        }
        switch string("method", of: element) {
        case "growth":
            guard element.attribute("rate") != nil else { return missing("rate", "growth") }
            guard element.attribute("precision") != nil else { return missing("precision", "growth") }
            let mode = element.attribute("mode").flatMap(RoundingMode.init(rawValue:)) ?? .halfUp
            return Projection(
                method: .growth(
                    rate: decimal("rate", of: element),
                    rounding: RoundingRule(increment: decimal("precision", of: element), mode: mode)),
                source: element.attribute("source"), location: here)
        case "linear":
            guard element.attribute("slope") != nil else { return missing("slope", "linear") }
            return Projection(
                method: .linear(slope: decimal("slope", of: element)), source: element.attribute("source"),
                location: here)
        default:
            guard element.attribute("per-capita") != nil else { return missing("per-capita", "per-capita") }
            var population: [Observation] = []
            for child in element.children(named: "population") { population.append(readObservation(child)) }
            return Projection(
                method: .perCapita(value: decimal("per-capita", of: element), population: population),
                source: element.attribute("source"), location: here)
        }
    }

    private mutating func readProject(_ element: Element) -> Project {
        var credits: [Credit] = []
        var shares: [PartyShare] = []
        for child in element.children {
            switch child.name {
            case "credit":
                credits.append(
                    Credit(
                        kpi: string("kpi", of: child), share: decimal("share", of: child),
                        location: location(of: child)))
            case "provider-share":
                shares.append(
                    PartyShare(
                        party: string("party", of: child), share: decimal("share", of: child),
                        location: location(of: child)))
            default: break
            }
        }
        return Project(
            id: string("id", of: element), name: names(element.child(named: "name")),
            payer: string("payer", of: element), payerLocation: location(of: "payer", in: element),
            credits: credits, providerShares: shares, location: location(of: element))
    }
}

extension String {
    /// The text without leading and trailing XML whitespace (space, tab, CR, LF), which
    /// schema types such as xs:integer and xs:boolean allow around a value.
    func trimmingXMLWhitespace() -> Substring {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        guard let first = utf8.firstIndex(where: { !isSpace($0) }), let last = utf8.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return self[first...last]
    }
}
