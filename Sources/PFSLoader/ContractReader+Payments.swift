import CLibXML2
import PFSModel

/// Reading `<payment>` elements: the payers and payees, the measured outcome and the rule.
extension ContractReader {
    mutating func readPayment(_ element: Element) -> Payment {
        var rule = PaymentRule.fixed(amount: .zero)
        for child in element.children {
            switch child.name {
            case "fixed":
                rule = .fixed(amount: decimal("amount", of: child))
            case "per-unit":
                if child.attribute("cap-per-beneficiary") != nil {
                    if child.attribute("baseline") != nil {
                        diagnostics.append(
                            Diagnostic(
                                check: .perBeneficiary,
                                message: "a per-unit rule capped per beneficiary cannot also have a baseline",
                                hint:
                                    """
                                    per-beneficiary values are gains already (e.g. days avoided); remove \
                                    baseline=\"…\"
                                    """,
                                at: location(of: child)))
                    }
                    rule = .perBeneficiary(
                        price: decimal("price", of: child), capPerBeneficiary: decimal("cap-per-beneficiary", of: child)
                    )
                } else if child.attribute("threshold") != nil {
                    rule = .perUnitBeyond(
                        price: decimal("price", of: child), baseline: optionalDecimal("baseline", of: child),
                        threshold: decimal("threshold", of: child),
                        pays: child.attribute("pays").flatMap(UnitsPaid.init(rawValue:)) ?? .all)
                } else {
                    rule = .perUnit(
                        price: decimal("price", of: child), baseline: optionalDecimal("baseline", of: child))
                }
            case "by-rate-card":
                rule = .rateCard(string("card", of: child))
            case "savings-share":
                rule = .savingsShare(
                    SavingsShare(
                        rate: decimal("rate", of: child),
                        thenRate: child.attribute("then-rate") == nil ? .zero : decimal("then-rate", of: child),
                        principal: decimal("principal", of: child),
                        returnRate: child.attribute("return") == nil ? .zero : decimal("return", of: child),
                        account: string("account", of: child), location: location(of: child)))
            case "band":
                var steps: [PaymentRule.Step] = []
                for step in child.children(named: "step") {
                    steps.append(
                        .init(
                            at: decimal("at", of: step), amount: decimal("amount", of: step),
                            location: location(of: step)))
                }
                rule = .band(
                    startAt: decimal("start-at", of: child), fullAt: decimal("full-at", of: child),
                    amount: decimal("amount", of: child), steps: steps)
            case "proportional":
                rule = .proportional(target: decimal("target", of: child), amount: decimal("amount", of: child))
            case "tiers":
                var tiers: [PaymentRule.Tier] = []
                for tier in child.children(named: "tier") {
                    tiers.append(
                        .init(
                            from: decimal("from", of: tier), inclusive: flag("inclusive", of: tier),
                            amount: decimal("amount", of: tier), location: location(of: tier)))
                }
                rule = .tiers(reference: decimal("reference", of: child), tiers: tiers)
            case "threshold":
                rule = .threshold(
                    at: decimal("at", of: child), inclusive: flag("inclusive", of: child),
                    amount: decimal("amount", of: child))
            default:
                break
            }
        }
        var estimates: [Payment.Estimate] = []
        for estimate in element.child(named: "outcome")?.children(named: "estimate") ?? [] {
            estimates.append(
                .init(
                    kpi: string("kpi", of: estimate), weight: decimal("weight", of: estimate),
                    location: location(of: estimate)))
        }
        // One party by attribute (its share is 1), or several by child elements; check
        // payment-parties reports a payment that names neither or both.
        func sides(_ name: String) -> [PartyShare] {
            if let party = element.attribute(name) {
                return [PartyShare(party: party, share: .one, location: location(of: name, in: element))]
            }
            return element.children(named: name).map { child in
                PartyShare(
                    party: string("party", of: child), share: decimal("share", of: child), location: location(of: child)
                )
            }
        }
        if element.attribute("payer") != nil && !element.children(named: "payer").isEmpty
            || element.attribute("payee") != nil && !element.children(named: "payee").isEmpty
        {
            diagnostics.append(
                Diagnostic(
                    check: .paymentParties,
                    message:
                        """
                        payment '\(string("id", of: element))' names its payer or payee both by attribute and by \
                        element
                        """,
                    hint:
                        """
                        use payer=\"…\" for one payer, or <payer party=\"…\" share=\"…\"/> elements for several; \
                        likewise for payees
                        """,
                    at: location(of: element)))
        }
        return Payment(
            id: string("id", of: element), name: names(element.child(named: "name")),
            payers: sides("payer"), payees: sides("payee"),
            year: integer("year", of: element), kpi: element.attribute("kpi"), estimates: estimates,
            measure: measure(of: element), conditions: element.child(named: "when").flatMap { readConditionTree($0) },
            rule: rule,
            cap: optionalDecimal("cap", of: element), location: location(of: element))
    }

    /// A projection; each method's attributes are required for it (check `projection`
    /// reports one that is missing, since the schema cannot tie attributes to a method).
}
