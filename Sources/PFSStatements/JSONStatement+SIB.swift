import PFSModel

/// The JSON of a social impact bond's waterfall: its flows, investors and classes.
extension Settlement.SIBFlows {
    func write(to writer: inout JSONWriter) {
        writer.object { writer in
            if let classes {
                writer.member("classes") { writer in
                    writer.array(classes) { writer, flow in
                        writer.object { writer in
                            writer.member("id", flow.id)
                            writer.member("loss", amount: flow.loss)
                            if let below = flow.lossBelowFloor { writer.member("lossBelowFloor", amount: below) }
                            if let floor = flow.lossFloor { writer.member("lossFloor", amount: floor) }
                            writer.member("name", flow.name)
                            writer.member("principal", amount: flow.principal)
                            writer.member("principalOutstanding", amount: flow.principalOutstanding)
                            writer.member("principalThisYear", amount: flow.principalThisYear)
                            writer.member("principalToDate", amount: flow.principalToDate)
                            writer.member("protected", flow.protected)
                            writer.member("rank", flow.rank)
                            writer.member("rate", flow.rate)
                            writer.member("repayment", flow.repayment)
                            writer.member("returnEarned", amount: flow.returnEarned)
                            writer.member("returnThisYear", amount: flow.returnThisYear)
                            writer.member("returnToDate", amount: flow.returnToDate)
                            writer.member("returnUnpaid", amount: flow.returnUnpaid)
                            if let all = flow.totalLossAt { writer.member("totalLossAt", amount: all) }
                        }
                    }
                }
            }
            writer.member("feeThisYear", amount: feeThisYear)
            writer.member("feeToDate", amount: feeToDate)
            writer.member("intermediary", intermediary)
            writer.member("investors") { writer in
                writer.array(investors) { writer, investor in
                    writer.object { writer in
                        writer.member("maximumReturn", amount: investor.maximumReturn)
                        writer.member("party", investor.party)
                        writer.member("principal", amount: investor.principal)
                        if let lost = investor.principalLost { writer.member("principalLost", amount: lost) }
                        writer.member("principalThisYear", amount: investor.principalThisYear)
                        writer.member("principalToDate", amount: investor.principalToDate)
                        writer.member("returnThisYear", amount: investor.returnThisYear)
                        writer.member("returnToDate", amount: investor.returnToDate)
                    }
                }
            }
            writer.member("performance", performance)
            writer.member("receivedThisYear", amount: receivedThisYear)
            writer.member("receivedToDate", amount: receivedToDate)
            writer.member("residual", residual)
            writer.member("residualThisYear", amount: residualThisYear)
            writer.member("residualToDate", amount: residualToDate)
            writer.member("step", step)
        }
    }
}
