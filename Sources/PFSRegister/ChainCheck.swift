import Foundation

/// The check `pfs verify STATEMENT` makes of the files an issue wrote beside a statement,
/// without the register: each detached signature verifies with the key its certificate
/// names, the key and binding certificates verify with the authority's key, and they agree
/// (same authority, same organisation, the signature's party and the statement's contract).
/// It is the check the README's OpenSSL commands make, and what they leave to the reader.
public enum ChainCheck {
    /// One signer's chain, as checked.
    public struct Signer: Sendable, Hashable {
        public let party: String
        public let role: String
        public let member: String
        public let organisation: String
        public let keyID: String
    }

    /// What the files show.
    public struct Result: Sendable {
        /// The authority's fingerprint (SHA-256 of its DER public key), when its file was found.
        public var authority: String?
        /// Signers whose whole chain verified.
        public var signers: [Signer] = []
        /// Why a chain does not hold, one line each.
        public var refusals: [String] = []
    }

    /// Checks the chain of every `STATEMENT.<party>.sig` beside `statement` (an issue's
    /// `<contract>/<recipient>/<statement>`, its certificates under `<contract>/keys/`).
    public static func check(statement path: String) -> Result {
        var result = Result()
        guard let bytes = FileManager.default.contents(atPath: path).map(Array.init) else {
            result.refusals.append("cannot read \(path)")
            return result
        }
        let contractFolder = URL(fileURLWithPath: path).deletingLastPathComponent().deletingLastPathComponent()
        let contract = contractFolder.lastPathComponent
        func read(_ relative: String) -> [UInt8]? {
            FileManager.default.contents(atPath: contractFolder.appendingPathComponent(relative).path).map(Array.init)
        }
        let signatures = SignatureFiles.beside(path)
        guard !signatures.isEmpty else { return result }
        guard let authorityPEM = read("authority.pem").map({ String(decoding: $0, as: UTF8.self) }),
            let authority = try? SigningKeys.publicKey(pem: authorityPEM)
        else {
            result.refusals.append("no authority.pem in \(contractFolder.path): the chain cannot be checked")
            return result
        }
        let fingerprint = SigningKeys.fingerprint(authority)
        result.authority = fingerprint
        for (party, signature) in signatures {
            guard let certificate = read("keys/\(party).pem"), let certificateSignature = read("keys/\(party).pem.sig"),
                let binding = read("keys/\(party).binding"), let bindingSignature = read("keys/\(party).binding.sig")
            else {
                result.refusals.append("the certificates of \(party) are missing under keys/")
                continue
            }
            let certificateText = String(decoding: certificate, as: UTF8.self)
            let bindingText = String(decoding: binding, as: UTF8.self)
            guard SigningKeys.isValid(certificateSignature, of: certificate, by: authority) else {
                result.refusals.append("the key certificate of \(party) is not signed by the authority \(fingerprint.prefix(16))…")
                continue
            }
            guard SigningKeys.isValid(bindingSignature, of: binding, by: authority) else {
                result.refusals.append("the binding certificate of \(party) is not signed by the authority \(fingerprint.prefix(16))…")
                continue
            }
            guard Certificates.field("authority", in: certificateText) == fingerprint,
                Certificates.field("authority", in: bindingText) == fingerprint
            else {
                result.refusals.append("the certificates of \(party) name another authority than authority.pem")
                continue
            }
            guard Certificates.field("party", in: bindingText) == party,
                Certificates.field("contract", in: bindingText) == contract
            else {
                result.refusals.append(
                    "the binding certificate beside \(party)'s signature is not of party \(party) of contract \(contract)")
                continue
            }
            let organisation = Certificates.id("organisation", in: certificateText)
            guard organisation != nil, organisation == Certificates.id("organisation", in: bindingText) else {
                result.refusals.append(
                    """
                    the key that signed for \(party) is of organisation \(organisation ?? "none"), but \(party) is \
                    bound to \(Certificates.id("organisation", in: bindingText) ?? "none")
                    """)
                continue
            }
            guard let key = try? SigningKeys.publicKey(pem: certificateText),
                SigningKeys.isValid(signature, of: bytes, by: key)
            else {
                result.refusals.append(
                    "the signature of \(party) does not verify with the key its certificate names (the statement was altered?)")
                continue
            }
            result.signers.append(
                Signer(
                    party: party, role: Certificates.field("role", in: bindingText) ?? "",
                    member: Certificates.field("member", in: certificateText) ?? "",
                    organisation: Certificates.field("organisation", in: certificateText) ?? "",
                    keyID: SigningKeys.keyID(key)))
        }
        return result
    }
}
