import ArgumentParser
import Foundation
import Crypto
import PFSRegister

struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Make, register and retire the Ed25519 keys parties sign with.",
        subcommands: [Generate.self, Add.self, Revoke.self, List.self])

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a new private key (mode 0600) and its public key beside it (FILE.pub), both PEM.")
        @Option(help: "The member the key is for (said in the hint only; the register's administrator records it).")
        var member: String?
        @Option(help: "The private key file to write; FILE.pub gets the public key.")
        var out: String

        func run() throws {
            let key = try writeNewKey(out)
            print("wrote \(out) (private) and \(out).pub; key \(SigningKeys.keyID(key.publicKey).prefix(16))")
            print(
                """
                the register's administrator records it: pfs key add --member \(member ?? "MEMBER") --public \
                \(out).pub --authority-key AUTHORITY.pem --register R
                """)
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a member's public key in the register, certified by the register's authority.")
        @Option(help: "The member the key belongs to; it acts for the member's organisation only.")
        var member: String
        @Option(name: .customLong("public"), help: "The public key file (PEM).")
        var publicKey: String
        @OptionGroup var authority: AuthorityOptions
        @Option(help: "Why, or on whose request.")
        var comment: String?
        @OptionGroup var options: RegisterOptions

        func validate() throws {
            if let comment { try requirePlainText(comment, option: "--comment") }
        }

        func run() async throws {
            guard let pem = try? String(contentsOfFile: publicKey, encoding: .utf8) else {
                printError("pfs: cannot read \(publicKey)")
                throw ExitCode(ExitStatus.validationFailure)
            }
            let signer = try authority.signer()
            let id = try await usingRegister(options.location()) { register async throws(RegisterError) in
                return try await register.addKey(member: member, publicKeyPEM: pem, authority: signer, comment: comment)
            }
            print("key \(id.prefix(16)) recorded for member \(member), certified by the authority")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Retire a key: signatures made with it from now on are refused; earlier ones stay valid.")
        @Argument(help: "The key id (or its first digits, as `pfs key list` shows).")
        var key: String
        @Option(help: "Why the key is retired.")
        var reason: String
        @OptionGroup var authority: AuthorityOptions
        @OptionGroup var options: RegisterOptions

        func validate() throws { try requirePlainText(reason, option: "--reason") }

        func run() async throws {
            let signer = try authority.signer()
            try await usingRegister(options.location()) { register async throws(RegisterError) in
                try await register.revoke(.key(key), reason: reason, authority: signer)
            }
            print("key \(key) revoked")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the registered keys.")
        @OptionGroup var options: RegisterOptions

        func run() async throws {
            let trust = try await usingRegister(options.location()) { register async throws(RegisterError) in
                try await register.trust()
            }
            for key in trust.keys.values.sorted(by: { $0.added < $1.added }) {
                let holder = key.member.map { "member \($0) of \(key.holder)" } ?? "party \(key.holder) (old model)"
                let state = key.revoked.map { "  revoked at event \($0)" } ?? (trust.chainProblem(key.keyID) == nil ? "" : "  does not act")
                print("\(key.keyID.prefix(16))  \(holder)\(state)")
            }
        }
    }
}

/// Writes a new Ed25519 private key to `path` (mode 0600) and its public key to `path.pub`,
/// never over an existing file.
func writeNewKey(_ path: String) throws -> Curve25519.Signing.PrivateKey {
    let key = SigningKeys.generate()
    let publicPath = path + ".pub"
    for file in [path, publicPath] where FileManager.default.fileExists(atPath: file) {
        printError("pfs: \(file) exists; a key is never overwritten")
        throw ExitCode(ExitStatus.validationFailure)
    }
    guard
        FileManager.default.createFile(
            atPath: path, contents: Data(SigningKeys.pem(key).utf8), attributes: [.posixPermissions: 0o600]),
        FileManager.default.createFile(atPath: publicPath, contents: Data(SigningKeys.pem(key.publicKey).utf8))
    else {
        printError("pfs: cannot write \(path)")
        throw ExitCode(ExitStatus.internalError)
    }
    return key
}

/// `--authority-key`: the register's authority, for the events only it signs.
struct AuthorityOptions: ParsableArguments {
    @Option(help: "The register's authority private key file (PEM), made by `pfs register init`.")
    var authorityKey: String

    func signer() throws -> Signer {
        // The authority's key is the register's root: refused, not warned, when others may read it.
        guard let signer = try loadSigner(authorityKey, strict: true) else { throw ExitCode(ExitStatus.validationFailure) }
        return signer
    }
}
