import Foundation
import PFS
import PFSLedger
import PFSModel
import PFSEvaluator
import PFSOutput
import PFSRegister
import PFSStatements
import PFSTestSupport
import SQLKit
import Testing

/// The register's commands against tampering and forged text (issue 28, items 10 and 12).
@Suite(.serialized) struct RegisterCommandDefects {
    /// `replace()` on a blob column turns it into text: verify crashed with a DecodingError
    /// and a dump; now it is a finding, one line, exit 1.
    /// The authority a test's folder made with `register init`.
    static func authority(in folder: URL) throws -> Signer {
        try Signer(pem: String(contentsOfFile: folder.path + "/authority.key", encoding: .utf8))
    }

    @Test func settlementJSONEditedAsTextIsAFindingNotACrash() async throws {
        let (folder, register) = try await IssueOutputDefects.issued(.sqlite)
        let opened = try await Register.open(RegisterLocation.parse(register))
        let lifted = try await RegisterTampering.liftTriggers("settlement_runs", opened)
        try await opened.store.sql.raw(
            "UPDATE settlement_runs SET settlement_json = replace(settlement_json, '\"18\"', '\"19\"')"
        ).run()
        await opened.close()
        let verify = try LostDataDefects.run(["register", "verify", "--register", register], in: folder, expect: 1)
        let authority = try Self.authority(in: folder)
        #expect(
            verify.standardOutput == """
                \(register): settlement_runs row 1: its settlement_json holds text where pfs writes bytes: it was edited
                \(register): settlement_runs row 1: the settlement's JSON is not the one recorded
                \(register): \(lifted[0])
                \(register): \(lifted[1])
                \(register): authority \(authority.fingerprint)
                \(register): NOT intact: 4 findings

                """, "\(verify.standardOutput)")
        #expect(verify.standardError.isEmpty)
    }

    @Test(arguments: [
        (["paid", "m.xml", "--key", "finance.key", "--year", "2024", "--payer", "maebashi", "--payee", "provider", "--amount", "18",
          "--date", "2025-06-30", "--reference", "TR-1\nmaebashi-profit-share FY2024 paid"], "--reference"),
        (["review", "m.xml", "--year", "2024", "--key", "evaluator.key", "--reject", "bad\u{1B}[2K"], "--reject"),
        (["review", "m.xml", "--year", "2024", "--key", "evaluator.key", "--comment", "ok\u{202E}dias"], "--comment"),
        (["register", "organisation", "add", "evil", "--kind", "provider", "--name-ja", "evil\nkey 0000 maebashi",
          "--name-en", "Evil", "--authority-key", "a.key"], "--name-ja"),
        (["register", "member", "add", "m", "--organisation", "o", "--name-ja", "m", "--name-en", "M\u{2067}",
          "--authority-key", "a.key"], "--name-en"),
        (["key", "revoke", "0000", "--reason", "lost\r", "--authority-key", "a.key"], "--reason"),
        (["settle", "m.xml", "--year", "2024", "--correction", "a\u{85}b"], "--correction"),
    ])
    func controlAndBidiCharactersAreRefusedAtInput(_ arguments: [String], _ option: String) throws {
        let folder = try LostDataDefects.folder()
        let run = try LostDataDefects.run(arguments + ["--register", "r.sqlite"], in: folder, expect: 64)
        #expect(
            run.standardError.contains("\(option) holds a control or text-direction character (U+"),
            "\(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/r.sqlite"))
    }

    /// The register itself refuses such text, whatever calls it (a future web page too).
    @Test func theRegisterRefusesForgedTextFromAnyCaller() async throws {
        let (register, keys) = try await registerWithKeys(.sqlite)
        defer { Task { await register.close() } }
        let input = try contractInput("maebashi-profit-share.xml")
        try await recordYear(register, input, year: 2024, keys: keys)
        let message = await refusal {
            try await register.review(input, year: 2024, signer: keys.evaluator, reject: "no\nmaebashi approved")
        }
        #expect(message == "the comment holds a control or text-direction character (U+000A): write it as plain text on one line")
    }
}

/// `portfolio --register` after a correction (issue 28, item 11): only the years whose
/// money differs are warned about; before, every other year was too (its settlement's bytes
/// carry the contract's new digest), with advice that `settle` then refused.
@Suite(.serialized) struct LedgerWarnings {
    @Test func onlyYearsWhoseFiguresDifferAreWarnedAbout() async throws {
        let (register, keys) = try await registerWithKeys(.sqlite)
        defer { Task { await register.close() } }
        let issued = try Adjustments.input(Adjustments.contract(actuals: [2020: 900, 2021: 800]))
        try await Adjustments.issue([2020, 2021], of: issued, in: register, keys: keys)
        let corrected = try Adjustments.input(Adjustments.contract(actuals: [2020: 900, 2021: 850]))
        let held = try #require(try await register.ledgerRecords()["corrected"])
        let ledger = try Ledger.rows(Adjustments.history(corrected), recorded: held)
        #expect(ledger.diagnostics.count == 1)
        #expect(
            ledger.diagnostics.first?.message.hasPrefix("FY2021 of contract 'corrected' is paid in the register") == true,
            "\(ledger.diagnostics.map(\.message))")
    }
}

