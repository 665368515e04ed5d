import ArgumentParser
import Foundation
import PFS
import PFSModel
import PFSRegister

/// `--register`: an SQLite file or a `postgres://` URL (else `PFS_REGISTER`, else
/// `pfs.sqlite` beside the contract).
struct RegisterOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            """
            The register: an SQLite file, or a postgres:// URL. Default: $PFS_REGISTER, else pfs.sqlite beside \
            the contract file (in the current folder for a command that names no contract file).
            """,
            valueName: "PATH|URL"))
    var register: String?

    @Option(
        help: ArgumentHelp(
            """
            For a postgres:// register whose URL has no password: read it from the first line of FILE \
            (else $PGPASSWORD, else ~/.pgpass, as psql does).
            """, valueName: "FILE"))
    var passwordFile: String?

    /// Puts `--password-file`'s password where the register's connection looks first
    /// (`PGPASSWORD`), before the command runs, so it never appears on a command line or in
    /// shell history; an unreadable file is a usage error.
    func validate() throws {
        guard let passwordFile else { return }
        guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8),
            let line = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).first,
            !line.isEmpty
        else {
            throw ValidationError("cannot read a password from \(passwordFile) (its first line is the password)")
        }
        setenv("PGPASSWORD", String(line), 1)
    }

    func location(besides file: String? = nil) -> RegisterLocation {
        let folder = file.map { ($0 as NSString).deletingLastPathComponent } ?? "."
        return RegisterLocation.resolve(register, environment: ProcessInfo.processInfo.environment, folder: folder)
    }

    /// The register named by `--register` or `PFS_REGISTER`, or nil.
    func named(besides file: String) -> RegisterLocation? {
        let environment = ProcessInfo.processInfo.environment["PFS_REGISTER"] ?? ""
        return register == nil && environment.isEmpty ? nil : location(besides: file)
    }

    /// The register a command that works without one must still honour: `--register` or
    /// `PFS_REGISTER` when given, else `pfs.sqlite` beside the contract when it exists; nil
    /// when there is none.
    func existing(besides file: String) -> RegisterLocation? {
        if let named = named(besides: file) { return named }
        let beside = location(besides: file)
        guard case .sqlite(let path) = beside, FileManager.default.fileExists(atPath: path) else { return nil }
        return beside
    }
}

/// Runs a register command: a refusal or an unusable input is exit 1, a database that
/// cannot be reached or used is exit 70; the message says why and what to do.
func withRegister<T>(_ body: () async throws(RegisterError) -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        printError("pfs: \(error)")
        switch error {
        case .database: throw ExitCode(ExitStatus.internalError)
        default: throw ExitCode(ExitStatus.validationFailure)
        }
    }
}

/// Loads a contract for a register command, or prints its diagnostics and stops (exit 1).
func loadContract(_ path: String) throws -> ContractInput {
    try loadContract(checked: PFS.check(path: path, canonical: true), path)
}

/// ``loadContract(_:)`` for a contract already checked, whose check result the command uses too.
func loadContract(checked: PFS.CheckResult, _ path: String) throws -> ContractInput {
    switch ContractInput.load(checked: checked, fileName: PFS.lastPathComponent(path)) {
    case .success(let input): return input
    case .failure(let problems):
        printDiagnostics(problems.diagnostics)
        throw ExitCode(ExitStatus.validationFailure)
    }
}

/// Reads a private key file, or stops (exit 1) saying why. A key file that others may read
/// gets a warning, as ssh gives one, and is refused when `strict`.
func loadSigner(_ path: String?, strict: Bool = false) throws -> Signer? {
    guard let path else { return nil }
    var status = stat()
    if stat(path, &status) == 0, status.st_mode & 0o077 != 0 {
        let mode = String(status.st_mode & 0o777, radix: 8)
        if strict {
            printError("pfs: the key file \(path) may be read by others (mode \(mode)); run `chmod 600 \(path)`")
            throw ExitCode(ExitStatus.validationFailure)
        }
        printError(
            "pfs: warning: the key file \(path) may be read by others (mode \(mode)); run `chmod 600 \(path)`")
    }
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
        printError("pfs: cannot read the key file \(path)")
        throw ExitCode(ExitStatus.validationFailure)
    }
    do {
        return try Signer(pem: text)
    } catch {
        printError("pfs: the key file \(path) \(error)")
        throw ExitCode(ExitStatus.validationFailure)
    }
}

/// Opens the register at `location`, runs `body`, and closes it whatever happens.
func usingRegister<T>(
    _ location: RegisterLocation, _ body: (Register) async throws(RegisterError) -> T
) async throws -> T {
    try await withRegister { () async throws(RegisterError) in
        let register = try await Register.open(location)
        do throws(RegisterError) {
            let result = try await body(register)
            await register.close()
            return result
        } catch {
            await register.close()
            throw error
        }
    }
}
