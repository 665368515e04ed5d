import Crypto
import Foundation
import SQLKit

/// What `pfs verify STATEMENT --register R` found about a statement file.
public struct IssuedCheck: Sendable {
    /// What holds, in words (who signed, which year, which contract version).
    public var confirmations: [String] = []
    /// Why the statement cannot be trusted as issued; empty when it can.
    public var refusals: [String] = []
}

extension Register {
    /// Checks a statement file against the register: that these exact bytes were issued,
    /// that `contractSHA256` is the contract version the year was settled from, that the
    /// register's signatures on it verify, and that each detached signature file given
    /// (`party` from its name) verifies with a key registered for that party, not revoked.
    public func checkIssued(
        _ bytes: [UInt8], contractSHA256: String?, signatureFiles: [(party: String, signature: [UInt8])]
    ) async throws(RegisterError) -> IssuedCheck {
        try await read { db in
            var check = IssuedCheck()
            let sha = sha256Hex(bytes)
            let places = try await db.statementPlaces(sha256: sha)
            guard !places.isEmpty else {
                check.refusals.append(
                    """
                    these bytes (SHA-256 \(sha.prefix(16))…) are not a statement the register holds: altered \
                    after issue, or never recorded
                    """)
                return check
            }
            let issuedRuns = Set(
                try await db.events([.issued]).compactMap { EventPayload.decode(RunPayload.self, from: $0.payload)?.run })
            guard let place = places.last(where: { issuedRuns.contains($0.run) }) else {
                check.refusals.append("this statement was recorded but never issued")
                return check
            }
            let (contract, year, settledFrom) = (place.contract, place.year, place.contractSHA256)
            check.confirmations.append("issued: contract '\(contract)' FY\(year), statement SHA-256 \(sha.prefix(16))…")
            if let contractSHA256 {
                if contractSHA256 == settledFrom {
                    check.confirmations.append("the contract file is the version the year was settled from")
                } else {
                    check.refusals.append(
                        """
                        the contract file (SHA-256 \(contractSHA256.prefix(16))…) is not the version FY\(year) \
                        was settled from (\(settledFrom.prefix(16))…)
                        """)
                }
            }
            let trust = try await self.trust(in: db)
            var keys: [(keyID: String, publicKey: Curve25519.Signing.PublicKey)] = []
            for key in try await db.signingKeys() {
                guard let publicKey = try? SigningKeys.publicKey(pem: key.publicKeyPEM) else { continue }
                keys.append((key.keyID, publicKey))
            }
            /// Who a key is, in words, and since when it is revoked.
            func who(_ keyID: String) -> String {
                guard let key = trust.keys[keyID] else { return "key \(keyID.prefix(16))" }
                guard let member = key.member.flatMap({ trust.members[$0] }) else {
                    return "key \(keyID.prefix(16)) (registered before organisations)"
                }
                let organisation = trust.organisations[member.organisation]
                return """
                    member \(member.id) (\(member.nameEn)) of \(member.organisation) \
                    (\(organisation?.nameEn ?? "")), key \(keyID.prefix(16))
                    """
            }
            func revokedSince(_ keyID: String) -> Int? {
                let key = trust.keys[keyID]
                return [key?.revoked, key?.member.flatMap { trust.members[$0]?.revoked },
                    key.flatMap { trust.organisations[$0.holder]?.revoked }].compactMap { $0 }.min()
            }
            for signature in try await db.signatures(ofStatement: place.id) {
                let (keyID, party, seq) = (signature.keyID, signature.party, signature.seq)
                let raw = Data(base64Encoded: signature.signature) ?? Data()
                guard let key = keys.first(where: { $0.keyID == keyID }),
                    SigningKeys.isValid(Array(raw), of: bytes, by: key.publicKey)
                else {
                    check.refusals.append("the register's signature by \(party) does not verify over these bytes")
                    continue
                }
                if let revoked = revokedSince(keyID), revoked < seq {
                    check.refusals.append("signed by \(who(keyID)) for \(party) after it was revoked (event \(revoked))")
                    continue
                }
                let since = revokedSince(keyID).map { "; revoked since (event \($0)): signatures made before stay valid" }
                check.confirmations.append(
                    """
                    signed by \(who(keyID)) for party \(party) (\(signature.role))\
                    \(since ?? "")
                    """)
            }
            for file in signatureFiles {
                let matching = keys.filter { SigningKeys.isValid(file.signature, of: bytes, by: $0.publicKey) }
                let boundTo = trust.bindings.filter { $0.contract == contract && $0.party == file.party }.map(\.organisation)
                if let key = matching.first(where: {
                    trust.keys[$0.keyID].map { boundTo.contains($0.holder) || $0.holder == file.party } ?? false
                }) {
                    let since = revokedSince(key.keyID).map { "; revoked since (event \($0))" }
                    check.confirmations.append(
                        "signature file of \(file.party) verifies: \(who(key.keyID))\(since ?? "")")
                } else if let other = matching.first {
                    check.refusals.append(
                        """
                        the signature file named for \(file.party) was made by \(who(other.keyID)), which does not \
                        act for \(file.party): a signature by the wrong party
                        """)
                } else {
                    check.refusals.append(
                        """
                        the signature file of \(file.party) does not verify with any key registered for \
                        \(file.party) (unknown key, or the statement was altered)
                        """)
                }
            }
            return check
        }
    }
}
