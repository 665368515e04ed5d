import ArgumentParser
import Foundation
import PFS
import PFSLedger
import PFSModel
import PFSOutput
import PFSRegister
import PFSStatements
import PFSValue

extension ValueDeclaration.Discount: ExpressibleByArgument {}
extension DiscountTerms: ExpressibleByArgument {}

struct ValueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "value",
        abstract: "What a contract is worth to the public sector and to its investors: the value-for-money document.",
        discussion: """
            Settles the years of the term that have data (to --as-of YEAR) and writes one document: per year the \
            benefit (the improvement attributable to the projects, or the KPIs' fiscal improvement), the outcome \
            payments, the public sector's net, their present values under a discount schedule, the net present \
            value and benefit-cost ratio, the cost per outcome per KPI, each investor's (class's, holder's) cash \
            flows, money multiple and internal rate of return, and the budget envelope of the years after in \
            present values. The schedule is --discount's, else the contract's <value-for-money>, else Japan's 4%. \
            With --register, payments made are told from payments due. Without --output, prints the document in \
            one format and language; with it, writes DIR/<contract-id>/value-FY<year>.<lang>.<ext>.
            """)

    @Argument(help: "The contract XML file.")
    var file: String

    @Option(help: "The last fiscal year to assess (default: the last year of the term with data).")
    var asOf: Int?

    @Option(help: "Discount schedule: japan (4%), green-book (3.5% declining to 1%), constant (give --rate), in place of the contract's.")
    var discount: ValueDeclaration.Discount?

    @Option(help: "With --discount constant: the rate, a fraction (0.035 for 3.5%).")
    var rate: String?

    @Option(help: "With --discount: real (the default) or nominal.")
    var terms: DiscountTerms?

    @Option(help: "With --discount: decimal places of a ratio a rate of return is found to (1 to 12, default 4).")
    var rateDigits: Int?

    @OptionGroup var documents: DocumentOptions

    @Flag(help: "Print each figure as a tree down to the settlement steps it comes from, instead of the document.")
    var explain = false

    @Option(help: "Write the document under DIR instead of printing it.")
    var output: String?

    @Flag(help: "With --output: write a new revision beside a different existing document instead of refusing.")
    var newRevision = false

    @OptionGroup var registerOptions: RegisterOptions

    func validate() throws {
        if !documents.document.isEmpty || documents.party != nil {
            throw ValidationError("pfs value writes the value-for-money document: --document and --party do not apply")
        }
        if discount == nil, rate != nil || terms != nil || rateDigits != nil {
            throw ValidationError("--rate, --terms and --rate-digits go with --discount")
        }
        if discount == .declared {
            throw ValidationError("a declared schedule is declared in the contract (<value-for-money discount=\"declared\">)")
        }
        if discount == .constant, rate == nil { throw ValidationError("--discount constant needs --rate (0.035 for 3.5%)") }
        if let discount, discount != .constant, rate != nil {
            throw ValidationError("--rate goes with --discount constant, not \(discount.rawValue)")
        }
        if let rate, ExactDecimal(plain: rate) == nil {
            throw ValidationError("--rate '\(rate)' is not a decimal (0.035 for 3.5%)")
        }
        if let rateDigits, !(1...12).contains(rateDigits) { throw ValidationError("--rate-digits must be 1 to 12") }
        if output == nil && documents.format.count > 1 { throw ValidationError("several --format values need --output DIR") }
        if output == nil && documents.lang.count > 1 { throw ValidationError("several --lang values need --output DIR") }
        if output == nil && newRevision { throw ValidationError("--new-revision needs --output DIR") }
        if explain, output != nil || !documents.format.isEmpty {
            throw ValidationError("--explain prints the tree: --output and --format do not apply")
        }
        if let output { try requireDirectoryName(output, option: "--output") }
        if output == nil, let binary = documents.format.first(where: \.isBinary) {
            throw ValidationError("\(binary.rawValue.uppercased()) documents are written to files: add --output DIR")
        }
    }

    /// The schedule the command line declares, if any.
    var declaration: ValueDeclaration? {
        guard let discount else { return nil }
        return ValueDeclaration(
            discount: discount, rate: rate.flatMap(ExactDecimal.init(plain:)), terms: terms ?? .real,
            rateDigits: rateDigits ?? ValueDeclaration.defaultRateDigits, location: .file("--discount"))
    }

    func run() async throws {
        let template = try documents.htmlTemplate()
        let (_, contract, history) = try settledHistory(file, through: asOf)
        guard !history.isEmpty else {
            printDiagnostics([
                Diagnostic(
                    check: .settleYearData, message: "no year of the term has data yet: there is nothing to assess",
                    hint: "add the actual values of the first year (`pfs actuals`)", at: .file(file))
            ])
            throw ExitCode(ExitStatus.validationFailure)
        }
        let paid = try await paidByYear(contract)
        let assessment: ValueAssessment
        switch ValueForMoney.assess(contract, history: history, command: declaration, paid: paid) {
        case .success(let value): assessment = value
        case .failure(.schedule(let error)):
            throw ValidationError("--discount: \(error.description)")
        case .failure(.arithmetic(let error)):
            printDiagnostics([
                Diagnostic(
                    check: .arithmeticOverflow, message: "the value for money cannot be computed: \(error)",
                    hint: "amounts this large are beyond pfs's exact decimals", at: .file(file))
            ])
            throw ExitCode(ExitStatus.validationFailure)
        }
        if explain {
            print(ValueExplanation.render(assessment, history: history, language: documents.lang.first ?? .ja), terminator: "")
            return
        }
        guard let document = ValueStatement.document(assessment, history: history) else { return }
        let selection = documents.selection(defaultFormats: [.text], defaultDocuments: [])
        try documents.requireRenderers(selection)
        guard let output else {
            let format = selection.formats[0]
            let language = selection.languages.first ?? .ja
            do {
                print(try Statement.render(document, as: format, language: language, template: template), terminator: "")
            } catch {
                printDiagnostics([ReportSet.templateStopped(error, writing: "standard output")])
                throw ExitCode(ExitStatus.usage)
            }
            return
        }
        let pending = ReportSet.pending(document, selection: selection, template: template, pdf: PDFRenderer())
        try writeStatements(pending, to: output, contract: contract.id, newRevision: newRevision)
    }

    /// With a register: what it records paid for each outcome year of the contract.
    private func paidByYear(_ contract: Contract) async throws -> [Int: ExactDecimal]? {
        guard let location = registerOptions.named(besides: file) else { return nil }
        return try await usingRegister(location) { register async throws(RegisterError) in
            try await register.paidByYear(contract: contract.id)
        }
    }
}
