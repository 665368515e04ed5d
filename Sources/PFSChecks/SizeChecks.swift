import PFSModel

/// The sizes a contract may have and still settle a year in seconds (`contract-size`).
extension ContractChecks {
    static let sizeLimits = Check(.contractSize) { contract in
        var size = ContractSize()
        size.counts = [
            .kpis: contract.kpis.count,
            .projects: contract.projects.count,
            .credits: contract.projects.reduce(0) { $0 + $1.credits.count },
            .providerShares: contract.projects.reduce(0) { $0 + $1.providerShares.count },
            .payments: contract.payments.count,
            .observations: contract.kpis.reduce(0) { $0 + 1 + $1.expected.count + $1.actual.count },
        ]
        return size.excess(at: contract.location)
    }
}
