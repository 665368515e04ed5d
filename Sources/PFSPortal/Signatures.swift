import Foundation
import Hummingbird
import PFS
import PFSModel
import PFSRegister
import PFSStatements

/// A statement's signatures and the chain that ties each to the register's authority, with
/// the files an issue hands over and the OpenSSL commands that check them without pfs.
extension Portal {
    static let signaturesTitle = Phrase("Signatures and how to check them", "署名とその確認方法")

    /// The statement, its signatures and the files of its chain, named as one folder holds
    /// them; nil when the viewer may not read it (the caller answers 404).
    func chainFiles(_ viewer: Viewer, _ context: PortalContext, route: Route) async throws
        -> (statement: RecordedStatement, issued: IssuedStatement, contract: Contract, files: [IssuedFiles.File])?
    {
        guard let text = context.parameters.get("statement"), let id = Int(text), id > 0 else { return nil }
        let found = try await pool.use { register -> (RecordedStatement, IssuedStatement, RecordedContract)? in
            guard let (statement, _) = try await register.statement(id),
                let issued = try await register.issuedStatement(id),
                let recorded = try await cache.contracts(register).first(where: { $0.contract.id == statement.contractID })
            else { return nil }
            return (statement, issued, recorded)
        }
        guard let (statement, issued, recorded) = found, Access.permits(route, viewer, statement: statement) else {
            return nil
        }
        let name = String(issued.path.split(separator: "/").last ?? "statement")
        var seen: Set<String> = []
        let files = IssuedFiles.files(
            [IssuedFiles.Handed(name: name, bytes: issued.bytes, signatures: issued.signatures)], under: "",
            contract: recorded.contract
        ).compactMap { file -> IssuedFiles.File? in
            // One folder: a statement handed to several recipients is one file here.
            let flat = String(file.path.split(separator: "/").last ?? "")
            guard seen.insert(flat).inserted else { return nil }
            return IssuedFiles.File(path: flat, bytes: file.bytes)
        }
        return (statement, issued, recorded.contract, files)
    }

    func signaturesPage(_ viewer: Viewer, _ context: PortalContext) async throws -> Response {
        let language = viewer.language
        guard let (statement, issued, contract, files) = try await chainFiles(viewer, context, route: .signatures)
        else { return notFound(viewer, api: false) }
        let name = files.first?.path ?? "statement"
        let signatures = issued.signatures.map { signature -> [String: Any] in
            [
                "party": partyName(contract, signature.party, language), "role": signature.role,
                "member": signature.chain?.member ?? "—", "organisation": signature.chain?.organisation ?? "—",
                "key": String(signature.keyID.prefix(16)),
            ]
        }
        // Copies are made of the year's current run only.
        let current = try await pool.use { register in
            try await register.record(of: statement.contractID, year: statement.year)?.runID
        }
        let downloads = current == statement.runID ? Self.downloads(statement, language) : []
        var commands = ["openssl pkey -pubin -in authority.pem -outform DER | openssl dgst -sha256"]
        for signature in issued.signatures {
            let party = signature.party
            commands += [
                "openssl pkeyutl -verify -pubin -inkey authority.pem -rawin -in \(party).pem -sigfile \(party).pem.sig",
                "openssl pkeyutl -verify -pubin -inkey authority.pem -rawin -in \(party).binding -sigfile \(party).binding.sig",
                "openssl pkeyutl -verify -pubin -inkey \(party).pem -rawin -in \(name) -sigfile \(name).\(party).sig",
            ]
        }
        return Responses.html(
            Pages.render(
                "signatures", title: Self.signaturesTitle, language: language,
                context: [
                    "document": Self.documentName(statement, in: contract).text(language), "sha256": statement.sha256,
                    "signatures": signatures, "hasSignatures": !signatures.isEmpty,
                    "fingerprint": issued.signatures.compactMap(\.chain).first?.authorityFingerprint ?? "",
                    "files": files.enumerated().map { ["href": "/statements/\(statement.id)/files/\($0.offset)", "name": $0.element.path] },
                    "commands": commands.joined(separator: "\n"), "downloads": downloads, "hasDownloads": !downloads.isEmpty,
                ], signedIn: viewer))
    }

    /// One file of the chain, by its number on the signatures page (never by a name or path).
    func signatureFile(_ viewer: Viewer, _ context: PortalContext) async throws -> Response {
        guard let text = context.parameters.get("file"), let index = Int(text), index >= 0,
            let (_, _, _, files) = try await chainFiles(viewer, context, route: .signatureFile), index < files.count
        else { return notFound(viewer, api: false) }
        let file = files[index]
        return Responses.file(file.bytes, contentType: "application/octet-stream", fileName: file.path, attachment: true)
    }
}

/// The explain tree of a year, for those who check the calculation.
extension Portal {
    static let explainTitle = Phrase("Where each amount came from", "算定根拠")

    func explainPage(_ viewer: Viewer, _ context: PortalContext) async throws -> Response {
        let language = viewer.language
        guard let id = context.parameters.get("contract"), let yearText = context.parameters.get("year"),
            let year = Int(yearText), Access.permits(.explain, viewer, contract: id),
            let input = try await pool.use({ register in
                try await cache.settledInput(register, contract: id, year: year)
            })
        else { return notFound(viewer, api: false) }
        let checked = PFS.check(bytes: input.bytes, file: input.fileName, canonical: true)
        guard case .success(let settlement) = PFS.settle(checked, fileName: input.fileName, year: year),
            case .success(let roots) = Explanation.roots(.everything, in: settlement)
        else { return notFound(viewer, api: false) }
        return Responses.html(
            Pages.render(
                "explain",
                title: Phrase(
                    Self.explainTitle.en + " — FY\(year)", Self.explainTitle.ja + " — " + input.contract.yearNameJA(year)),
                language: language,
                context: ["text": Explanation.render(settlement, roots: roots, language: language)], signedIn: viewer))
    }
}
