/// Every check a diagnostic can come from: the stable ids users see in `[…]`, the stage
/// that runs each, and what it requires. Contracts/README.md's diagnostics table is made
/// from this list (a test keeps the two the same).
public enum CheckID: String, Sendable, Hashable, Codable, CaseIterable {
    case fileUnreadable = "file-unreadable"
    case fileSkipped = "file-skipped"
    case duplicateContractID = "duplicate-contract-id"
    case inputTooLarge = "input-too-large"
    case xmlEncoding = "xml-encoding"
    case xmlSyntax = "xml-syntax"
    case xmlDoctype = "xml-doctype"
    case formatNamespace = "format-namespace"
    case formatVersion = "format-version"
    case schema = "schema"
    case decimalSyntax = "decimal-syntax"
    case textCharacter = "text-character"
    case uniqueID = "unique-id"
    case nameMissing = "name-missing"
    case currencyUnknown = "currency-unknown"
    case amountScale = "amount-scale"
    case roundingIncrement = "rounding-increment"
    case termOrder = "term-order"
    case referenceUnknown = "reference-unknown"
    case partyRole = "party-role"
    case shareRange = "share-range"
    case duplicateEntry = "duplicate-entry"
    case attributionTotal = "attribution-total"
    case profitShareTotal = "profit-share-total"
    case valuePerUnit = "value-per-unit"
    case projection = "projection"
    case kpiValuation = "kpi-valuation"
    case paymentParties = "payment-parties"
    case paymentKPI = "payment-kpi"
    case amountNegative = "amount-negative"
    case bandMarks = "band-marks"
    case stepTable = "step-table"
    case tiersOrder = "tiers-order"
    case estimateBlend = "estimate-blend"
    case proportionalTarget = "proportional-target"
    case capBelowFixed = "cap-below-fixed"
    case perBeneficiary = "per-beneficiary"
    case sib = "sib"
    case paymentLimits = "payment-limits"
    case yearInTerm = "year-in-term"
    case duplicateYear = "duplicate-year"
    case actualWithoutExpected = "actual-without-expected"
    case settleYearInTerm = "settle-year-in-term"
    case contractSize = "contract-size"
    case partialYear = "partial-year"
    case paymentYearSkipped = "payment-year-skipped"
    case settleYearGap = "settle-year-gap"
    case settleYearData = "settle-year-data"
    case arithmeticOverflow = "arithmetic-overflow"
    case statementExists = "statement-exists"
    case statementDuplicateKey = "statement-duplicate-key"
    case statementNotJSON = "statement-not-json"
    case statementContract = "statement-contract"
    case outputWrite = "output-write"
    case internalSchema = "internal-schema"
    case actualsTable = "actuals-table"
    case actualsKPI = "actuals-kpi"
    case actualsYear = "actuals-year"
    case actualsValue = "actuals-value"
    case actualsDuplicate = "actuals-duplicate"
    case actualsKind = "actuals-kind"
    case actualsIssued = "actuals-issued"
    case templateUnreadable = "template-unreadable"
    case templateSyntax = "template-syntax"
    case templateLimit = "template-limit"
    case unknownParty = "unknown-party"
    case unknownKPI = "unknown-kpi"
    case statementUnreadable = "statement-unreadable"
    case statementSeveral = "statement-several"
    case statementFormat = "statement-format"
    case statementParty = "statement-party"
    case statementRegister = "statement-register"
    case ledgerRegister = "ledger-register"
    case pdfRenderer = "pdf-renderer"
    case yearLabels = "year-labels"
    case paymentMeasure = "payment-measure"
    case condition = "condition"
    case target = "target"
    case kpiBaseline = "kpi-baseline"
    case rateCard = "rate-card"
    case rateCardRecords = "rate-card-records"
    case paymentTiming = "payment-timing"
    case administration = "administration"
    case japaneseText = "japanese-text"
    case investorClass = "investor-class"
    case valueForMoney = "value-for-money"
    case dataMissing = "data-missing"
    case indigoInput = "indigo-input"

    /// Where in the pipeline the check runs.
    public enum Stage: String, Sendable, CaseIterable {
        case read
        case parse
        case root
        case schema
        case values
        case semantic
        case settle
        case output
        case verify
        case template
        case command
        /// `pfs actuals`: a table of values read into a contract.
        case actuals
        /// `pfs import indigo`: an INDIGO project read into a contract skeleton.
        case indigo
    }