/// `pfs status` checks what it shows and answers for a contract file (issue 28, items 10
/// and 25).
@Suite(.serialized) struct StatusDefects {
    @Test func aTamperedRegisterIsSaidSoBeforeItsFigures() async throws {
        let (folder, register) = try await IssueOutputDefects.issued(.sqlite)
        let opened = try await Register.open(RegisterLocation.parse(register))
        try await RegisterTampering.liftTriggers("events", opened)
        try await opened.store.sql.raw(
            #"UPDATE events SET payload = replace(payload, '"amount":"18"', '"amount":"180"')"#
        ).run()
        await opened.close()
        let status = try LostDataDefects.run(["status", "--register", register], in: folder, expect: 1)
        #expect(
            status.standardOutput.hasPrefix(
                "WARNING: the register does not verify (4 findings; first: event 12 (settled): its fields do not give its hash: the event was edited): what follows may not be what pfs recorded; `pfs register verify` lists them\n"
            ), "\(status.standardOutput)")
    }

    @Test func statusTakesTheContractFileAndShowsTheStatementsDigest() async throws {
        let (folder, register) = try await IssueOutputDefects.issued(.sqlite)
        let status = try LostDataDefects.run(["status", "m.xml", "--register", register], in: folder, expect: 0)
        let input = try ContractInput.load(path: folder.appendingPathComponent("m.xml").path).get()
        #expect(
            status.standardOutput.hasPrefix(
                "contract maebashi-profit-share\n  FY2024  issued  (run 1, contract digest \(input.digest.prefix(12))…)\n"),
            "\(status.standardOutput)")
    }

    @Test func aYearWithNothingDueSaysSo() async throws {
        let (register, keys) = try await registerWithKeys(.sqlite)
        defer { Task { await register.close() } }
        let input = try Adjustments.input(Adjustments.contract(actuals: [2020: 1000]))
        try await Adjustments.issue([2020], of: input, in: register, keys: keys)
        let text = try await register.status().text
        #expect(text.contains("\n  FY2020  issued, nothing due  (run 1, contract digest "), "\(text)")
    }
}

/// A PostgreSQL password as libpq users give it, and a wrong one (issue 28, item 13).
@Suite(.serialized, .enabled(if: Backend.postgresTested)) struct PostgresPasswords {
    /// A fresh database's URL with its password taken out, and the password.
    static func withoutPassword() async throws -> (url: String, password: String) {
        guard case .postgres(let url) = try await Backend.postgres.freshLocation(),
            var components = URLComponents(string: url), let password = components.password
        else { throw TestDatabaseError.noServer }
        components.password = nil
        return (try #require(components.string), password)
    }

    @Test func aPasswordFromPGPASSWORDPgpassOrAFileIsUsed() async throws {
        let folder = try TemporaryFolder.make()
        let (url, password) = try await Self.withoutPassword()
        let pgpass = folder.appendingPathComponent("pgpass")
        try "# host:port:database:user:password\n*:*:*:*:\(password)\n".write(
            to: pgpass, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: pgpass.path)
        try "\(password)\n".write(to: folder.appendingPathComponent("secret"), atomically: false, encoding: .utf8)
        let noFile = ["PGPASSFILE": folder.path + "/none", "PGPASSWORD": ""]
        _ = try LostDataDefects.run(
            ["register", "init", "--authority-key", "authority.key", "--register", url], in: folder,
            environment: ["PGPASSWORD": password, "PGPASSFILE": folder.path + "/none"], expect: 0)
        _ = try LostDataDefects.run(
            ["register", "verify", "--register", url], in: folder, environment: ["PGPASSFILE": pgpass.path, "PGPASSWORD": ""],
            expect: 0)
        _ = try LostDataDefects.run(
            ["register", "verify", "--register", url, "--password-file", "secret"], in: folder, environment: noFile,
            expect: 0)
        // A password file others may read is ignored, as libpq ignores it.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: pgpass.path)
        let ignored = try LostDataDefects.run(
            ["register", "verify", "--register", url], in: folder, environment: ["PGPASSFILE": pgpass.path, "PGPASSWORD": ""],
            expect: 1)
        #expect(ignored.standardError.contains("it asks for a password and none was given"), "\(ignored.standardError)")
    }

    @Test func aWrongPasswordIsTheUsersToCorrectNotAnInternalError() async throws {
        let folder = try TemporaryFolder.make()
        let (url, _) = try await Self.withoutPassword()
        let wrong = try LostDataDefects.run(
            ["register", "verify", "--register", url], in: folder,
            environment: ["PGPASSWORD": "not-the-password", "PGPASSFILE": folder.path + "/none"], expect: 1)
        #expect(
            wrong.standardError.hasPrefix("pfs: PostgreSQL at \(url) refused user 'pfs': "), "\(wrong.standardError)")
        #expect(wrong.standardError.contains("give the password in PGPASSWORD, ~/.pgpass (mode 0600) or --password-file FILE"))
        #expect(!wrong.standardError.contains("not-the-password"))
    }
}

