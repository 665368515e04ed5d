import PFSModel

/// The calculation as a tree, from each payment back to the declared inputs: what
/// `pfs explain` prints. Built from the steps' `uses` and `reads` alone.
public enum Explanation {
    /// What to explain.
    public enum Focus: Sendable, Hashable {
        /// Every final result of the year.
        case everything
        /// The amounts one party pays, receives or keeps.
        case party(String)
        /// The results that depend on one KPI.
        case kpi(String)
    }

    /// Why nothing can be explained.
    public enum Problem: Error, Sendable, Equatable {
        /// The contract names no such party, or it has no amount this year.
        case noSuchParty(String, known: [String])
        /// The contract names no such KPI, or it was not measured this year.
        case noSuchKPI(String, known: [String])
    }

    /// The steps `roots` depend on, themselves included, in calculation order.
    public static func closure(of roots: [String], in s: Settlement) -> [Settlement.Step] {
        let byID = Dictionary(s.steps.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var needed: Set<String> = []
        var pending = roots
        while let id = pending.popLast() {
            guard needed.insert(id).inserted, let step = byID[id] else { continue }
            pending += step.uses
        }
        return s.steps.filter { needed.contains($0.id) }
    }

    /// The steps to start from for `focus`.
    public static func roots(_ focus: Focus, in s: Settlement) -> Result<[String], Problem> {
        let used = Set(s.steps.flatMap(\.uses))
        let finals = s.steps.map(\.id).filter { !used.contains($0) }
        switch focus {
        case .everything:
            return .success(finals)
        case .party(let party):
            var roots: [String] = []
            for project in s.projects {
                for allocation in project.allocations where allocation.party.id == party {
                    roots.append(allocation.step)
                }
            }
            for payment in s.payments ?? []
            where (payment.payers + payment.payees).contains(where: { $0.party.id == party }) {
                roots.append(payment.step)
            }
            if let sib = s.sib,
                sib.intermediary.id == party || sib.residual.id == party
                    || sib.investors.contains(where: { $0.party.id == party })
            {
                roots.append(sib.step)
            }
            guard !roots.isEmpty else { return .failure(.noSuchParty(party, known: parties(in: s))) }
            return .success(unique(roots))
        case .kpi(let kpi):
            let direct = Set(s.steps.filter { $0.reads.contains { $0.kpi == kpi } }.map(\.id))
            guard !direct.isEmpty else {
                return .failure(
                    .noSuchKPI(
                        kpi,
                        known: s.steps.flatMap { $0.reads.map(\.kpi) }.reduce(into: []) {
                            if !$0.contains($1) { $0.append($1) }
                        }))
            }
            return .success(finals.filter { final in closure(of: [final], in: s).contains { direct.contains($0.id) } })
        }
    }

    /// The tree under `roots` as indented text. With a KPI focus, branches that do not lead
    /// to the KPI are named but not expanded.
    public static func render(_ s: Settlement, roots: [String], focusKPI: String? = nil, language: Language) -> String {
        let byID = Dictionary(s.steps.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let relevant: Set<String>? = focusKPI.map { kpi in
            Set(
                s.steps.filter { step in closure(of: [step.id], in: s).contains { $0.reads.contains { $0.kpi == kpi } }
                }.map(\.id))
        }
        let year = FiscalYearName(s.fiscalYear)
        let unit = Common.unit(s.amounts).text(language)
        var lines = [
            language == .ja
                ? "\(s.contract.id) \(year.display(.ja)) の計算（金額の単位：\(unit)、契約ダイジェスト \(s.contract.digest.prefix(16))…）"
                : """
                \(s.contract.id) \(year.display(.en)): the calculation (amounts in \(unit); contract digest \
                \(s.contract.digest.prefix(16))…)
                """
        ]
        func describe(_ step: Settlement.Step) -> String { language == .ja ? step.words.descriptionJA : step.words.description }
        var shown: Set<String> = []
        func node(_ id: String, prefix: String, childPrefix: String) {
            guard let step = byID[id] else { return }
            lines.append("\(prefix)\(step.id)  \(describe(step)) = \(step.result.formatted(groupingSeparator: ","))")
            if shown.contains(id) && !(step.uses.isEmpty && step.reads.isEmpty) {
                lines.append("\(childPrefix)    " + (language == .ja ? "（上に展開済み）" : "(expanded above)"))
                return
            }
            shown.insert(id)
            let children = step.uses.count + step.reads.count
            lines.append("\(childPrefix)\(children > 0 ? "│" : " ")   \(Common.formula(step).text(language))")
            var index = 0
            for used in step.uses {
                index += 1
                let last = index == children
                if let relevant, !relevant.contains(used), let other = byID[used] {
                    lines.append(
                        """
                        \(childPrefix)\(last ? "└─ " : "├─ ")\(other.id)  \(describe(other)) = \
                        \(other.result.formatted(groupingSeparator: ",")) 
                        """
                            + (language == .ja ? "（対象外の指標、展開しない）" : "(other inputs, not expanded)"))
                    continue
                }
                node(
                    used, prefix: childPrefix + (last ? "└─ " : "├─ "),
                    childPrefix: childPrefix + (last ? "   " : "│  "))
            }
            for reading in step.reads {
                index += 1
                let last = index == children
                guard let figure = s.figure(reading) else { continue }
                let source = figure.source.map { language == .ja ? "、出典 \($0)" : ", source: \($0)" } ?? ""
                let place =
                    language == .ja ? "\(s.contract.file) \(figure.line)行目" : "\(s.contract.file) line \(figure.line)"
                // Japanese names the KPI and the year as a Japanese reader knows them (市民満足度,
                // 令和6年度); English keeps the id and FY label that the element path repeats.
                let kpi = language == .ja ? Common.kpiName(reading.kpi, s).ja : reading.kpi
                let year =
                    language == .ja
                    ? FiscalYearName(figure.year, like: s.fiscalYear).display(.ja)
                    : (s.fiscalYear.labels ?? .fy).english(figure.year)
                lines.append(
                    """
                    \(childPrefix)\(last ? "└─ " : "├─ ")\(kpi) \
                    \(Common.measureName(reading.measure).text(language)) \
                    \(year) = \(figure.value)  \
                    [\(place)\(source)]
                    """
                )
                if let element = figure.element { lines.append("\(childPrefix)\(last ? "   " : "│  ")   \(element)") }
            }
        }
        for root in roots {
            lines.append("")
            node(root, prefix: "", childPrefix: "")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func parties(in s: Settlement) -> [String] {
        var ids: [String] = []
        for project in s.projects { ids += project.allocations.map(\.party.id) }
        for payment in s.payments ?? [] { ids += (payment.payers + payment.payees).map(\.party.id) }
        if let sib = s.sib { ids += [sib.intermediary.id, sib.residual.id] + sib.investors.map(\.party.id) }
        return unique(ids)
    }

    private static func unique(_ ids: [String]) -> [String] {
        ids.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
    }
}
