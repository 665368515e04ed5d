import Foundation
import PFSModel

/// The files an issue writes: each statement, its detached signatures, the signers' keys.
public enum IssuedFiles {
    /// One file to write.
    public struct File: Sendable {
        public let path: String
        public let bytes: [UInt8]

        public init(path: String, bytes: [UInt8]) {
            self.path = path
            self.bytes = bytes
        }
    }

    /// One statement to hand over: its file name, bytes and the signatures collected for
    /// it (none for a format made at issue from the signed statements).
    public struct Handed: Sendable {
        public let name: String
        public let bytes: [UInt8]
        public let signatures: [StatementSignature]

        public init(name: String, bytes: [UInt8], signatures: [StatementSignature]) {
            self.name = name
            self.bytes = bytes
            self.signatures = signatures
        }
    }

    /// The folder, under the contract's, of the party a statement is handed to: a payout
    /// statement to its contractor's, the annual settlement, the audit trail and an
    /// adjustment to each public-sector party's — so that a contractor's folder holds its
    /// own statements only, never the city's audit trail.
    public static func recipients(of name: String, in contract: Contract) -> [String] {
        if name.hasPrefix("payout-"), let year = name.range(of: "-FY", options: .backwards) {
            return [String(name[name.index(name.startIndex, offsetBy: "payout-".count)..<year.lowerBound])]
        }
        return contract.parties.filter { $0.role == .publicSector }.map(\.id)
    }

    /// The files of an issue under `output`: `<contract>/<recipient>/<statement>` and its
    /// `.<party>.sig` files beside it; for each signing party `<contract>/keys/<party>.pem` (the
    /// authority's certificate of the signer's key, ending in the key) with `.pem.sig`, and
    /// `<contract>/keys/<party>.binding` (the authority's certificate that the signer's
    /// organisation is that party) with `.binding.sig`; and `<contract>/authority.pem`, the
    /// register's authority, whose fingerprint the certificates name.
    public static func files(_ handed: [Handed], under output: String, contract: Contract) -> [File] {
        var files: [File] = []
        var signers: [String: StatementSignature] = [:]
        var order: [String] = []
        let base = output + "/" + contract.id
        for statement in handed {
            for recipient in recipients(of: statement.name, in: contract) {
                let path = base + "/" + recipient + "/" + statement.name
                files.append(File(path: path, bytes: statement.bytes))
                for signature in statement.signatures {
                    files.append(File(path: path + "." + signature.party + ".sig", bytes: signature.signature))
                }
            }
            for signature in statement.signatures where signers.updateValue(signature, forKey: signature.party) == nil {
                order.append(signature.party)
            }
        }
        var authority: String?
        for party in order {
            guard let signature = signers[party] else { continue }
            let keys = base + "/keys/" + party
            guard let chain = signature.chain else {
                files.append(File(path: keys + ".pem", bytes: Array(signature.publicKeyPEM.utf8)))
                continue
            }
            files.append(File(path: keys + ".pem", bytes: Array(chain.keyCertificate.utf8)))
            files.append(File(path: keys + ".pem.sig", bytes: chain.keyCertificateSignature))
            files.append(File(path: keys + ".binding", bytes: Array(chain.bindingCertificate.utf8)))
            files.append(File(path: keys + ".binding.sig", bytes: chain.bindingCertificateSignature))
            authority = chain.authorityPEM
        }
        if let authority { files.append(File(path: base + "/authority.pem", bytes: Array(authority.utf8))) }
        return files
    }
}

/// The detached signature files an issue wrote beside a statement.
public enum SignatureFiles {
    /// `STATEMENT.<party>.sig` files in the statement's folder, with the party from the name.
    public static func beside(_ statement: String) -> [(party: String, signature: [UInt8])] {
        let url = URL(fileURLWithPath: statement)
        let folder = url.deletingLastPathComponent()
        let prefix = url.lastPathComponent + "."
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().compactMap { name in
            guard name.hasPrefix(prefix), name.hasSuffix(".sig") else { return nil }
            let party = String(name.dropFirst(prefix.count).dropLast(4))
            guard !party.isEmpty, !party.contains("."),
                let bytes = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path)
            else { return nil }
            return (party, Array(bytes))
        }
    }
}
