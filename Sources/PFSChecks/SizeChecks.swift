import PFSModel

/// The sizes a contract may have and still settle a year in seconds (`contract-size`).
extension ContractChecks {
    /// The most of each thing the settlement's cost grows with. Far above any real
    /// contract (the largest benchmark has 1,000 KPIs and 3,000 credits), low enough that
    /// every accepted contract settles a year in seconds: 1,000 KPIs each credited to
    /// 1,000 projects took 47 s and 11 GB.
    public static let limits = SizeLimits()

    /// The limits themselves, named for the diagnostic.
    public struct SizeLimits: Sendable {
        /// Each the most a contract may have.
        public let kpis = 10_000
        public let projects = 2_000
        public let credits = 20_000
        public let providerShares = 20_000
        public let payments = 10_000
        public let observations = 500_000
    }

    static let sizeLimits = Check(.contractSize) { contract in
        let limits = ContractChecks.limits
        let counts: [(what: String, count: Int, limit: Int)] = [
            ("KPIs", contract.kpis.count, limits.kpis),
            ("projects", contract.projects.count, limits.projects),
            (
                "credits (a project credited with a KPI)", contract.projects.reduce(0) { $0 + $1.credits.count },
                limits.credits
            ),
            ("provider shares", contract.projects.reduce(0) { $0 + $1.providerShares.count }, limits.providerShares),
            ("payments", contract.payments.count, limits.payments),
            (
                "declared values (baseline, expected, actual)",
                contract.kpis.reduce(0) { $0 + 1 + $1.expected.count + $1.actual.count }, limits.observations
            ),
        ]
        return counts.filter { $0.count > $0.limit }.map { entry in
            Diagnostic(
                check: .contractSize,
                message: "the contract has \(entry.count) \(entry.what); pfs settles at most \(entry.limit)",
                hint: "split it into several contracts, or check that the file was generated as intended",
                at: contract.location)
        }
    }
}