    /// Whether the machine failed pfs, not the input: a statement that cannot be written or
    /// rendered (exit status 70, the run stops), as against a refusal (exit status 1).
    public var isOutputFailure: Bool { self == .outputWrite || self == .pdfRenderer }

    /// The stage that runs the check.
    public var stage: Stage {
        switch self {
        case .fileUnreadable, .fileSkipped, .duplicateContractID, .inputTooLarge, .xmlEncoding, .internalSchema:
            return .read
        case .xmlSyntax, .xmlDoctype: return .parse
        case .formatNamespace, .formatVersion: return .root
        case .schema: return .schema
        case .decimalSyntax, .textCharacter, .rateCardRecords: return .values
        case .uniqueID, .nameMissing, .currencyUnknown, .amountScale, .roundingIncrement, .termOrder, .referenceUnknown,
            .partyRole, .shareRange, .duplicateEntry, .attributionTotal, .profitShareTotal, .valuePerUnit, .projection,
            .kpiValuation, .paymentParties, .paymentKPI, .amountNegative, .bandMarks, .stepTable, .tiersOrder,
            .estimateBlend, .proportionalTarget, .capBelowFixed, .perBeneficiary, .sib, .paymentLimits, .yearInTerm,
            .duplicateYear, .actualWithoutExpected, .contractSize, .partialYear, .paymentYearSkipped, .yearLabels,
            .paymentMeasure, .condition, .target, .kpiBaseline, .rateCard, .investorClass, .paymentTiming,
            .administration, .valueForMoney, .dataMissing:
            return .semantic
        case .indigoInput: return .indigo
        case .settleYearInTerm, .settleYearGap, .settleYearData, .arithmeticOverflow: return .settle
        case .statementExists, .outputWrite, .pdfRenderer: return .output
        case .statementDuplicateKey, .statementNotJSON, .statementContract, .statementUnreadable, .statementSeveral,
            .statementFormat, .statementParty, .statementRegister, .ledgerRegister:
            return .verify
        case .templateUnreadable, .templateSyntax, .templateLimit: return .template
        case .actualsTable, .actualsKPI, .actualsYear, .actualsValue, .actualsDuplicate, .actualsKind, .actualsIssued:
            return .actuals
        case .unknownParty, .unknownKPI, .japaneseText: return .command
        }
    }

