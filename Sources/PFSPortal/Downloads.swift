import Foundation
import Hummingbird
import PFS
import PFSModel
import PFSRegister
import PFSStatements

/// A statement in a format the register does not keep: an Excel workbook (numbers as numbers,
/// totals as formulas: the evaluator's audit workbook) or an A4 PDF. Made on request from the
/// contract version the year was settled from, and handed over only when the JSON of the same
/// document, made in the same run, is byte-for-byte the JSON the register holds and the
/// members signed: the copy shows the signed figures. The signed files themselves are on the
/// statement's signatures page.
enum Download: String, CaseIterable, Sendable {
    case xlsx, pdf

    var format: StatementFormat {
        switch self {
        case .xlsx: return .xlsx
        case .pdf: return .pdf
        }
    }

    var label: Phrase {
        switch self {
        case .xlsx: return Phrase("Excel workbook", "Excel ブック")
        case .pdf: return Phrase("PDF", "PDF")
        }
    }
}

extension Portal {
    /// The links to a statement's downloads: for the settlement, audit and payout documents
    /// (an adjustment has no workbook of its own) recorded as HTML (copies in its language) or
    /// JSON (both languages: copies in the viewer's).
    static func downloads(_ statement: RecordedStatement, _ language: Language) -> [[String: Any]] {
        let formats = [StatementFormat.html.rawValue, StatementFormat.json.rawValue]
        guard Self.documentChoice(statement) != nil, formats.contains(statement.format) else { return [] }
        return Download.allCases.map {
            ["href": "/statements/\(statement.id)/as/\($0.rawValue)", "label": $0.label.text(language)]
        }
    }

    static func documentChoice(_ statement: RecordedStatement) -> StatementSelection.Choice? {
        StatementSelection.Choice(rawValue: statement.document)
    }

    func download(_ viewer: Viewer, _ context: PortalContext) async throws -> Response {
        guard let text = context.parameters.get("statement"), let id = Int(text), id > 0,
            let download = context.parameters.get("format").flatMap(Download.init(rawValue:)),
            let (statement, _) = try await pool.use({ register in try await register.statement(id) }),
            Access.permits(.download, viewer, statement: statement), let choice = Self.documentChoice(statement)
        else { return notFound(viewer, api: false) }
        let found = try await pool.use { register -> (ContractInput, RecordedStatement, String?)? in
            // Only the year's current run is made again: an older run's statements were replaced.
            guard let record = try await register.record(of: statement.contractID, year: statement.year),
                record.runID == statement.runID,
                let input = try await cache.settledInput(register, contract: statement.contractID, year: statement.year),
                let json = try await register.statements(of: statement.contractID).first(where: {
                    $0.runID == statement.runID && $0.document == statement.document && $0.party == statement.party
                        && $0.format == StatementFormat.json.rawValue
                })
            else { return nil }
            return (input, json, try await cache.trust(register).authority?.fingerprint)
        }
        guard let (input, recordedJSON, authority) = found else { return notFound(viewer, api: false) }
        let language = Language(rawValue: statement.language) ?? viewer.language
        let selection = StatementSelection(
            documents: [choice], party: statement.party, formats: [.json, download.format], languages: [language])
        // A PDF runs WeasyPrint for seconds: off the threads that answer other requests.
        let made = await Self.offThePool {
            Self.remake(
                input, year: statement.year, selection: selection, authority: authority, pdf: configuration.pdf)
        }
        let statements: [StatementInput]
        switch made {
        case .success(let remade): statements = remade.filter { $0.party == statement.party && $0.document == statement.document }
        case .failure(let unmade):
            return Responses.json(["error": unmade.message], status: .serviceUnavailable)
        }
        guard let json = statements.first(where: { $0.format == StatementFormat.json.rawValue }),
            sha256Hex(json.bytes) == recordedJSON.sha256,
            let file = statements.first(where: { $0.format == download.format.rawValue })
        else {
            return Responses.json(
                [
                    "error": "the statement cannot be made again as it was signed",
                    "hint": "the signed files are on the statement's signatures page; `pfs verify` says what differs",
                ], status: .conflict)
        }
        let (type, _) = Self.mediaType(file.format)
        return Responses.file(
            file.bytes, contentType: type, fileName: String(file.path.split(separator: "/").last ?? "statement"),
            attachment: true)
    }

    /// The year's statements in `selection`, made from the settled contract version as the
    /// register made them (statements recorded in a register name its authority); or what
    /// stopped them (the PDF renderer not installed, a template over its limits).
    static func remake(
        _ input: ContractInput, year: Int, selection: StatementSelection, authority: String?, pdf: any PDFMaking
    ) -> Result<[StatementInput], Unmade>
    {
        let checked = PFS.check(bytes: input.bytes, file: input.fileName, canonical: true)
        var provenance = PFS.provenance(of: checked, fileName: input.fileName)
        provenance.registerAuthority = authority
        switch PFS.settleHistory(checked, provenance: provenance, through: year) {
        case .success(let history):
            return StatementInput.of(
                history: history, year: year, selection: selection, contract: input.contract, pdf: pdf
            ).mapError { Unmade(message: $0.diagnostic.rendered) }
        case .failure(let failure):
            return .failure(Unmade(message: failure.diagnostics.map(\.rendered).joined(separator: "\n")))
        }
    }

    /// Why a download could not be made.
    struct Unmade: Error {
        let message: String
    }

    /// Copies being made at once, at most: a PDF runs WeasyPrint, hundreds of megabytes
    /// each, and a member asking for many must not take the machine.
    static let renderSlots = Slots(2)

    /// Runs `work` on a thread of its own, so that a long render does not hold one of the few
    /// threads the server answers every request on, and in one of ``renderSlots``.
    static func offThePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await renderSlots.run {
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async { continuation.resume(returning: work()) }
            }
        }
    }
}

/// At most `limit` pieces of work at a time; the others wait their turn, in order.
actor Slots {
    let limit: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    /// The most that ran at once (what a test reads).
    private(set) var most = 0

    init(_ limit: Int) { self.limit = limit }

    func run<T: Sendable>(_ work: @Sendable () async -> T) async -> T {
        if running >= limit { await withCheckedContinuation { waiting.append($0) } } else { running += 1 }
        most = max(most, running)
        let result = await work()
        if waiting.isEmpty { running -= 1 } else { waiting.removeFirst().resume() }
        return result
    }
}
