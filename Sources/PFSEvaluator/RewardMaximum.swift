import PFSModel

/// Rule 7: the providers' profit-share rewards of a year cut to what is left under the
/// contract's reward maximum after the rewards of the years before.
extension Evaluator {
    /// Cuts this year's provider rewards to what is left under the reward maximum, in
    /// proportion to the rewards (exact weighted largest remainder); each project's payer
    /// keeps what is cut from its providers.
    static func capRewards(
        _ projects: [Settlement.ProjectSettlement], maximum: ExactDecimal, paidBefore: ExactDecimal,
        contract: Contract, steps: inout StepLog
    ) throws(EvaluationError) -> ([Settlement.ProjectSettlement], Settlement.RewardCap) {
        try checked("the reward maximum", at: contract.location) { () throws(ArithmeticError) in
            let rewards = try ExactDecimal.sum(projects.map(\.providerReward))
            let rewardSteps = projects.flatMap { $0.allocations.filter { $0.party.role == .provider }.map(\.step) }
            let left = try maximum.subtracting(paidBefore)
            let allowed = left.signum > 0 ? left : .zero
            guard rewards > allowed else {
                let remaining = try allowed.subtracting(rewards)
                let step = steps.record(
                    .rewardsWithinMaximum(
                        paidBefore: paidBefore, rewards: rewards, maximum: maximum, remaining: remaining),
                    rewards,
                    uses: rewardSteps, expression: .sum(rewardSteps.map(StepExpression.step)))
                return (
                    projects,
                    .init(
                        maximum: maximum, paidBefore: paidBefore, beforeCap: rewards, cut: .zero, remaining: remaining,
                        step: step)
                )
            }
            let (capped, parts) = try share(allowed, among: projects, increment: contract.rounding.increment)
            let paid = try ExactDecimal.sum(parts)
            let cut = try rewards.subtracting(paid)
            let remaining = try allowed.subtracting(paid)
            let step = steps.record(
                .rewardsCut(
                    maximum: maximum, paidBefore: paidBefore, allowed: allowed, rewards: rewards, cut: cut,
                    paid: paid),
                paid, uses: rewardSteps,
                expression: paid == allowed
                    ? .smaller(.sum(rewardSteps.map(StepExpression.step)), .number(allowed)) : nil)
            // A cut allocation's amount is this step's work: it names this step.
            var named = capped
            for p in named.indices {
                for a in named[p].allocations.indices where named[p].allocations[a].rewardCapCut != nil {
                    named[p].allocations[a].step = step
                }
            }
            return (
                named,
                .init(
                    maximum: maximum, paidBefore: paidBefore, beforeCap: rewards, cut: cut, remaining: remaining,
                    step: step)
            )
        }
    }

    /// Every provider allocation, across projects, shares `allowed` by its reward (exact
    /// weighted largest remainder); each project's payer keeps what is cut from its providers.
    static func share(
        _ allowed: ExactDecimal, among projects: [Settlement.ProjectSettlement], increment: ExactDecimal
    ) throws(ArithmeticError) -> ([Settlement.ProjectSettlement], [ExactDecimal]) {
        var index: [(project: Int, allocation: Int)] = []
        var weights: [ExactDecimal] = []
        for (p, project) in projects.enumerated() {
            for (a, allocation) in project.allocations.enumerated() where allocation.party.role == .provider {
                index.append((p, a))
                weights.append(allocation.amount)
            }
        }
        let parts = try LargestRemainder.allocate(allowed, weights: weights, increment: increment)
        var capped = projects
        var kept = Array(repeating: ExactDecimal.zero, count: projects.count)
        for (position, part) in zip(index, parts) {
            let cut = try capped[position.project].allocations[position.allocation].amount.subtracting(part)
            kept[position.project] = try kept[position.project].adding(cut)
            capped[position.project].allocations[position.allocation].amount = part
            capped[position.project].allocations[position.allocation].rewardCapCut =
                cut.signum == 0 ? nil : cut.negated()
        }
        for (p, project) in projects.enumerated() where kept[p].signum > 0 {
            guard let payer = project.allocations.firstIndex(where: { $0.party.id == project.payer.id }) else {
                continue
            }
            capped[p].allocations[payer].amount = try capped[p].allocations[payer].amount.adding(kept[p])
            capped[p].allocations[payer].rewardCapCut = kept[p]
        }
        return (capped, parts)
    }
}
