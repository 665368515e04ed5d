import Crypto
import Foundation
import HummingbirdBcrypt
import HummingbirdOTP
import PFSRegister

/// Passwords, second-factor codes and the random tokens of sessions and invitations.
enum Credentials {
    /// The shortest password the portal accepts (NIST SP 800-63B asks at least 8; a
    /// settlement's signers get more).
    static let minimumPasswordLength = 12

    /// A bcrypt hash of `password` (cost 12; tests pass a lower one).
    static func hash(_ password: String, cost: UInt8) -> String { Bcrypt.hash(password, cost: cost) }

    static func verify(_ password: String, hash: String) -> Bool { Bcrypt.verify(password, hash: hash) }

    /// A bcrypt hash of nothing anyone types, checked when the account does not exist, so a
    /// refusal takes as long whether or not the name is known.
    static let decoyHash = Bcrypt.hash(randomToken(), cost: 4)

    /// 256 random bits, URL-safe base64 without padding.
    static func randomToken() -> String {
        let key = SymmetricKey(size: .bits256)
        return key.withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// What the database keeps of a token: its SHA-256, so a copy of the database opens no session.
    static func digest(_ token: String) -> String { sha256Hex(Array(token.utf8)) }

    /// A TOTP secret: 20 random characters from the base-32 alphabet (the key is their bytes,
    /// as HummingbirdOTP takes it).
    static func newTOTPSecret() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var generator = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))] })
    }

    /// Whether `code` is the secret's code now, or one time step before or after (clocks drift).
    static func isValidCode(_ code: String, secret: String, at date: Date) -> Bool {
        let digits = code.filter { !$0.isWhitespace }
        guard digits.count == 6, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let value = Int(digits)
        else { return false }
        let totp = TOTP(secret: secret)
        return [-30.0, 0, 30].contains { totp.compute(date: date.addingTimeInterval($0)) == value }
    }

    /// The otpauth:// address an authenticator app reads (as a QR code or typed in).
    static func authenticatorURL(secret: String, account: String) -> String {
        TOTP(secret: secret).createAuthenticatorURL(label: account, issuer: "pfs")
    }

    /// Compares two texts in time that does not depend on where they differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