    /// What the check requires, in one line (README's diagnostics table).
    public var summary: String {
        switch self {
        case .fileUnreadable: return "the path names a readable file"
        case .fileSkipped:
            return
                """
                (warning) a folder's `*.xml` entry that is not a regular file (FIFO, device, socket) is skipped, \
                never opened
                """
        case .duplicateContractID:
            return
                """
                no two files of one `check`, `portfolio` or `reports` run declare the same contract id (their \
                statements would share a folder); both are refused before anything is written
                """
        case .inputTooLarge: return "at most 64 MiB, and at most 100 attributes on one element"
        case .xmlEncoding:
            return
                "not UTF-32; an XML declaration that names another encoding than the UTF-8 the bytes are in is refused"
        case .xmlSyntax: return "well-formed XML, no NUL byte anywhere (even after the root element)"
        case .xmlDoctype: return "no DOCTYPE: no DTD, no entities (XXE, billion laughs, remote DTDs)"
        case .formatNamespace: return "root is `<contract>` in `urn:pfs:contract:1` or `urn:pfs:contract:2`"
        case .formatVersion: return "the format version is 1 or 2"
        case .japaneseText:
            return
                """
                (warning, `check --lang ja`) what a Japanese statement prints is in Japanese: names, sources, \
                reasons and units
                """
        case .dataMissing:
            return
                """
                (warning) every KPI a payment measures has an actual value in some year of the term, and every \
                KPI credited to a project an expected value (a contract imported from INDIGO lacks them until \
                they are added)
                """
        case .indigoInput:
            return
                """
                an INDIGO project (`pfs import indigo`, JSON or the spreadsheet export's CSV files) is readable \
                and within its limits, holds each value in the type INDIGO 4.1.0 gives it and each code from \
                its codelist, and every metric or organisation it refers to is declared
                """
        case .valueForMoney:
            return
                """
                the value-for-money declaration (`<value-for-money>`) gives a discount schedule pfs can use: a \
                constant schedule its rate, a declared one its rates from year 1 on, each year after the one \
                before, none negative, none rising in a declining schedule; a rate or rates only where the \
                schedule uses them
                """
        case .administration:
            return
                """
                the administrative record (`<administration>`) describes this contract: a debt burden set before \
                its span, which runs forwards and covers every year that pays an outcome (a warning otherwise), \
                a limit that is not negative, a tax rate between 0 and 1 wherever amounts exclude the tax, one year \
                record per outcome year of the term
                """
        case .paymentTiming:
            return
                """
                a closing period (出納整理期間) is declared only for outcomes paid from their own year's budget \
                (year="same")
                """
        case .yearLabels:
            return
                """
                (format 2) a labelling convention matches the start month: japanese and uk years start in April, \
                us-federal in October, australia in July
                """
        case .paymentMeasure:
            return
                """
                (format 2) a payment measured as an improvement names one KPI; a relative improvement is paid by \
                threshold, tiers or a step band only; against="comparison" needs the KPI's comparison group, \
                against="expected" its expected values
                """
        case .condition:
            return
                """
                (format 2) a condition names a declared KPI and, if it compares with one, a series of that KPI; \
                against="comparison" needs a comparison group; groups are not empty
                """
        case .target:
            return "(format 2) a target names a declared KPI, its conditions read that KPI, and its year lies within the term"
        case .kpiBaseline:
            return "(format 2) a KPI without a baseline serves only targets and conditions on its actual value"
        case .rateCard:
            return
                """
                (format 2) a rate card's outcomes have distinct ids and prices of 0 or more, every record names one \
                of them and a year of the term; a payment pays by a declared card, at most one payment per card \
                and year
                """
        case .investorClass:
            return
                """
                (format 2) a SIB's classes have distinct ids and ranks, investor holders whose shares sum to 1, a \
                return grid in ascending performance with rates of 0 or more, a performance measure of a declared \
                KPI, and a loss floor only on a class that is not protected
                """
        case .rateCardRecords:
            return
                """
                (format 2) a rate card's records file lies beside the contract (a relative path without '..'), \
                has the SHA-256 the contract declares, and is a CSV table with the columns participant, outcome, \
                year
                """
        case .schema: return "elements, order, required attributes, enumerations"
        case .decimalSyntax: return "decimals written plainly"
        case .textCharacter:
            return
                """
                no attribute holds a control character (C0, C1, DEL), a line or paragraph separator, or a \
                text-direction mark, embedding, override or isolate (they could add or reverse lines on a \
                statement)
                """
        case .uniqueID: return "ids unique across parties, KPIs, projects"
        case .nameMissing: return "every party, KPI and project has a name"
        case .currencyUnknown: return "an ISO 4217 code pfs knows"
        case .amountScale: return "`scale` > 0"
        case .roundingIncrement: return "increment > 0, not finer than the currency's minor unit"
        case .termOrder: return "term first ≤ last"
        case .referenceUnknown: return "payers, payees, credited and measured KPIs, provider parties are declared"
        case .partyRole:
            return "payers are public-sector; provider shares go to providers; payments to providers or investors"
        case .shareRange: return "shares in [0, 1]"
        case .duplicateEntry: return "a project credits a KPI once and names a provider once"
        case .attributionTotal: return "one KPI's shares across projects sum to ≤ 1"
        case .profitShareTotal: return "a project's provider shares sum to ≤ 1"
        case .valuePerUnit: return "value per unit > 0"
        case .projection:
            return "a projection has its method's attributes, a positive precision, and values that fit exactly"
        case .kpiValuation: return "a KPI credited to a project is money or has a value per unit"
        case .paymentParties:
            return
                """
                a payment names payers and payees (by attribute or elements, not both), once each, shares in [0, \
                1] summing to 1
                """
        case .paymentKPI: return "a payment whose rule measures an outcome names one KPI or one blend, not both"
        case .amountNegative: return "payment amounts, prices, caps and limits ≥ 0"
        case .bandMarks: return "a band's `full-at` is better than its `start-at`"
        case .stepTable:
            return "steps inside the band, from worse to better, amounts never falling or above the full amount"
        case .tiersOrder: return "tiers from worse to better achievement, amounts never falling"
        case .estimateBlend: return "blend weights in [0, 1] summing to 1, over KPIs of one direction"
        case .proportionalTarget: return "a proportional target > 0"
        case .capBelowFixed: return "no cap below a fixed payment; the maximum not below the fixed payments' total"
        case .perBeneficiary:
            return
                """
                breakdowns sum to their actual value, ids once; a per-beneficiary rule measures one \
                higher-is-better KPI with a breakdown and has no baseline
                """
        case .sib:
            return
                """
                the SIB's intermediary, investors and residual party are declared in their roles; fee rate in [0, \
                1]; principals and return rates ≥ 0; some payment goes to the intermediary
                """
        case .paymentLimits: return "the payments' minimum ≤ maximum"
        case .yearInTerm:
            return "expected, actual, payment and year-limit years in the term; baseline not after its start"
        case .duplicateYear: return "one expected and one actual value per KPI and year"
        case .actualWithoutExpected:
            return
                """
                an actual value of a KPI credited to a project has an expected value (declared or projected) for \
                its year
                """
        case .settleYearInTerm: return "the settled year is in the term"
        case .contractSize:
            return
                """
                at most 10,000 KPIs, 2,000 projects, 20,000 credits, 20,000 provider shares, 10,000 payments and \
                500,000 declared values (the schema limits parties to 1,000): every accepted contract settles a \
                year in seconds
                """
        case .partialYear:
            return
                """
                (warning) a year with an actual value for one credited KPI has them for every credited KPI (`pfs \
                check` says so before `pfs settle` refuses the year)
                """
        case .paymentYearSkipped:
            return
                """
                (warning) no payment falls in a year declared `<not-measured>` for a credited KPI (the year is \
                skipped, so the payment is never made)
                """
        case .settleYearGap:
            return
                """
                where earlier years count (carry-forward, claw-back, reward maximum), every earlier year of the \
                term has each credited KPI's data or a `<not-measured>` declaration; every earlier year with a \
                payment can be settled (the payments made before count)
                """
        case .settleYearData:
            return
                """
                credited KPIs have expected and actual values for the year; every measured payment up to the year \
                has its outcome (format 2: and the comparison group's or expected value it is measured against, \
                its conditions' figures, and at maturity the SIB's performance when a class is at risk)
                """
        case .arithmeticOverflow: return "every amount fits exactly"
        case .statementExists:
            return "`settle --output` never replaces an issued statement with different content (use `--new-revision`)"
        case .statementDuplicateKey:
            return "a JSON statement repeats no key in one object (a forged value beside the real one)"
        case .statementNotJSON:
            return "the statement is well-formed JSON; the first error is given with its line and column"
        case .statementContract:
            return
                """
                the statement was made from the contract it is verified against (same id), said before any figure \
                is compared
                """
        case .outputWrite: return "the statement can be written (exit status 70 otherwise)"
        case .pdfRenderer:
            return "PDF statements can be made: WeasyPrint is installed (exit status 70, nothing written, otherwise)"
        case .ledgerRegister:
            return "a year the register holds settles now to the statement it recorded (`pfs portfolio --register`)"
        case .internalSchema: return "the bundled schema compiles (a defect of the build otherwise)"
        case .actualsTable:
            return
                """
                `pfs actuals --from` is a CSV (UTF-8 with or without BOM, or Shift_JIS) or XLSX table with kpi, \
                year and value columns (English or Japanese headers)
                """
        case .actualsKPI: return "each row names a KPI the contract declares"
        case .actualsYear: return "each row's year is a fiscal year of the term (2024, FY2024 or 令和6年度)"
        case .actualsValue: return "each value is a decimal written plainly (thousands separators allowed)"
        case .actualsDuplicate: return "a KPI, year and kind appear in one row only"
        case .actualsKind:
            return
                """
                a row gives an actual value, or an expected one for a KPI that declares expected values (not \
                projected), and never changes a value broken down by beneficiary
                """
        case .actualsIssued:
            return "a value of a year the register shows as issued changes only with `--correction \"reason\"`"
        case .templateUnreadable: return "the `--template` file can be read"
        case .templateSyntax: return "the `--template` file is valid Mustache, its sections nested at most 16 deep"
        case .templateLimit:
            return "an organisation's template renders its sections at most 20 times per list item of the document"
        case .unknownParty: return "`--party` names a party with amounts in the years asked for"
        case .unknownKPI: return "`explain --kpi` names a KPI some result of the year depends on"
        case .statementUnreadable: return "the statement file can be read"
        case .statementSeveral: return "one statement per file (not the array `settle --all` prints)"
        case .statementFormat:
            return "a pfs-settlement/1, pfs-payout/1, pfs-audit/1 or pfs-value/1 document with its year and contract file"
        case .statementParty: return "a payout statement's party still receives something under the contract"
        case .statementRegister:
            return "a value-for-money document that counted what a register records paid is verified with that register"
        }
    }
}
