import ArgumentParser
import Foundation
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

    func location(besides file: String? = nil) -> RegisterLocation {
        let folder = file.map { ($0 as NSString).deletingLastPathComponent } ?? "."
        return RegisterLocation.resolve(register, environment: ProcessInfo.processInfo.environment, folder: folder)
    }

    /// The register a command that works without one must still honour: `--register` or
    /// `PFS_REGISTER` when given, else `pfs.sqlite` beside the contract when it exists; nil
    /// when there is none.
    func existing(besides file: String) -> RegisterLocation? {
        let location = location(besides: file)
        if register == nil, ProcessInfo.processInfo.environment["PFS_REGISTER"]?.isEmpty ?? true,
            case .sqlite(let path) = location, !FileManager.default.fileExists(atPath: path)
        {
            return nil
        }
        return location
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
    switch ContractInput.load(path: path) {
    case .success(let input): return input
    case .failure(let problems):
        printDiagnostics(problems.diagnostics)
        throw ExitCode(ExitStatus.validationFailure)
    }
}

/// Reads a private key file, or stops (exit 1) saying why.
func loadSigner(_ path: String?) throws -> Signer? {
    guard let path else { return nil }
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
