import PFS
import PFSLedger
import PFSRegister

/// What every request reads and seldom changes, kept between requests: the contracts,
/// parsed (a contract version is never changed, only added), and the trust state (folded
/// from the authority's events, whose newest one tells whether it moved). Each request
/// still asks the database whether either changed, so several `pfs serve` processes on one
/// register see each other's changes at once.
actor RegisterCache {
    private var versions: [Int: RecordedContract] = [:]
    private var trustState: (head: Int, state: TrustState)?
    private var envelopes: [Int: [EnvelopeBound]] = [:]
    private var inputs: [String: ContractInput] = [:]

    /// The newest version of each contract, as ``Register/contracts()`` gives it.
    func contracts(_ register: Register) async throws(RegisterError) -> [RecordedContract] {
        var contracts: [RecordedContract] = []
        for version in try await register.newestVersions() {
            if let known = versions[version.id] {
                contracts.append(known)
            } else if let read = try await register.contractVersion(version.id) {
                versions[version.id] = read
                contracts.append(read)
            }
        }
        return contracts
    }

    /// Each contract's budget envelope, by contract id (settling a term is work: once per version).
    func envelopes(_ register: Register, of contracts: Set<String>) async throws(RegisterError)
        -> [String: [EnvelopeBound]]
    {
        var result: [String: [EnvelopeBound]] = [:]
        for version in try await register.newestVersions() where contracts.contains(version.contractID) {
            if let known = envelopes[version.id] {
                result[version.contractID] = known
            } else {
                let bounds = try await register.envelope(of: version.contractID)
                envelopes[version.id] = bounds
                result[version.contractID] = bounds
            }
        }
        return result
    }

    /// The contract version a year was settled from, as ``Register/settledInput(contract:year:)``
    /// gives it, read and checked once per version.
    func settledInput(_ register: Register, contract: String, year: Int) async throws(RegisterError)
        -> ContractInput?
    {
        guard let record = try await register.record(of: contract, year: year) else { return nil }
        if let known = inputs[record.sha256] { return known }
        let input = try await register.settledInput(contract: contract, year: year)
        if let input { inputs[input.sha256] = input }
        return input
    }

    /// Who may act for whom now, as ``Register/trust()`` gives it.
    func trust(_ register: Register) async throws(RegisterError) -> TrustState {
        let head = try await register.trustHead()
        if let trustState, trustState.head == head { return trustState.state }
        let state = try await register.trust()
        trustState = (head, state)
        return state
    }
}