/// Values accepted although wrong (issue 28, item 14).
@Suite(.serialized) struct AcceptedAlthoughWrong {
    @Test(arguments: ["-0", "-0.00"])
    func negativeZeroIsNotADecimal(_ text: String) {
        #expect(ExactDecimal.parse(text) == .failure(.negativeZero))
        #expect(DecimalSyntaxError.negativeZero.explanation == "zero has no sign: write 0")
    }

    @Test func aPaymentDatedBeforeItsYearOrInTheFutureIsRefused() async throws {
        let (folder, register) = try await IssueOutputDefects.issued(.sqlite)
        let paid = ["paid", "m.xml", "--key", "finance.key", "--year", "2024", "--payer", "maebashi", "--payee", "provider", "--amount", "18",
            "--reference", "TR-1", "--register", register]
        let early = try LostDataDefects.run(paid + ["--date", "1900-01-01"], in: folder, expect: 1)
        #expect(
            early.standardError
                == "pfs: --date 1900-01-01 is before FY2024 began (2024-04-01): a payment is recorded with the day it was made\n"
        )
        let late = try LostDataDefects.run(paid + ["--date", "9999-12-31"], in: folder, expect: 1)
        #expect(late.standardError.hasPrefix("pfs: --date 9999-12-31 is after today ("), "\(late.standardError)")
        let zero = try LostDataDefects.run(
            ["paid", "m.xml", "--key", "finance.key", "--year", "2024", "--payer", "maebashi", "--payee", "provider", "--amount=-0",
             "--date", "2025-06-30", "--reference", "TR-1", "--register", register], in: folder, expect: 64)
        #expect(
            zero.standardError
                == "pfs: --amount -0 is not a decimal written plainly (e.g. 18 or 1234.5): zero has no sign: write 0\n")
        _ = try LostDataDefects.run(paid + ["--date", "2025-06-30"], in: folder, expect: 0)
    }

    @Test func aKeyFileOthersMayReadIsWarnedAboutAndRefusedWhenStrict() async throws {
        let (folder, register) = try await IssueOutputDefects.issued(.sqlite)
        try FileManager.default.setAttributes(
            [.posixPermissions: 0o644], ofItemAtPath: folder.path + "/finance.key")
        let paid = ["paid", "m.xml", "--year", "2024", "--payer", "maebashi", "--payee", "provider", "--amount", "18",
            "--date", "2025-06-30", "--reference", "TR-1", "--key", "finance.key", "--register", register]
        let strict = try LostDataDefects.run(paid + ["--strict"], in: folder, expect: 1)
        #expect(
            strict.standardError
                == "pfs: the key file finance.key may be read by others (mode 644); run `chmod 600 finance.key`\n")
        let warned = try LostDataDefects.run(paid, in: folder, expect: 0)
        #expect(
            warned.standardError
                == "pfs: warning: the key file finance.key may be read by others (mode 644); run `chmod 600 finance.key`\n")
    }
}

/// What `register` and `key` say of their default register: they name no contract, so it is
/// the current folder's pfs.sqlite (issue 28, item 25).
@Suite struct RegisterHelp {
    @Test(arguments: [["key", "list", "--help"], ["register", "verify", "--help"], ["status", "--help"]])
    func theDefaultRegisterIsDescribedAsItIsFound(_ arguments: [String]) throws {
        let run = try CommandRun.pfs(arguments)
        #expect(run.status == 0)
        let flat = run.standardOutput.replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)
        #expect(
            flat.contains(
                "Default: $PFS_REGISTER, else pfs.sqlite beside the contract file (in the current folder for a command that names no contract file)."
            ), "\(run.standardOutput)")
    }
}

/// A build without the `PostgreSQL` trait (the README's first command) opens SQLite
/// registers only, and says what to do of a PostgreSQL one (CI builds with the trait).
@Suite(.enabled(if: !RegisterStore.postgreSQLBuiltIn)) struct PostgresNotBuilt {
    @Test func aPostgresRegisterNeedsTheTrait() throws {
        let folder = try TemporaryFolder.make()
        let run = try CommandRun.pfs(
            ["register", "verify", "--register", "postgres://pfs:secret@127.0.0.1:5432/pfs"], in: folder.path)
        #expect(run.status == 1)
        #expect(
            run.standardError == """
                pfs: postgres://pfs:***@127.0.0.1:5432/pfs is a PostgreSQL register, and this pfs was built without \
                PostgreSQL; build it with `swift build --traits PostgreSQL` (as README.md's Install does), or use an \
                SQLite file

                """)
    }
}

/// A password file that cannot be read stops the command before it connects (item 13).
@Suite struct PasswordFiles {
    @Test func anUnreadablePasswordFileIsAUsageError() throws {
        let folder = try TemporaryFolder.make()
        let run = try CommandRun.pfs(
            ["register", "verify", "--register", "postgres://pfs@127.0.0.1/none", "--password-file", "missing"],
            in: folder.path)
        #expect(run.status == 64)
        #expect(
            run.standardError.contains("cannot read a password from missing (its first line is the password)"),
            "\(run.standardError)")
    }
}
