import ArgumentParser
import Foundation
import PFSRegister

struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Make, register and retire the Ed25519 keys parties sign with.",
        subcommands: [Generate.self, Add.self, Revoke.self, List.self])

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a new private key (mode 0600) and its public key beside it (FILE.pub), both PEM.")
        @Option(help: "The party the key is for (recorded in the file's name only when you choose so).")
        var party: String
        @Option(help: "The private key file to write; FILE.pub gets the public key.")
        var out: String

        func run() throws {
            let key = SigningKeys.generate()
            let publicPath = out + ".pub"
            for path in [out, publicPath] where FileManager.default.fileExists(atPath: path) {
                printError("pfs: \(path) exists; a key is never overwritten")
                throw ExitCode(ExitStatus.validationFailure)
            }
            guard
                FileManager.default.createFile(
                    atPath: out, contents: Data(SigningKeys.pem(key).utf8), attributes: [.posixPermissions: 0o600]),
                FileManager.default.createFile(atPath: publicPath, contents: Data(SigningKeys.pem(key.publicKey).utf8))
            else {
                printError("pfs: cannot write \(out)")
                throw ExitCode(ExitStatus.internalError)
            }
            print(
                """
                wrote \(out) (private, party \(party)) and \(publicPath); key \
                \(SigningKeys.keyID(key.publicKey).prefix(16))
                """)
            print("register it: pfs key add --party \(party) --public \(publicPath) --register R")
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a party's public key in the register.")
        @Option(help: "The party the key belongs to; it signs for no other.")
        var party: String
        @Option(name: .customLong("public"), help: "The public key file (PEM).")
        var publicKey: String
        @Option(help: "Why, or on whose authority.")
        var comment: String?
        @OptionGroup var options: RegisterOptions

        func validate() throws {
            try requirePlainText(party, option: "--party")
            if let comment { try requirePlainText(comment, option: "--comment") }
        }

        func run() async throws {
            guard let pem = try? String(contentsOfFile: publicKey, encoding: .utf8) else {
                printError("pfs: cannot read \(publicKey)")
                throw ExitCode(ExitStatus.validationFailure)
            }
            let location = options.location()
            let id = try await usingRegister(location) { register async throws(RegisterError) in
                return try await register.addKey(party: party, publicKeyPEM: pem, comment: comment)
            }
            print("key \(id.prefix(16)) recorded for party \(party)")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Retire a key: signatures made with it from now on are refused.")
        @Argument(help: "The key id (or its first digits, as `pfs key list` shows).")
        var key: String
        @Option(help: "Why the key is retired.")
        var reason: String
        @OptionGroup var options: RegisterOptions

        func validate() throws { try requirePlainText(reason, option: "--reason") }

        func run() async throws {
            let location = options.location()
            try await usingRegister(location) { register async throws(RegisterError) in
                try await register.revokeKey(keyID: key, reason: reason)
            }
            print("key \(key) revoked")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the registered keys.")
        @OptionGroup var options: RegisterOptions

        func run() async throws {
            let location = options.location()
            let keys = try await usingRegister(location) { register async throws(RegisterError) in
                return try await register.keys()
            }
            for key in keys { print("\(key.keyID.prefix(16))  \(key.party)\(key.revoked ? "  revoked" : "")") }
        }
    }
}
