import ArgumentParser
import Foundation
import PFS
import PFSIndigo
import PFSLedger
import PFSModel
import PFSRegister
import PFSStatements
import PFSValue

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write a contract in another data standard.",
        subcommands: [ExportIndigo.self])
}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Make a contract from another data standard.",
        subcommands: [ImportIndigo.self])
}

struct ExportIndigo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indigo",
        abstract: "A contract and its settled years as an INDIGO 4.1.0 project (the GO Lab's data standard).",
        discussion: """
            Writes the project's JSON to standard output: outcome metrics, pricings, payment commitments, \
            investments, outcome payments per year (Planned; Actual once --register records the year paid), \
            results, sources, and the investors' rates of return so far. With --output DIR writes \
            DIR/<contract-id>/<contract-id>.indigo.json and <contract-id>.indigo-organisations.json (each party \
            as an organisation record, by its id). Amounts are in currency units.
            """)

    @Argument(help: "The contract XML file.")
    var file: String

    @Option(help: "Write the project and organisation records under DIR instead of printing the project.")
    var output: String?

    @OptionGroup var registerOptions: RegisterOptions

    func validate() throws {
        if let output { try requireDirectoryName(output, option: "--output") }
    }

    func run() async throws {
        let (_, contract, history) = try settledHistory(file, through: nil)
        var paid: [Int: ExactDecimal]?
        if let location = registerOptions.named(besides: file) {
            paid = try await usingRegister(location) { register async throws(RegisterError) in
                try await register.paidByYear(contract: contract.id)
            }
        }
        var assessment: ValueAssessment?
        if !history.isEmpty {
            switch ValueForMoney.assess(contract, history: history, paid: paid) {
            case .success(let assessed): assessment = assessed
            case .failure(let failure):
                printDiagnostics([
                    Diagnostic(
                        check: .arithmeticOverflow, message: "the investors' returns cannot be computed: \(failure)",
                        hint: "amounts this large are beyond pfs's exact decimals", at: .file(file))
                ])
                throw ExitCode(ExitStatus.validationFailure)
            }
        }
        let project: [UInt8]
        do {
            project = try IndigoExport.project(contract, history: history, paid: paid, assessment: assessment)
        } catch {
            printDiagnostics([
                Diagnostic(
                    check: .arithmeticOverflow, message: "the project's amounts cannot be written: \(error)",
                    hint: "amounts this large are beyond pfs's exact decimals", at: .file(file))
            ])
            throw ExitCode(ExitStatus.validationFailure)
        }
        guard let output else {
            FileHandle.standardOutput.write(Data(project))
            return
        }
        let folder = output + "/" + contract.id
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data(project).write(to: URL(fileURLWithPath: folder + "/\(contract.id).indigo.json"), options: .atomic)
            try Data(IndigoExport.organisations(contract)).write(
                to: URL(fileURLWithPath: folder + "/\(contract.id).indigo-organisations.json"), options: .atomic)
        } catch {
            printDiagnostics([
                Diagnostic(
                    check: .outputWrite, message: "cannot write the INDIGO files: \(error.localizedDescription)",
                    hint: "check that the folder can be written", at: .file(folder))
            ])
            throw ExitCode(ExitStatus.internalError)
        }
        print("wrote \(folder)/\(contract.id).indigo.json")
        print("wrote \(folder)/\(contract.id).indigo-organisations.json")
    }
}

