import PFS
import PFSModel
import PFSRegister
import PFSStatements

/// What an investor in a social impact bond sees of a year beyond its distribution
/// statements: its own holding (principal, repaid, returns, lost) and the classes of capital
/// it holds part of — each class's rate, returns, principal repaid, loss and what is still
/// owed — never another class's, nor another holder's share.
extension Portal {
    /// The viewer's holdings and classes in `year`, for the year's page (empty for anyone who
    /// is not an investor of the contract, or a bond without investors).
    func investorView(_ viewer: Viewer, contract id: String, year: Int) async throws -> [String: Any] {
        guard let access = viewer.contracts[id], access.roles.contains(.investor),
            let input = try await pool.use({ register in
                try await cache.settledInput(register, contract: id, year: year)
            })
        else { return [:] }
        let checked = PFS.check(bytes: input.bytes, file: input.fileName, canonical: true)
        guard case .success(let settlement) = PFS.settle(checked, fileName: input.fileName, year: year),
            let flows = settlement.sib
        else { return [:] }
        let language = viewer.language
        let contract = input.contract
        func money(_ amount: ExactDecimal) -> String { self.money(amount, contract) }
        let holdings = flows.investors.filter { access.parties.contains($0.party.id) }.map { flow -> [String: Any] in
            [
                "party": partyName(input.contract, flow.party.id, language), "principal": money(flow.principal),
                "principalThisYear": money(flow.principalThisYear), "principalToDate": money(flow.principalToDate),
                "returnThisYear": money(flow.returnThisYear), "returnToDate": money(flow.returnToDate),
                "lost": flow.principalLost.map(money) ?? "—",
            ]
        }
        let held = Set(
            (input.contract.sib?.classes ?? []).filter { $0.holders.contains { access.parties.contains($0.party) } }
                .map(\.id))
        let classes = (flows.classes ?? []).filter { held.contains($0.id) }.map { flow -> [String: Any] in
            [
                "name": Phrase(flow.name, fallback: flow.id).text(language), "rank": flow.rank,
                "principal": money(flow.principal), "rate": flow.rate ?? "—",
                "returnThisYear": money(flow.returnThisYear), "returnToDate": money(flow.returnToDate),
                "principalToDate": money(flow.principalToDate), "loss": money(flow.loss),
                "outstanding": money(flow.principalOutstanding),
            ]
        }
        return [
            "holdings": holdings, "hasHoldings": !holdings.isEmpty, "classes": classes, "hasClasses": !classes.isEmpty,
        ]
    }
}
