/// The most of each thing a contract may have (`contract-size`): the things a settlement's
/// cost grows with. Far above any real contract (the largest benchmark has 1,000 KPIs and
/// 3,000 credits), low enough that every accepted contract settles a year in seconds:
/// 1,000 KPIs each credited to 1,000 projects took 47 s and 11 GB.
///
/// The loader counts these elements in the parsed tree before it validates or builds
/// anything, so that an oversized contract is refused at the cost of parsing it; the check
/// of the built model gives the same message for a contract made without the loader.
public struct ContractSize: Sendable, Hashable {
    /// What is counted.
    public enum Thing: String, Sendable, CaseIterable {
        case kpis, projects, credits, providerShares, payments, observations

        /// The most a contract may have.
        public var limit: Int {
            switch self {
            case .kpis: return 10_000
            case .projects: return 2_000
            case .credits: return 20_000
            case .providerShares: return 20_000
            case .payments: return 10_000
            case .observations: return 500_000
            }
        }

        /// Its name in the message.
        public var noun: String {
            switch self {
            case .kpis: return "KPIs"
            case .projects: return "projects"
            case .credits: return "credits (a project credited with a KPI)"
            case .providerShares: return "provider shares"
            case .payments: return "payments"
            case .observations: return "declared values (baseline, expected, actual)"
            }
        }

        /// The element that is one of it, by local name (`payment` inside `<payments>`).
        public static func of(element name: String) -> Thing? {
            switch name {
            case "kpi": return .kpis
            case "project": return .projects
            case "credit": return .credits
            case "provider-share": return .providerShares
            case "payment": return .payments
            case "baseline", "expected", "actual": return .observations
            default: return nil
            }
        }
    }

    /// How many of each.
    public var counts: [Thing: Int] = [:]

    public init() {}

    /// The things over their limit, each with its diagnostic at `location`.
    public func excess(at location: SourceLocation) -> [Diagnostic] {
        Thing.allCases.compactMap { thing in
            let count = counts[thing] ?? 0
            guard count > thing.limit else { return nil }
            return Diagnostic(
                check: .contractSize,
                message: "the contract has \(count) \(thing.noun); pfs settles at most \(thing.limit)",
                hint: "split it into several contracts, or check that the file was generated as intended",
                at: location)
        }
    }
}