struct ImportIndigo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indigo",
        abstract: "Make a format-2 contract skeleton from an INDIGO project (JSON, or the CSV export).",
        discussion: """
            Reads PROJECT.json (INDIGO 4.1.0; --organisations ORGS.json gives the organisations' names), or \
            with --csv DIR --project INDIGO-POJ-… the spreadsheet export's CSV files, and writes the contract to \
            --output: parties from its organisations, KPIs from its outcome metrics, a per-unit payment per year \
            from each pricing with a price per unit, the payers' maxima as limits, investors from its \
            investments; what INDIGO does not hold (baselines, counterfactuals, yearly actual values, the \
            rounding) is said in comments, and `pfs check`'s warnings on the written contract list it. Broken \
            input is an error and nothing is written; an existing --output file is never replaced.
            """)

    @Argument(help: "The project's JSON file (or use --csv and --project).")
    var project: String?

    @Option(help: "With a JSON project: the organisation records (as `pfs export indigo --output` writes them).")
    var organisations: String?

    @Option(help: "The folder of INDIGO's CSV export (projects.csv, projects_outcome_metrics.csv, …).")
    var csv: String?

    @Option(name: .customLong("project"), help: "With --csv: the project's id, e.g. INDIGO-POJ-0001.")
    var projectID: String?

    @Option(help: "The contract's id (default: the project's id, else the file's name).")
    var id: String?

    @Option(help: "The contract file to write (it must not exist).")
    var output: String

    func validate() throws {
        if (project == nil) == (csv == nil) {
            throw ValidationError("give either PROJECT.json or --csv DIR --project ID")
        }
        if csv != nil, projectID == nil { throw ValidationError("--csv needs --project ID (e.g. INDIGO-POJ-0001)") }
        if csv == nil, projectID != nil { throw ValidationError("--project goes with --csv DIR") }
        if csv != nil, organisations != nil {
            throw ValidationError("--organisations goes with a JSON project; the CSV export has organisations.csv")
        }
        if let id, id.wholeMatch(of: /[A-Za-z][A-Za-z0-9._\-]{0,63}/) == nil {
            throw ValidationError("--id '\(id)' is not a contract id (letters, digits, '.', '_', '-', from a letter)")
        }
        try requireDirectoryName(output, option: "--output")
    }

    func run() throws {
        if FileManager.default.fileExists(atPath: output) {
            printDiagnostics([
                Diagnostic(
                    check: .statementExists, message: "the file exists: pfs import never replaces a file",
                    hint: "name a new file with --output", at: .file(output))
            ])
            throw ExitCode(ExitStatus.validationFailure)
        }
        var read: Result<IndigoProject, IndigoProblem>
        let source: String
        /// The file a problem of the project as a whole is said of.
        let projectFile: String
        if let csv, let projectID {
            read = IndigoCSV.read(directory: csv, project: projectID)
            source = csv + " (" + projectID + ")"
            projectFile = csv + "/projects.csv"
        } else {
            let path = project ?? ""
            read = IndigoJSON.read(path: path)
            source = path
            projectFile = path
            if let organisations, case .success(var project) = read {
                switch IndigoJSON.organisations(path: organisations) {
                case .success(let records):
                    project.organisations = records
                    read = .success(project)
                case .failure(let problem): read = .failure(problem)
                }
            }
        }
        let indigo: IndigoProject
        switch read {
        case .success(let project): indigo = project
        case .failure(let problem):
            printDiagnostics([problem.diagnostic])
            throw ExitCode(ExitStatus.validationFailure)
        }
        // The file's name without `.indigo.json` (as `pfs export indigo` names it) or `.json`.
        var stem = ((project ?? "contract") as NSString).lastPathComponent
        for suffix in [".indigo.json", ".json"] where stem.hasSuffix(suffix) {
            stem.removeLast(suffix.count)
            break
        }
        let contractID = id ?? indigo.id ?? (stem.wholeMatch(of: /[A-Za-z][A-Za-z0-9._\-]{0,63}/) != nil ? stem : "indigo-project")
        let text: String
        switch IndigoSkeleton.contract(indigo, id: contractID, source: (source as NSString).lastPathComponent, read: projectFile) {
        case .success(let made): text = made
        case .failure(let problem):
            printDiagnostics([problem.diagnostic])
            throw ExitCode(ExitStatus.validationFailure)
        }
        // The skeleton is checked before it is written: what it lacks is said, an error is pfs's.
        let checked = PFS.check(bytes: Array(text.utf8), file: output)
        if checked.hasErrors {
            printDiagnostics(checked.diagnostics)
            printError("pfs: the skeleton made from \(source) does not check; nothing was written")
            throw ExitCode(ExitStatus.internalError)
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .withoutOverwriting)
        } catch {
            printDiagnostics([
                Diagnostic(
                    check: .outputWrite, message: "cannot write the contract: \(error.localizedDescription)",
                    hint: "check that the folder exists and can be written", at: .file(output))
            ])
            throw ExitCode(ExitStatus.internalError)
        }
        if let contract = checked.contract {
            func count(_ n: Int, _ noun: String, _ plural: String) -> String { "\(n) \(n == 1 ? noun : plural)" }
            print(
                "wrote \(output): \(count(contract.kpis.count, "KPI", "KPIs")), "
                    + "\(count(contract.parties.count, "party", "parties")), "
                    + "\(count(contract.payments.count, "payment", "payments"))")
        }
        let findings = checked.diagnostics
        if !findings.isEmpty {
            printDiagnostics(findings)
            printError("\(output): what INDIGO does not hold is listed above; add it before settling")
        }
    }
}
