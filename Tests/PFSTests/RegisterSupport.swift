import Foundation
import Logging
import NIOPosix
import PFS
import PFSModel
import PFSRegister
import PFSStatements
import PFSTestSupport
import Testing

#if PostgreSQL
    import PostgresKit
#endif

/// The two databases every register test runs against. PostgreSQL is the server named by
/// `PFS_TEST_POSTGRES_URL` (`.ci/run` installs and starts one); each test gets a database
/// of its own, made from it.
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    var testDescription: String { rawValue }

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["PFS_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether PostgreSQL registers can be tested: a server is given and this build has the
    /// backend (`--traits PostgreSQL`). CI gives both, and a test fails there when it does not.
    static var postgresTested: Bool { postgresURL != nil && RegisterStore.postgreSQLBuiltIn }

    /// SQLite always; PostgreSQL when it can be tested.
    static var available: [Backend] { postgresTested ? [.sqlite, .postgres] : [.sqlite] }

    /// A new, empty location: an SQLite path in a fresh folder, or a fresh PostgreSQL database.
    func freshLocation() async throws -> RegisterLocation {
        switch self {
        case .sqlite:
            return .sqlite(path: try TemporaryFolder.make().appendingPathComponent("register.sqlite").path)
        case .postgres:
            #if PostgreSQL
                return try await Self.freshPostgresDatabase()
            #else
                throw TestDatabaseError.noServer
            #endif
        }
    }

    #if PostgreSQL
        /// A new database on the test server.
        static func freshPostgresDatabase() async throws -> RegisterLocation {
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
    #endif

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

/// The register's authority and the keys of two members, made once per test: the finance
/// officer of a city and an evaluator of an evaluation firm.
struct TestKeys {
    let authority = Signer.generated()
    let evaluator = Signer.generated()
    let finance = Signer.generated()

    static let city = "test-city"
    static let firm = "test-evaluation-firm"

    func publicPEM(_ signer: Signer) -> String { signer.publicKeyPEM }

    /// Binds every party of the contract not yet bound: the public sector to the city, the
    /// evaluator to the firm, any other party to an organisation of its own.
    func bind(_ register: Register, _ input: ContractInput) async throws {
        let trust = try await register.trust()
        for party in input.contract.parties where trust.binding(input.contract.id, party.id) == nil {
            let organisation: String
            switch party.role {
            case .publicSector: organisation = Self.city
            case .evaluator: organisation = Self.firm
            case .provider, .investor, .intermediary:
                organisation = "org-" + party.id
                if trust.organisations[organisation] == nil {
                    try await register.addOrganisation(
                        organisation, kind: party.role == .provider ? .provider : .investor, nameJa: party.id,
                        nameEn: party.id, authority: authority)
                }
            }
            try await register.bind(input.contract, party: party.id, organisation: organisation, authority: authority)
        }
    }
}

/// A register whose authority has recorded the city (finance officer's key) and the
/// evaluation firm (evaluator's key); contracts are bound as they are recorded.
func registerWithKeys(_ backend: Backend) async throws -> (Register, TestKeys) {
    try await registerWithKeys(at: try await backend.freshLocation())
}

/// ``registerWithKeys(_:)`` at a location a test names again (to give it to the command line).
func registerWithKeys(at location: RegisterLocation) async throws -> (Register, TestKeys) {
    let keys = TestKeys()
    let register = try await Register.create(location, authority: keys.authority)
    try await register.addOrganisation(
        TestKeys.city, kind: .publicBody, nameJa: "テスト市", nameEn: "Test City", authority: keys.authority)
    try await register.addOrganisation(
        TestKeys.firm, kind: .evaluationFirm, nameJa: "テスト評価", nameEn: "Test Evaluation", authority: keys.authority)
    try await register.addMember(
        "finance-officer", organisation: TestKeys.city, nameJa: "財務 太郎", nameEn: "Taro Zaimu", authority: keys.authority)
    try await register.addMember(
        "evaluator-member", organisation: TestKeys.firm, nameJa: "評価 花子", nameEn: "Hanako Hyoka",
        authority: keys.authority)
    _ = try await register.addKey(member: "finance-officer", publicKeyPEM: keys.finance.publicKeyPEM, authority: keys.authority)
    _ = try await register.addKey(member: "evaluator-member", publicKeyPEM: keys.evaluator.publicKeyPEM, authority: keys.authority)
    return (register, keys)
}

/// A year settled as `settle --register` settles it: the settlement, its JSON and the JSON
/// statements recorded with it.
func settledYear(
    _ input: ContractInput, year: Int
) throws -> (settlement: Settlement, json: [UInt8], statements: [StatementInput]) {
    let checked = PFS.check(bytes: input.bytes, file: input.fileName)
    let history = try PFS.settleHistory(
        checked, provenance: PFS.provenance(of: checked, fileName: input.fileName), through: year
    ).get()
    let selection = StatementSelection(formats: [.json], languages: [.ja])
    let statements = try StatementInput.of(history: history, year: year, selection: selection).get()
    let settlement = try #require(history.last)
    return (settlement, JSONStatement.bytes(settlement), statements)
}

/// Settles a year and records it (signed by the finance officer, the contract's parties bound
/// first).
@discardableResult
func recordYear(_ register: Register, _ input: ContractInput, year: Int, keys: TestKeys) async throws -> Int {
    try await keys.bind(register, input)
    let settled = try settledYear(input, year: year)
    return try await register.recordSettlement(
        input, settlement: settled.settlement, settlementJSON: settled.json, statements: settled.statements,
        signer: keys.finance)
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
