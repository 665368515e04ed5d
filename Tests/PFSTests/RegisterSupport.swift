import Foundation
import Logging
import NIOPosix
import PFS
import PFSModel
import PFSRegister
import PFSStatements
import PFSTestSupport
import PostgresKit
import Testing

/// The two databases every register test runs against. PostgreSQL is the server named by
/// `PFS_TEST_POSTGRES_URL` (`.ci/run` installs and starts one); each test gets a database
/// of its own, made from it.
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    var testDescription: String { rawValue }

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["PFS_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// SQLite always; PostgreSQL when a server is given (CI always gives one, and a test
    /// fails there when it does not).
    static var available: [Backend] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    /// A new, empty location: an SQLite path in a fresh folder, or a fresh PostgreSQL database.
    func freshLocation() async throws -> RegisterLocation {
        switch self {
        case .sqlite:
            return .sqlite(path: try TemporaryFolder.make().appendingPathComponent("register.sqlite").path)
        case .postgres:
            guard let url = Self.postgresURL else { throw TestDatabaseError.noServer }
            let name = "pfs_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
            let configuration = try SQLPostgresConfiguration(url: url)
            var logger = Logger(label: "pfs.tests")
            logger.logLevel = .critical
            let connection = try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration.coreConfiguration, id: 1,
                logger: logger)
            _ = try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
            try await connection.close()
            guard let base = url.range(of: "/", options: .backwards) else { throw TestDatabaseError.noServer }
            return .postgres(url: String(url[..<base.lowerBound]) + "/" + name)
        }
    }

    /// The `--register` argument for a location.
    static func argument(_ location: RegisterLocation) -> String {
        switch location {
        case .sqlite(let path): return path
        case .postgres(let url): return url
        }
    }
}

enum TestDatabaseError: Error { case noServer }

/// A contract of the repository as a register command reads it.
func contractInput(_ name: String) throws -> ContractInput {
    try ContractInput.load(path: Repository.contracts + "/" + name).get()
}

/// Keys for the parties of the shipped contracts, made once per test.
struct TestKeys {
    let evaluator = Signer.generated()
    let finance = Signer.generated()

    func publicPEM(_ signer: Signer) -> String { signer.publicKeyPEM }
}

/// A register with the evaluator's and the finance office's keys recorded for `evaluator`
/// and `financeParty`.
func registerWithKeys(_ backend: Backend, financeParty: String = "maebashi") async throws -> (Register, TestKeys) {
    let register = try await Register.create(try await backend.freshLocation())
    let keys = TestKeys()
    _ = try await register.addKey(party: "evaluator", publicKeyPEM: keys.publicPEM(keys.evaluator))
    _ = try await register.addKey(party: financeParty, publicKeyPEM: keys.publicPEM(keys.finance))
    return (register, keys)
}

/// Settles a year and records it, with the JSON statements `settle --register` records.
@discardableResult
func recordYear(_ register: Register, _ input: ContractInput, year: Int) async throws -> Int {
    let checked = PFS.check(bytes: input.bytes, file: input.fileName)
    let history = try PFS.settleHistory(
        checked, provenance: PFS.provenance(of: checked, fileName: input.fileName), through: year
    ).get()
    let selection = StatementSelection(formats: [.json], languages: [.ja])
    let statements = try StatementInput.of(history: history, year: year, selection: selection).get()
    let settlement = try #require(history.last)
    return try await register.recordSettlement(
        input, settlement: settlement, settlementJSON: JSONStatement.bytes(settlement), statements: statements)
}

/// The refusal's message, or nil when `body` did not throw a refusal.
func refusal(_ body: () async throws -> Void) async -> String? {
    do {
        try await body()
        return nil
    } catch let error as RegisterError {
        if case .refused(let message, _) = error { return message }
        return "\(error)"
    } catch {
        return "\(error)"
    }
}
