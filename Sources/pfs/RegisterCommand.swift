import ArgumentParser
import Foundation
import PFSRegister

struct RegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Create, check, export and import a settlement register.",
        subcommands: [
            Init.self, OrganisationCommand.self, MemberCommand.self, Bind.self, Revoke.self, VerifyRegister.self,
            Export.self, Import.self, Adopt.self, Upgrade.self,
        ])

    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an empty register and its authority key.",
            discussion:
                """
                The authority key signs every organisation, member, key and binding of the register. Keep it \
                offline (a USB key in a safe), and keep its fingerprint where parties can compare it: it is printed \
                on every issued statement's certificates.
                """)
        @Option(help: "Where to write the new authority private key (mode 0600); FILE.pub gets its public key.")
        var authorityKey: String
        @OptionGroup var options: RegisterOptions

        func run() async throws {
            let location = options.location()
            if case .sqlite(let path) = location, FileManager.default.fileExists(atPath: path) {
                printError("pfs: \(RegisterError.exists(location.description))")
                throw ExitCode(ExitStatus.validationFailure)
            }
            _ = try writeNewKey(authorityKey)
            guard let authority = try loadSigner(authorityKey, strict: true) else { return }
            let register: Register
            do {
                register = try await withRegister { () async throws(RegisterError) in
                    try await Register.create(location, authority: authority)
                }
            } catch {
                // No register, no authority: the key files made for it go too.
                unlink(authorityKey)
                unlink(authorityKey + ".pub")
                throw error
            }
            await register.close()
            print("created register \(location) (\(register.store.backend.rawValue))")
            print("authority key \(authorityKey) (keep it offline), public \(authorityKey).pub")
            print("authority fingerprint (SHA-256 of the public key, as OpenSSL prints it): \(authority.fingerprint)")
        }
    }

    struct Upgrade: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give a register made before organisations an authority, and bind its contracts' parties.",
            discussion:
                """
                Nothing already recorded is re-signed: the events before the upgrade stay as they were, made under \
                the old model, and `pfs register verify` says so. Keys registered for a party before the upgrade no \
                longer act; members get keys of their own (`pfs key add --member`).
                """)
        @Option(help: "Where to write the new authority private key (mode 0600); FILE.pub gets its public key.")
        var authorityKey: String
        @Option(
            help: ArgumentHelp(
                """
                A CSV file with a header line and lines contract,party,organisation,kind,name_ja,name_en: the \
                organisation each recorded contract's party is (organisations are recorded on first mention).
                """, valueName: "FILE"))
        var bindings: String?
        @OptionGroup var options: RegisterOptions

        func run() async throws {
            var mappings: [PartyMapping] = []
            if let bindings {
                guard let text = try? String(contentsOfFile: bindings, encoding: .utf8) else {
                    printError("pfs: cannot read \(bindings)")
                    throw ExitCode(ExitStatus.validationFailure)
                }
                switch PartyMapping.parse(text) {
                case .success(let parsed): mappings = parsed
                case .failure(let error):
                    printError("pfs: \(bindings): \(error)")
                    throw ExitCode(ExitStatus.validationFailure)
                }
            }
            _ = try writeNewKey(authorityKey)
            guard let authority = try loadSigner(authorityKey, strict: true) else { return }
            let location = options.location()
            let through: Int
            do {
                through = try await usingRegister(location) { register async throws(RegisterError) in
                    try await register.upgrade(authority: authority, mappings: mappings)
                }
            } catch {
                unlink(authorityKey)
                unlink(authorityKey + ".pub")
                throw error
            }
            print("upgraded \(location): events 1–\(through) were made under the old model and stay as they were")
            print("authority key \(authorityKey) (keep it offline), public \(authorityKey).pub")
            print("authority fingerprint (SHA-256 of the public key, as OpenSSL prints it): \(authority.fingerprint)")
            if !mappings.isEmpty { print("\(mappings.count) parties bound to their organisations") }
        }
    }

    struct OrganisationCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "organisation", abstract: "Record and list the organisations that act in the register.",
            subcommands: [Add.self, List.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Record an organisation (signed by the authority).")
            @Argument(help: "Its id (letters, digits, '.', '_', '-').")
            var id: String
            @Option(help: "public-body, provider, evaluation-firm, investor or intermediary.")
            var kind: String
            @Option(help: "Its name in Japanese.")
            var nameJa: String
            @Option(help: "Its name in English.")
            var nameEn: String
            @OptionGroup var authority: AuthorityOptions
            @OptionGroup var options: RegisterOptions

            func validate() throws {
                guard OrganisationKind(rawValue: kind) != nil else {
                    throw ValidationError(
                        "--kind \(kind.printable()) is not one of "
                            + OrganisationKind.allCases.map(\.rawValue).joined(separator: ", "))
                }
                try requirePlainText(nameJa, option: "--name-ja")
                try requirePlainText(nameEn, option: "--name-en")
            }

            func run() async throws {
                let signer = try authority.signer()
                let kind = OrganisationKind(rawValue: kind) ?? .provider
                try await usingRegister(options.location()) { register async throws(RegisterError) in
                    try await register.addOrganisation(id, kind: kind, nameJa: nameJa, nameEn: nameEn, authority: signer)
                }
                print("organisation \(id) recorded")
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "List the organisations, their members and keys, and the contract parties bound to them.")
            @OptionGroup var options: RegisterOptions

            func run() async throws {
                let trust = try await usingRegister(options.location()) { register async throws(RegisterError) in
                    try await register.trust()
                }
                if let authority = trust.authority { print("authority \(authority.fingerprint)") }
                for organisation in trust.organisations.values.sorted(by: { $0.added < $1.added }) {
                    let revoked = organisation.revoked.map { "  revoked at event \($0)" } ?? ""
                    print(
                        "\(organisation.id)  \(organisation.kind.rawValue)  \(organisation.nameJa) / \(organisation.nameEn)\(revoked)")
                    for member in trust.members.values.filter({ $0.organisation == organisation.id }).sorted(by: { $0.added < $1.added }) {
                        print("  member \(member.id)  \(member.nameJa) / \(member.nameEn)\(member.revoked.map { "  revoked at event \($0)" } ?? "")")
                        for key in trust.keys.values.filter({ $0.member == member.id }).sorted(by: { $0.added < $1.added }) {
                            print("    key \(key.keyID.prefix(16))\(key.revoked.map { "  revoked at event \($0)" } ?? "")")
                        }
                    }
                    for binding in trust.bindings where binding.organisation == organisation.id && binding.revoked == nil {
                        print("  party \(binding.party) (\(binding.role)) of contract \(binding.contract)")
                    }
                }
            }
        }
    }

    struct MemberCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "member", abstract: "Record a person acting for an organisation.", subcommands: [Add.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Record a member (signed by the authority).")
            @Argument(help: "The member's id (letters, digits, '.', '_', '-').")
            var id: String
            @Option(help: "The organisation they act for.")
            var organisation: String
            @Option(help: "Their name in Japanese.")
            var nameJa: String
            @Option(help: "Their name in English.")
            var nameEn: String
            @OptionGroup var authority: AuthorityOptions
            @OptionGroup var options: RegisterOptions

            func validate() throws {
                try requirePlainText(nameJa, option: "--name-ja")
                try requirePlainText(nameEn, option: "--name-en")
            }

            func run() async throws {
                let signer = try authority.signer()
                try await usingRegister(options.location()) { register async throws(RegisterError) in
                    try await register.addMember(
                        id, organisation: organisation, nameJa: nameJa, nameEn: nameEn, authority: signer)
                }
                print("member \(id) of \(organisation) recorded")
            }
        }
    }

    struct Bind: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bind a contract's parties to organisations (signed by the authority).",
            discussion:
                """
                A member's key acts for a contract's party only through the member's organisation being bound to \
                that party, and only in the role the contract gives it. Every party must be bound before the \
                contract's first year is settled.
                """)
        @Argument(help: "The contract XML file.")
        var file: String
        @Option(help: "PARTY=ORGANISATION. Repeat for each party.")
        var party: [String]
        @OptionGroup var authority: AuthorityOptions
        @OptionGroup var options: RegisterOptions

        func validate() throws {
            for pair in party where pair.split(separator: "=").count != 2 {
                throw ValidationError("--party \(pair.printable()) is not PARTY=ORGANISATION")
            }
        }

        func run() async throws {
            let input = try loadContract(file)
            let signer = try authority.signer()
            for pair in party {
                let parts = pair.split(separator: "=").map(String.init)
                try await usingRegister(options.location(besides: file)) { register async throws(RegisterError) in
                    try await register.bind(input.contract, party: parts[0], organisation: parts[1], authority: signer)
                }
                print("party \(parts[0]) of \(input.contract.id) bound to organisation \(parts[1])")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Retire a member, an organisation or a binding (signed by the authority).",
            discussion: "What it signed before stays valid; from now on it acts no more. Keys: `pfs key revoke`.")
        @Option(help: "A member id.")
        var member: String?
        @Option(help: "An organisation id.")
        var organisation: String?
        @Option(help: "CONTRACT/PARTY: a party's binding to its organisation.")
        var binding: String?
        @Option(help: "Why.")
        var reason: String
        @OptionGroup var authority: AuthorityOptions
        @OptionGroup var options: RegisterOptions

        func validate() throws {
            guard [member, organisation, binding].compactMap({ $0 }).count == 1 else {
                throw ValidationError("give one of --member, --organisation, --binding")
            }
            if let binding, binding.split(separator: "/").count != 2 {
                throw ValidationError("--binding \(binding.printable()) is not CONTRACT/PARTY")
            }
            try requirePlainText(reason, option: "--reason")
        }

        func run() async throws {
            let signer = try authority.signer()
            let subject: Revocable
            if let member {
                subject = .member(member)
            } else if let organisation {
                subject = .organisation(organisation)
            } else {
                let parts = (binding ?? "").split(separator: "/").map(String.init)
                subject = .binding(contract: parts[0], party: parts[1])
            }
            try await usingRegister(options.location()) { register async throws(RegisterError) in
                try await register.revoke(subject, reason: reason, authority: signer)
            }
            print("revoked")
        }
    }

    struct VerifyRegister: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Check that the history is whole: every hash, link, signature and recorded row.",
            discussion: "Exit status 0 when nothing was changed behind pfs's back, 1 otherwise.")
        @OptionGroup var options: RegisterOptions

        func run() async throws {
            let location = options.location()
            let (events, findings, head, trust) = try await usingRegister(location) { register async throws(RegisterError) in
                let (events, findings) = try await register.verify()
                return (events, findings, try await register.head(), try await register.trust())
            }
            for finding in findings { print("\(location): \(finding)") }
            if let authority = trust.authority {
                print("\(location): authority \(authority.fingerprint)")
            } else {
                print("\(location): no authority: made before organisations; upgrade it with `pfs register upgrade`")
            }
            if trust.oldModelThrough > 0 {
                print(
                    """
                    \(location): events 1–\(trust.oldModelThrough) were made under the old model (before organisations \
                    and the authority): their signatures are checked against the keys then registered for a party, and \
                    no authority vouches for those keys
                    """)
            }
            if findings.isEmpty {
                print("\(location): \(events) events, history intact")
                // Kept elsewhere, the head shows later that no newest events were cut off.
                if let head { print("  head: event \(head.seq), hash \(head.hash)") }
            } else {
                print("\(location): NOT intact: \(findings.count) finding\(findings.count == 1 ? "" : "s")")
                throw ExitCode(ExitStatus.validationFailure)
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write every row of the register as JSON Lines (standard output), for backup and audit.")
        @OptionGroup var options: RegisterOptions

        func run() async throws {
            let location = options.location()
            try await usingRegister(location) { register async throws(RegisterError) in
                try await register.export { print($0) }
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a new register from an export; kept only when it verifies.")
        @Argument(help: "A file written by `pfs register export`.")
        var file: String
        @OptionGroup var options: RegisterOptions

        func run() async throws {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                printError("pfs: cannot read \(file)")
                throw ExitCode(ExitStatus.validationFailure)
            }
            let location = options.location()
            let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
            let rows = try await withRegister { () async throws(RegisterError) in
                try await Register.importing(lines, into: location)
            }
            print("imported \(rows) rows into \(location); history intact")
        }
    }

    struct Adopt: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record statements an earlier pfs wrote to a folder as a settled year, once they verify.",
            discussion:
                """
                The folder's JSON annual settlement of the year must recompute identically from the contract; \
                every statement file of the year is then recorded with the run, which goes on to review, approval \
                and issue.
                """)
        @Argument(help: "The contract XML file the statements were made from.")
        var file: String
        @Option(help: "The fiscal year.")
        var year: Int
        @Option(help: "The folder the statements were written to (`settle --output DIR`).")
        var from: String
        @Option(help: "Your private key file (PEM): a member of the organisation bound to the public sector.")
        var key: String?
        @Option(help: "The public-sector party adopting them, when your organisation is bound to several.")
        var by: String?
        @OptionGroup var options: RegisterOptions

        func run() async throws {
            let input = try loadContract(file)
            let signer = try loadSigner(key)
            let location = options.location(besides: file)
            let count = try await usingRegister(location) { register async throws(RegisterError) in
                let adopted = try Adoption.statements(in: from, contractPath: file, input: input, year: year)
                try await register.recordSettlement(
                    input, settlement: adopted.settlement, settlementJSON: adopted.json, statements: adopted.statements,
                    signer: signer, party: by, comment: "adopted from \(from)")
                return adopted.statements.count
            }
            print("\(input.contract.id) FY\(year) settled: \(count) statements adopted from \(from) into \(location)")
        }
    }
}
