import PFSModel

/// Ids, names, references and roles.
extension ContractChecks {

    static let uniqueIDs = Check(.uniqueID) { contract in
        var seen: [String: (kind: String, location: SourceLocation)] = [:]
        var diagnostics: [Diagnostic] = []
        let declared =
            contract.parties.map { ("party", $0.id, $0.location) }
            + contract.kpis.map { ("KPI", $0.id, $0.location) }
            + contract.projects.map { ("project", $0.id, $0.location) }
        for (kind, id, location) in declared {
            if let first = seen[id] {
                diagnostics.append(
                    Diagnostic(
                        check: .uniqueID,
                        message:
                            """
                            id '\(id)' of this \(kind) is already used by the \(first.kind) at line \
                            \(first.location.line)
                            """,
                        hint: "give every party, KPI and project its own id", at: location))
            } else {
                seen[id] = (kind, location)
            }
        }
        return diagnostics
    }

    static let namesPresent = Check(.nameMissing) { contract in
        let named =
            contract.parties.map { ("party", $0.id, $0.name, $0.location) }
            + contract.kpis.map { ("KPI", $0.id, $0.name, $0.location) }
            + contract.projects.map { ("project", $0.id, $0.name, $0.location) }
        return named.compactMap { kind, id, name, location in
            let present = [name.ja, name.en].compactMap { $0?.trimmingWhitespace() }.contains { !$0.isEmpty }
            return present
                ? nil
                : Diagnostic(
                    check: .nameMissing, message: "\(kind) '\(id)' has no name",
                    hint: "write <name ja=\"…\" en=\"…\"/> with at least one of the two", at: location)
        }
    }

    static let referencesResolve = Check(.referenceUnknown) { contract in
        var diagnostics: [Diagnostic] = []
        let kpiIDs = contract.kpis.map(\.id)
        let partyIDs = contract.parties.map(\.id)
        func list(_ ids: [String]) -> String { ids.isEmpty ? "none" : ids.joined(separator: ", ") }
        for project in contract.projects {
            if contract.party(project.payer) == nil {
                diagnostics.append(
                    Diagnostic(
                        check: .referenceUnknown,
                        message:
                            "project '\(project.id)' names payer '\(project.payer)', which is not a declared party",
                        hint: "declared parties: \(list(partyIDs))", at: project.payerLocation))
            }
            for credit in project.credits where contract.kpi(credit.kpi) == nil {
                diagnostics.append(
                    Diagnostic(
                        check: .referenceUnknown,
                        message: "project '\(project.id)' is credited with KPI '\(credit.kpi)', which is not declared",
                        hint: "declared KPIs: \(list(kpiIDs))", at: credit.location))
            }
            for share in project.providerShares where contract.party(share.party) == nil {
                diagnostics.append(
                    Diagnostic(
                        check: .referenceUnknown,
                        message:
                            "project '\(project.id)' gives a share to party '\(share.party)', which is not declared",
                        hint: "declared parties: \(list(partyIDs))", at: share.location))
            }
        }
        for limit in contract.paymentLimits?.payerLimits ?? [] where contract.party(limit.party) == nil {
            diagnostics.append(
                Diagnostic(
                    check: .referenceUnknown,
                    message: "a payer limit names '\(limit.party)', which is not a declared party",
                    hint: "declared parties: \(list(partyIDs))", at: limit.location))
        }
        for payment in contract.payments {
            let named = payment.payers.map { ("payer", $0.party) } + payment.payees.map { ("payee", $0.party) }
            for (role, party) in named where contract.party(party) == nil {
                diagnostics.append(
                    Diagnostic(
                        check: .referenceUnknown,
                        message: "payment '\(payment.id)' names \(role) '\(party)', which is not a declared party",
                        hint: "declared parties: \(list(partyIDs))", at: payment.location))
            }
            for kpi in payment.measuredKPIs where contract.kpi(kpi) == nil {
                diagnostics.append(
                    Diagnostic(
                        check: .referenceUnknown,
                        message: "payment '\(payment.id)' measures KPI '\(kpi)', which is not declared",
                        hint: "declared KPIs: \(list(kpiIDs))", at: payment.location))
            }
        }
        return diagnostics
    }

    static let partyRoles = Check(.partyRole) { contract in
        var diagnostics: [Diagnostic] = []
        for project in contract.projects {
            if let payer = contract.party(project.payer), payer.role != .publicSector {
                diagnostics.append(
                    Diagnostic(
                        check: .partyRole,
                        message:
                            """
                            project '\(project.id)' names '\(payer.id)' as payer, but its role is \
                            \(payer.role.rawValue)
                            """,
                        hint: "the payer must be a party with role=\"public-sector\"", at: project.payerLocation))
            }
            for share in project.providerShares {
                if let party = contract.party(share.party), party.role != .provider {
                    diagnostics.append(
                        Diagnostic(
                            check: .partyRole,
                            message:
                                """
                                project '\(project.id)' gives a provider share to '\(party.id)', whose role is \
                                \(party.role.rawValue)
                                """,
                            hint:
                                """
                                provider shares go to parties with role=\"provider\"; the payer keeps what they \
                                leave
                                """,
                            at: share.location))
                }
            }
        }
        for payment in contract.payments {
            for share in payment.payers {
                guard let payer = contract.party(share.party), payer.role != .publicSector else { continue }
                diagnostics.append(
                    Diagnostic(
                        check: .partyRole,
                        message:
                            "payment '\(payment.id)' is paid by '\(payer.id)', whose role is \(payer.role.rawValue)",
                        hint: "the payer must be a party with role=\"public-sector\"", at: payment.location))
            }
            for share in payment.payees {
                guard let payee = contract.party(share.party), payee.role != .provider, payee.role != .investor,
                    payee.role != .intermediary
                else { continue }
                diagnostics.append(
                    Diagnostic(
                        check: .partyRole,
                        message:
                            "payment '\(payment.id)' is paid to '\(payee.id)', whose role is \(payee.role.rawValue)",
                        hint: "outcome payments go to a provider, an investor or a SIB intermediary",
                        at: payment.location))
            }
        }
        return diagnostics
    }

    static let duplicateEntries = Check(.duplicateEntry) { contract in
        var diagnostics: [Diagnostic] = []
        for project in contract.projects {
            var kpis = Set<String>(), parties = Set<String>()
            for credit in project.credits where !kpis.insert(credit.kpi).inserted {
                diagnostics.append(
                    Diagnostic(
                        check: .duplicateEntry,
                        message: "project '\(project.id)' credits KPI '\(credit.kpi)' more than once",
                        hint: "merge the credits into one with the combined share", at: credit.location))
            }
            for share in project.providerShares where !parties.insert(share.party).inserted {
                diagnostics.append(
                    Diagnostic(
                        check: .duplicateEntry,
                        message: "project '\(project.id)' gives provider '\(share.party)' more than one share",
                        hint: "merge the provider shares into one", at: share.location))
            }
        }
        return diagnostics
    }
}
